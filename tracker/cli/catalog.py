"""Commands that fill the catalog: import and refresh."""

from __future__ import annotations

import argparse
import gc
import sys

from ..importers.service import Interrupted, Outcome, import_sources, nothing_to_refresh, refresh
from ..model.errors import UsageError
from ..model.library import Library
from ..model.text import fold
from .common import open_library
from .output import print_json, say, warn
from .progress import live_line


def run_import(args: argparse.Namespace) -> int:
    library = open_library(args, create=True)
    if "-" in args.sources and sys.stdin.isatty():  # else the terminal just sits there, waiting
        warn("reading standard input: paste the show page, then press Ctrl-D on a line of its own")
    line = live_line(not args.json)
    try:
        try:
            outcomes = import_sources(library, args.sources, remote_chapters=not args.no_remote_chapters,
                                      progress=line, connections=args.connections, halves=True)
        finally:
            if line is not None:
                line.clear()
    except Interrupted as stopped:
        _report_outcomes(library, stopped.outcomes, args.json, stopped=True)  # what was kept, then the interrupted line
        raise
    _settle()
    return _report_outcomes(library, outcomes, args.json)


def run_refresh(args: argparse.Namespace) -> int:
    library = open_library(args)
    line = live_line(not args.json)
    try:
        try:
            outcomes = refresh(library, args.show, remote_chapters=not args.no_remote_chapters, progress=line,
                               connections=args.connections, halves=True)
        finally:
            if line is not None:
                line.clear()
    except Interrupted as stopped:
        _report_outcomes(library, stopped.outcomes, args.json, stopped=True)
        raise
    _settle()
    if not outcomes:
        if args.show:
            raise UsageError(_no_show(library, args.show))
        if not args.json:
            say(nothing_to_refresh(library))
    return _report_outcomes(library, outcomes, args.json)


def _settle() -> None:
    """The command ends soon: what is alive now (the catalog just read and written,
    plain data without reference cycles) stays alive until exit, so the collector is
    told to leave it alone. Otherwise a full pass over it comes when collection
    resumes and another at exit: 70-100 ms of a 5,000-episode import."""
    gc.freeze()


def _no_show(library: Library, name: str) -> str:
    needle = fold(name)
    named = [s for s in library.shows().values() if needle in fold(s.get("title", ""))]
    if named:
        return f"no show matching '{name}' has a feed URL to refresh (imported from a file or a show page)"
    return f"no show matches '{name}'"


def _report_outcomes(library: Library, outcomes: list[Outcome], as_json: bool, stopped: bool = False) -> int:
    """Each source's line (or the JSON); ``stopped``: a Ctrl-C ended the run, and these
    are the sources finished before it."""
    if as_json:
        print_json({"ok": not stopped and all(o.ok for o in outcomes), "sources": [o.to_json() for o in outcomes]})
    else:
        for o in outcomes:
            if o.ok:
                what = f"{o.show}: " if o.show else ""
                kind = f" [{o.kind}]" if o.kind else ""
                say(f"{o.source}{kind}: {what}{o.message}")
            else:
                warn(f"{o.source}: {o.message}")
    return 0 if all(o.ok for o in outcomes) else 1
