"""`undo`, `redo` and `history`: walking the record of changes."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import Callable

from ..model.errors import UsageError
from ..model.library import Library
from ..model.records import Action
from .common import open_library
from .output import plural, print_json, say

ASK_ABOVE = 10  # more steps than this ask first (or need --yes)


def run_undo(args: argparse.Namespace) -> int:
    return _step(args, "undo", "undid", lambda library: library.undo(args.steps))


def run_redo(args: argparse.Namespace) -> int:
    return _step(args, "redo", "redid", lambda library: library.redo(args.steps))


def _step(args: argparse.Namespace, verb: str, past: str, walk: Callable[[Library], list[Action]]) -> int:
    """Undo and redo say the same things: each action walked, or that there was none."""
    if not _confirm(verb, args.steps, args.yes):
        say(f"nothing {verb}ne")  # declined: the user's choice, not a failure (exit 0)
        return 0
    actions = walk(open_library(args))
    if not actions:
        say(f"nothing to {verb}")
    for action in actions:
        say(f"{past}: {action.summary}")
    return 0


def _confirm(verb: str, steps: int, yes: bool) -> bool:
    """Many steps at once are easy to type by mistake and tedious to put back: False when
    the user, asked, declines."""
    if steps <= ASK_ABOVE or yes:
        return True
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise UsageError(f"{verb} --steps {steps} changes more than {ASK_ABOVE} at once: add --yes to confirm")
    sys.stderr.write(f"{verb.capitalize()} the last {plural(steps, 'change')}? [y/N] ")
    sys.stderr.flush()
    answer = sys.stdin.readline().strip().lower()
    return answer in ("y", "yes")


def run_history(args: argparse.Namespace) -> int:
    library = open_library(args)
    actions = library.history(args.limit)
    if args.json:
        print_json([{"seq": a.seq, **a.to_doc()} for a in actions])
        return 0
    if not actions:
        undone = len(library.redoable())  # all undone is not "none made": redo brings them back
        say(f"no changes left: {undone} undone ('tracker redo' puts {'it' if undone == 1 else 'them'} back)"
            if undone else "no changes yet")
        return 0
    for a in actions:
        say(f"{a.seq:>5}  {local_time(a.at)}  {a.summary}")
    return 0


def local_time(iso: str) -> str:
    """A stored UTC time as the user's clock shows it: ``2024-05-07 14:03``."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except (ValueError, OverflowError):
        return iso[:16]
