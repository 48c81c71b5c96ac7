"""Commands that change what was heard: mark, progress, chapter; and resume, which
says where listening picks up. Each change prints what it did in one line."""

from __future__ import annotations

import argparse

from ..model.errors import UsageError
from ..model.library import Library
from ..model.records import Action, ChapterMark
from .common import open_library, parse_position
from .output import clock, plural, print_json, resume_text, say, title_of


def run_mark(args: argparse.Namespace) -> int:
    library = open_library(args)
    ids = library.resolve_all(args.refs)
    word = "listened" if args.listened else "new"
    action = library.mark(ids, listened=args.listened)
    unchanged = [eid for eid in ids if action is None or eid not in action.after]
    if action is None:
        say(f"{_title(library, ids[0])} is already {word}" if len(ids) == 1
            else f"all {plural(len(ids), 'episode')} are already {word}")
        return 0
    already = f" ({plural(len(unchanged), 'episode')} already {'was' if len(unchanged) == 1 else 'were'})" if unchanged else ""
    left = _left_queue(action)
    say(action.summary + already + (f"; {'it' if len(ids) == 1 else plural(left, 'episode')} left the queue" if left else ""))
    return 0


def run_progress(args: argparse.Namespace) -> int:
    library = open_library(args)
    eid = library.resolve(args.ref)
    seconds, chapter = parse_position(args.position)
    if chapter is not None:
        ep = library.episode(eid)
        if not ep.chapters:
            raise UsageError(f"{title_of(ep.title)} has no chapters")
        if not 1 <= chapter <= len(ep.chapters):
            raise UsageError(f"{title_of(ep.title)} has chapters 1 to {len(ep.chapters)}, not {chapter}")
        seconds = ep.chapters[chapter - 1].start_s
    assert seconds is not None
    action = library.report_progress(eid, seconds)
    if action is None:
        say(f"{_title(library, eid)} is already at {clock(seconds)}")
        return 0
    say(action.summary + _now_listened(action, eid))
    return 0


def run_chapter(args: argparse.Namespace) -> int:
    library = open_library(args)
    eid = library.resolve(args.ref)
    mark: ChapterMark | None = "done" if args.done else "skipped" if args.skip else None
    action = library.mark_chapter(eid, args.n, mark)
    if action is None:
        what = f"is already {mark}" if mark else "has no mark to clear"
        say(f"chapter {args.n} of {_title(library, eid)} {what}")
        return 0
    say(action.summary + _now_listened(action, eid))
    return 0


def run_resume(args: argparse.Namespace) -> int:
    from ..model.views import resume_view

    library = open_library(args)
    view = resume_view(library, library.resolve(args.ref))
    if args.json:
        print_json(view)
    else:
        say(resume_text(view["chapter"], view["chapter_title"], view["position_s"]))
    return 0


def _title(library: Library, eid: str) -> str:
    return title_of((library.listing(eid) or {}).get("title", eid))


def _now_listened(action: Action, eid: str) -> str:
    """Reaching the end (or the last chapter) makes an episode listened: say so."""
    before = (action.before.get(eid) or {}).get("status", "new")
    after = (action.after.get(eid) or {}).get("status")
    if after != "listened" or before == "listened":
        return ""
    return "; it is now listened" + (" and left the queue" if _left_queue(action) else "")


def _left_queue(action: Action) -> int:
    """How many episodes the change took out of the queue."""
    if action.queue_before is None or action.queue_after is None:
        return 0
    return len({e[0] for e in action.queue_before} - {e[0] for e in action.queue_after})
