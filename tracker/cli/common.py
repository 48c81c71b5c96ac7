"""What every command shares: opening the library, its notices, reading positions."""

from __future__ import annotations

import argparse
import math
import sys

from ..locations import library_folder
from ..model.errors import TrackerError, UsageError
from ..model.library import Library
from ..model.text import terminal_safe

OPENED: list[Library] = []
MAX_POSITION_S = 10**7  # the model's cap on times (about 115 days)


def open_library(args: argparse.Namespace, create: bool = False) -> Library:
    """The library the command works on; its notices are printed when the command ends.
    Only commands that add to a library (``import``) create one: the others say there
    is none, so a mistyped ``--library`` never leaves an empty library behind."""
    from store import NoLibrary

    folder = library_folder(getattr(args, "library", None))
    try:
        library = Library(folder, create=create)
    except NoLibrary as err:
        raise TrackerError(f"{err}: 'tracker import SOURCE' makes one") from None
    OPENED.append(library)
    return library


def print_notices() -> None:
    """What the store did on its own (restored a backup, upgraded a file): said once."""
    for library in OPENED:
        for notice in library.notices:
            print(f"tracker: {terminal_safe(notice)}", file=sys.stderr)
        library.notices.clear()


def parse_position(text: str) -> tuple[float | None, int | None]:
    """``(seconds, None)`` for SECONDS, M:SS, H:MM:SS; ``(None, N)`` for chN."""
    raw = text.strip().lower()
    if raw.startswith("ch") and raw[2:].isdecimal() and len(raw) < 12:
        return None, int(raw[2:])
    from ..chapters.npt import parse_npt

    shown = terminal_safe(text if len(text) <= 20 else text[:20] + "…")
    if raw.replace(":", "").replace(".", "").isdecimal() and len(raw) > 12:
        raise UsageError(f"the position '{shown}' is too far: no episode is that long")
    try:
        seconds = parse_npt(raw) if len(raw) <= 40 else None
    except (ValueError, OverflowError):
        seconds = None
    if seconds is None:
        raise UsageError(f"cannot read the position '{shown}': use SECONDS, M:SS, H:MM:SS or chN")
    if not math.isfinite(seconds) or seconds >= MAX_POSITION_S:
        raise UsageError(f"the position '{shown}' is too far: no episode is that long")
    return seconds, None
