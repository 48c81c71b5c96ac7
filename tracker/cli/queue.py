"""`tracker queue`: the queue with the time left, and its changes."""

from __future__ import annotations

import argparse
import shutil
import sys

from ..model.errors import UsageError
from ..model.library import Library
from ..model.text import terminal_safe
from .columns import cut, fit, width
from .common import open_library
from .output import clock, plural, print_json, say, title_of

SHOW_CELLS = 24


def run_queue(args: argparse.Namespace) -> int:
    sub = args.queue_command
    if sub is not None and args.json:  # a script asking for JSON must not get text
        raise UsageError(f"--json lists the queue: 'queue {sub}' prints no JSON (see 'tracker queue --help')")
    library = open_library(args)
    if sub is None:
        return _list(library, args.json)
    if sub == "add":
        return _add(library, args)
    if sub == "move":
        return _move(library, library.resolve(args.ref), args.to)
    if sub == "remove":
        action = library.queue_remove(library.resolve_all(args.refs))
        say(action.summary if action else "nothing to remove")
        return 0
    action = library.queue_clear()
    say(action.summary if action else "the queue is already empty")
    return 0


def _list(library: Library, as_json: bool) -> int:
    from ..model.views import queue_view

    rows = queue_view(library)
    if as_json:
        print_json(rows)
        return 0
    if not rows:
        say("the queue is empty: add episodes with 'tracker queue add REF'")
        return 0
    id_cells = max(len(r["id"]) for r in rows)
    left = [clock(r["remaining_s"]) for r in rows]
    left_cells = max(8, *(len(t) for t in left))  # 100 hours and more: 100:00:00
    say(f"  #  {'ID':{id_cells}}  {'LEFT':>{left_cells}}  {'SHOW':{SHOW_CELLS}}  TITLE")
    title_cells = 10**6
    if sys.stdout.isatty():  # on a terminal, a long title is cut rather than wrapped (as in `episodes`)
        title_cells = shutil.get_terminal_size().columns - (3 + 2 + id_cells + 2 + left_cells + 2 + SHOW_CELLS + 2)
    total = 0.0
    unknown = 0
    for row, left_text in zip(rows, left):
        if row["remaining_s"] is None:
            unknown += 1
        else:
            total += row["remaining_s"]
        at = f"  (from chapter {row['chapter']})" if row["chapter"] else ""
        title = cut(terminal_safe(row["title"]), max(title_cells - width(at), 10))
        say(f"{row['position']:>3}  {row['id']:{id_cells}}  {left_text:>{left_cells}}  "
            f"{fit(terminal_safe(row['show']), SHOW_CELLS)}  {title}{at}")
    unknown_note = f", and {unknown} of unknown length" if unknown else ""
    say(f"{plural(len(rows), 'episode')}, {clock(total)} left{unknown_note}")
    return 0


def _add(library: Library, args: argparse.Namespace) -> int:
    ids = library.resolve_all(args.refs)
    action = library.queue_add(ids, next_=args.next, chapter=args.chapter)
    if action is not None:
        say(action.summary)
    elif len(ids) == 1:
        say(f"{_title(library, ids[0])} is already queued")
    else:
        say(f"all {plural(len(ids), 'episode')} are already queued")
    return 0


def _move(library: Library, eid: str, to: str) -> int:
    action = library.queue_move(eid, to)
    order = [e.id for e in library.queue()]
    if eid not in order:  # the model refuses first; this is for a race with another process
        raise UsageError(f"{_title(library, eid)} is not in the queue")
    if action is None:
        say(f"{_title(library, eid)} is already at place {order.index(eid) + 1} of {len(order)} in the queue")
    else:
        say(action.summary)
    return 0


def _title(library: Library, eid: str) -> str:
    return title_of((library.listing(eid) or {}).get("title", eid))
