"""Dispatch: parse, run the command's handler, turn known failures into one line.

Imports nothing heavy: each command module loads what it needs.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import sys
from typing import Callable, Sequence

from .parser import Parser, build_parser, options_of, subparser, unknown_option

EXIT_FAILED = 1
EXIT_USAGE = 2

Handler = Callable[[argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    from .output import fit_streams

    fit_streams()
    try:
        status = _main(argv)
    except KeyboardInterrupt:  # a Ctrl-C before the command runs (its modules loading): one line too
        print("tracker: interrupted", file=sys.stderr)
        status = 130
    except SystemExit as done:  # argparse's --help, --version and usage errors
        status = done.code if isinstance(done.code, int) else int(done.code is not None)
    return _flush_output(status)


def _flush_output(status: int) -> int:
    """Write what is left of the output now, while a failure can still be reported: at
    exit Python says "Exception ignored" over two lines and exits 120 on a full disk or a
    reader gone (``| head``). Either is the command's failure (status 1), said in one line
    (a reader gone, silently: it asked for no more)."""
    import os

    try:
        sys.stdout.flush()
    except OSError as err:
        with contextlib.suppress(OSError, ValueError):  # nothing left for Python to retry at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        if status:  # the command failed already (often on this very output) and said why
            return status
        return report(err)
    return status


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    words = _signed_sorts(list(sys.argv[1:] if argv is None else argv))
    _check_global_options(parser, words)
    args, extras = parser.parse_known_args(words)
    if extras:
        _reject_extras(parser, args, extras)
    handler = getattr(args, "handler", None)
    if handler is None:
        return _run_tui(args)
    if args.demo:
        return _on_demo_library(parser, args, handler)
    return run(handler, args)


def run(handler: str, args: argparse.Namespace) -> int:
    func = load(handler)
    try:
        return func(args)
    except KeyboardInterrupt:
        print("tracker: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # noqa: BLE001 - turn known failures into one line
        return report(err, misshapen_library)
    finally:
        from .common import print_notices

        print_notices()


def load(handler: str) -> Handler:
    """The command's function. Its modules load with the collector paused, and what
    they made (classes, functions, tables: alive until exit) is then frozen out of its
    passes. Otherwise the collector walks them while they load, again in each full
    pass, and once more at exit to tear them down: ~10 ms of CPU of a short command
    such as ``mark`` or ``info``. What the command itself makes is collected as before."""
    module_name, func_name = handler.split(":")
    collecting = gc.isenabled()
    gc.disable()
    try:
        module = __import__(f"tracker.cli.{module_name}", fromlist=[func_name])
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
    func: Handler = getattr(module, func_name)
    return func


def report(err: BaseException, misshapen: Callable[[], str | None] | None = None) -> int:
    """One clear line on stderr and the documented exit status; a traceback only for bugs.
    ``misshapen``: what in the library a reader could not take (a file edited by hand),
    asked only for a failure no one foresaw: then that is the line, not a traceback."""
    from store import StoreError

    from ..model.errors import TrackerError
    from .output import warn

    if isinstance(err, TrackerError):
        warn(str(err))
        return err.exit_code
    if isinstance(err, StoreError):
        warn(str(err))
        return err.exit_code
    if isinstance(err, BrokenPipeError):
        return EXIT_FAILED
    if isinstance(err, OSError):  # the machine said no (permissions, a full disk): not a bug
        where = f": {err.filename}" if err.filename else ""
        warn(f"{err.strerror or err}{where}")
        return EXIT_FAILED
    why = misshapen() if misshapen is not None else None
    if why is not None:
        warn(why)
        return EXIT_FAILED
    raise err


def misshapen_library() -> str | None:
    """The line naming the first document of the wrong shape in the libraries this command opened."""
    from ..model.shapes import misshapen_line
    from .common import OPENED

    for library in OPENED:
        why = misshapen_line(library.store)
        if why is not None:
            return why
    return None


def _signed_sorts(words: list[str]) -> list[str]:
    """``--sort -published`` (the documented form): argparse would take the signed value
    for an option, so it is joined to ``--sort=-published`` first. Any single-dash word
    after ``--sort`` is, so ``--sort -title`` is told which sorts there are."""
    out: list[str] = []
    i = 0
    while i < len(words):
        if (words[i] == "--sort" and i + 1 < len(words) and words[i + 1].startswith("-")
                and not words[i + 1].startswith("--") and len(words[i + 1]) > 1):
            out.append("--sort=" + words[i + 1])
            i += 2
            continue
        out.append(words[i])
        i += 1
    return out


def _check_global_options(parser: Parser, words: list[str]) -> None:
    """A misspelled option before the command (``--libary DIR episodes``) is reported as
    such, not as DIR being an unknown command."""
    known = options_of(parser)
    i = 0
    while i < len(words):
        word = words[i]
        if word == "--" or not word.startswith("-") or word == "-":
            return
        name = word.split("=", 1)[0]
        matches = [o for o in known if o == name] or [o for o in known if name.startswith("--") and o.startswith(name)]
        if len(matches) != 1:
            _misplaced(parser, words, name)
            unknown_option(parser, "tracker", word)
        if matches[0] == "--library" and "=" not in word:
            i += 1
        i += 1


def _misplaced(parser: Parser, words: list[str], name: str) -> None:
    """``tracker --json episodes``: the option is the command's, so say where it goes."""
    command = next((w for w in words if not w.startswith("-")), None)
    if command is None:
        return
    sp = subparser(parser, [command])
    if sp is not parser and name in options_of(sp):
        sys.stderr.write(f"tracker: {name} is an option of '{command}': put it after the command "
                         f"(tracker {command} {name}) (see 'tracker {command} --help')\n")
        raise SystemExit(EXIT_USAGE)


def _reject_extras(parser: Parser, args: argparse.Namespace, extras: list[str]) -> None:
    command = getattr(args, "command", None)
    path = [p for p in (command, getattr(args, f"{command}_command", None)) if p]
    sp = subparser(parser, path)
    prog = " ".join(["tracker", *path])
    for word in extras:
        if word.startswith("-") and word != "-":
            unknown_option(sp, prog, word)
    from ..model.text import terminal_safe

    sys.stderr.write(f"{prog}: unexpected argument '{terminal_safe(extras[0])}' (see '{prog} --help')\n")
    raise SystemExit(EXIT_USAGE)


def _on_demo_library(parser: Parser, args: argparse.Namespace, handler: str) -> int:
    """``--demo COMMAND``: the command runs on a throw-away demo library, never on
    ``--library``, ``$TRACKER_LIBRARY`` or the default one."""
    if args.library is not None:
        sys.stderr.write("tracker: --demo uses its own library: leave out --library (see 'tracker --help')\n")
        return EXIT_USAGE
    if getattr(args, "sync_command", None) == "setup":
        # A setup is kept in the config folder under the library's folder: for a library
        # deleted as the command ends, its password would stay where no `sync forget` reaches.
        sys.stderr.write("tracker: --demo's library is thrown away: set up sync on your own library "
                         "(leave out --demo)\n")
        return EXIT_USAGE
    import shutil
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp(prefix="tracker-demo-"))
    try:
        try:
            from ..demo import add_sample_listening, load_demo

            add_sample_listening(load_demo(folder))
        except Exception as err:  # noqa: BLE001
            return report(err)
        args.library = str(folder)
        print("tracker: on the demo library (thrown away afterwards; yours is not touched)", file=sys.stderr)
        return run(handler, args)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


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
