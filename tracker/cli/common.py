"""What every command shares: opening the library, printing JSON and notices, parsing times."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import orjson

from ..model.errors import UsageError
from ..locations import library_folder
from ..model.library import Library


OPENED: list[Library] = []


def open_library(args: argparse.Namespace) -> Library:
    """The library the command works on; its notices are printed when the command ends."""
    library = Library(library_folder(getattr(args, "library", None)))
    OPENED.append(library)
    return library


def print_notices() -> None:
    """What the store did on its own (restored a backup, upgraded a file): said once."""
    for library in OPENED:
        for notice in library.notices:
            print(f"tracker: {notice}", file=sys.stderr)
        library.notices.clear()


def print_json(data: Any) -> None:
    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")


def parse_position(text: str) -> tuple[float | None, int | None]:
    """``(seconds, None)`` for SECONDS, M:SS, H:MM:SS; ``(None, N)`` for chN."""
    raw = text.strip().lower()
    if raw.startswith("ch") and raw[2:].isdigit():
        return None, int(raw[2:])
    from ..chapters.npt import parse_npt

    seconds = parse_npt(raw)
    if seconds is None:
        raise UsageError(f"cannot read the position {text!r}: use SECONDS, M:SS, H:MM:SS or chN")
    return seconds, None


def clock(seconds: float | None) -> str:
    from ..chapters.npt import format_clock

    return format_clock(seconds) or "?"
