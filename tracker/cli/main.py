"""Argument parsing and dispatch. Imports nothing heavy: each command loads what it needs."""

from __future__ import annotations

import argparse
import sys
from typing import Callable, Sequence

EXIT_FAILED = 1

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="tracker",
        description="A personal podcast listening tracker. Without a command, opens the TUI.",
        epilog="Exit status: 0 done, 1 operational failure, 2 bad usage or input.",
    )
    p.add_argument("--library", metavar="DIR", help="the library folder (default: $TRACKER_LIBRARY, else the user data folder)")
    p.add_argument("--demo", action="store_true", help="open the TUI on a temporary library with a sample show")
    p.add_argument("--version", action="version", version="tracker 0.1.0")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    lib = argparse.ArgumentParser(add_help=False)
    lib.add_argument("--library", metavar="DIR", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    def cmd(name: str, help: str, handler: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help, description=help, parents=[lib])
        sp.set_defaults(handler=handler)
        return sp

    sp = cmd("import", "import feeds, OPML lists, show pages, tracker exports or gpodder actions", "catalog:run_import")
    sp.add_argument("sources", nargs="+", metavar="SOURCE", help="a file path or an http(s) URL")
    sp.add_argument("--json", action="store_true", help="print a machine-readable summary")
    sp.add_argument("--no-remote-chapters", action="store_true", help="do not fetch chapter files linked from feeds")

    sp = cmd("refresh", "fetch URL feeds again (only what changed is downloaded)", "catalog:run_refresh")
    sp.add_argument("show", nargs="?", metavar="SHOW", help="only shows whose name contains this")
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--no-remote-chapters", action="store_true")

    sp = cmd("episodes", "list episodes", "catalog:run_episodes")
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--status", choices=("new", "in_progress", "listened"))
    sp.add_argument("--show", metavar="TEXT")
    sp.add_argument("--search", metavar="TEXT")
    sp.add_argument("--since", metavar="DATE")
    sp.add_argument("--until", metavar="DATE")
    sp.add_argument("--queued", action="store_true")
    sp.add_argument("--sort", choices=("published", "-published", "duration", "title"), default="-published")

    sp = cmd("show", "one episode, with its description and chapters", "catalog:run_show")
    sp.add_argument("ref", metavar="REF")
    sp.add_argument("--json", action="store_true")

    sp = cmd("mark", "mark episodes listened or new", "listening:run_mark")
    sp.add_argument("refs", nargs="+", metavar="REF")
    g = sp.add_mutually_exclusive_group(required=True)
    g.add_argument("--listened", action="store_true")
    g.add_argument("--new", action="store_true")

    sp = cmd("progress", "report how far you listened", "listening:run_progress")
    sp.add_argument("ref", metavar="REF")
    sp.add_argument("position", metavar="POSITION", help="SECONDS, M:SS, H:MM:SS, or chN (the start of chapter N)")

    sp = cmd("chapter", "mark a chapter done or skipped, or clear it", "listening:run_chapter")
    sp.add_argument("ref", metavar="REF")
    sp.add_argument("n", type=int, metavar="N")
    g = sp.add_mutually_exclusive_group(required=True)
    g.add_argument("--done", action="store_true")
    g.add_argument("--skip", action="store_true")
    g.add_argument("--clear", action="store_true")

    sp = cmd("resume", "where to pick an episode up again", "listening:run_resume")
    sp.add_argument("ref", metavar="REF")
    sp.add_argument("--json", action="store_true")

    sp = cmd("queue", "show or change the queue", "listening:run_queue")
    sp.add_argument("--json", action="store_true")
    qsub = sp.add_subparsers(dest="queue_command", metavar="ACTION")
    qp = qsub.add_parser("add", help="add episodes at the end (or next)", parents=[lib])
    qp.add_argument("refs", nargs="+", metavar="REF")
    qp.add_argument("--next", action="store_true", help="add at the top")
    qp.add_argument("--chapter", type=int, metavar="N", help="start at chapter N")
    qp = qsub.add_parser("move", help="move an episode: a position from 1, or top, bottom, up, down", parents=[lib])
    qp.add_argument("ref", metavar="REF")
    qp.add_argument("to", metavar="TO")
    qp = qsub.add_parser("remove", help="remove episodes from the queue", parents=[lib])
    qp.add_argument("refs", nargs="+", metavar="REF")
    qsub.add_parser("clear", help="empty the queue", parents=[lib])

    sp = cmd("undo", "undo the last change (or several)", "listening:run_undo")
    sp.add_argument("--steps", type=int, default=1, metavar="N")

    sp = cmd("history", "the changes made, newest first", "listening:run_history")
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--limit", type=int, default=20, metavar="N")

    sp = cmd("stats", "listening statistics", "listening:run_stats")
    sp.add_argument("--json", action="store_true")

    sp = cmd("export", "write the library in an open format", "catalog:run_export")
    sp.add_argument("--format", required=True, choices=("json", "opml", "gpodder"))
    sp.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        return _run_tui(args)
    module_name, func_name = handler.split(":")
    module = __import__(f"tracker.cli.{module_name}", fromlist=[func_name])
    func: Handler = getattr(module, func_name)
    try:
        return func(args)
    except KeyboardInterrupt:
        print("tracker: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # noqa: BLE001 - turn known failures into one line
        return report(err)
    finally:
        from .common import print_notices

        print_notices()


def report(err: BaseException) -> int:
    """One clear line on stderr and the documented exit status; a traceback only for bugs."""
    from store import StoreError

    from ..model.errors import TrackerError

    if isinstance(err, TrackerError):
        print(f"tracker: {err}", file=sys.stderr)
        return err.exit_code
    if isinstance(err, StoreError):
        print(f"tracker: {err}", file=sys.stderr)
        return EXIT_FAILED
    if isinstance(err, BrokenPipeError):
        return EXIT_FAILED
    raise err


def _run_tui(args: argparse.Namespace) -> int:
    try:
        from ..tui.run import run_tui
    except ImportError as err:  # pragma: no cover - the TUI ships with the package
        print(f"tracker: the TUI is not available ({err})", file=sys.stderr)
        return EXIT_FAILED
    try:
        return run_tui(args.library, demo=args.demo)
    except Exception as err:  # noqa: BLE001
        return report(err)


if __name__ == "__main__":
    raise SystemExit(main())
