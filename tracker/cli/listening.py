"""Commands that read or change listening state: mark, progress, chapter, resume, queue,
undo, history, stats. Each changing command prints what it did in one line."""

from __future__ import annotations

import argparse
import sys

from ..model.errors import UsageError
from ..model.records import Action, ChapterMark
from .common import clock, open_library, parse_position, print_json


def _said(action: Action | None, nothing: str = "nothing changed") -> int:
    print(action.summary if action else nothing)
    return 0


def run_mark(args: argparse.Namespace) -> int:
    library = open_library(args)
    ids = library.resolve_all(args.refs)
    return _said(library.mark(ids, listened=args.listened), "nothing changed: already so")


def run_progress(args: argparse.Namespace) -> int:
    library = open_library(args)
    eid = library.resolve(args.ref)
    seconds, chapter = parse_position(args.position)
    if chapter is not None:
        ep = library.episode(eid)
        if not 1 <= chapter <= len(ep.chapters):
            raise UsageError(f"“{ep.title}” has {len(ep.chapters)} chapters, not {chapter}")
        seconds = ep.chapters[chapter - 1].start_s
    assert seconds is not None
    return _said(library.progress(eid, seconds))


def run_chapter(args: argparse.Namespace) -> int:
    library = open_library(args)
    eid = library.resolve(args.ref)
    mark: ChapterMark | None = "done" if args.done else "skipped" if args.skip else None
    return _said(library.chapter(eid, args.n, mark))


def run_resume(args: argparse.Namespace) -> int:
    from ..model.views import resume_view

    library = open_library(args)
    view = resume_view(library, library.resolve(args.ref))
    if args.json:
        print_json(view)
    elif view["chapter"]:
        print(f"chapter {view['chapter']} “{view['chapter_title']}” at {clock(view['position_s'])}")
    else:
        print(f"at {clock(view['position_s'])}")
    return 0


def run_queue(args: argparse.Namespace) -> int:
    library = open_library(args)
    sub = args.queue_command
    if sub is None:
        from ..model.views import queue_view

        rows = queue_view(library)
        if args.json:
            print_json(rows)
            return 0
        if not rows:
            print("the queue is empty: add episodes with 'tracker queue add REF'")
        total = 0.0
        for row in rows:
            at = f"  from chapter {row['chapter']}" if row["chapter"] else ""
            total += row["remaining_s"] or 0
            print(f"{row['position']:>3}. {row['id']}  {clock(row['remaining_s']):>8} left  {row['show'][:24]:24}  {row['title']}{at}")
        if rows:
            print(f"     {clock(total)} in all")
        return 0
    if sub == "add":
        ids = library.resolve_all(args.refs)
        if args.chapter is not None and args.chapter < 1:
            raise UsageError("--chapter counts from 1")
        return _said(library.queue_add(ids, next_=args.next, chapter=args.chapter), "already queued")
    if sub == "move":
        return _said(library.queue_move(library.resolve(args.ref), args.to), "already there")
    if sub == "remove":
        return _said(library.queue_remove(library.resolve_all(args.refs)))
    return _said(library.queue_clear(), "the queue was already empty")


def run_undo(args: argparse.Namespace) -> int:
    library = open_library(args)
    undone = library.undo(args.steps)
    if not undone:
        print("nothing to undo")
    for action in undone:
        print(f"undid: {action.summary}")
    return 0


def run_history(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise UsageError("--limit must be 1 or more")
    library = open_library(args)
    actions = library.history(args.limit)
    if args.json:
        print_json([{"seq": a.seq, **a.to_doc()} for a in actions])
        return 0
    if not actions:
        print("no changes yet")
    for a in actions:
        print(f"{a.seq:>5}  {a.at}  {a.summary}")
    return 0


def run_stats(args: argparse.Namespace) -> int:
    from ..model.stats import stats

    library = open_library(args)
    data = stats(library)
    if args.json:
        print_json(data)
        return 0
    w = sys.stdout.write
    for label, key in (("this week", "week"), ("this month", "month"), ("all time", "all")):
        p = data["listened"][key]
        w(f"{label:>10}: {p['count']} listened, {clock(p['time_s'])}\n")
    q = data["queue"]
    w(f"     queue: {q['episodes']} episodes, {clock(q['remaining_s'])} left\n")
    days = data["streak_days"]
    w(f"    streak: {days} day{'' if days == 1 else 's'} in a row\n")
    for show in data["per_show"]:
        w(f"  {show['count']:>5}  {clock(show['time_s']):>9}  {show['show']}\n")
    return 0
