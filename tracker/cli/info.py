"""`tracker info`: which library is in use, how big it is, and the state of its files.

The answer to "which library did that command just change?", and the first thing to
run when something looks wrong. Reads only; the numbers come from the store.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import asdict
from typing import Any

from ..model.errors import StoreError
from .common import open_library
from .output import plural, print_json, say

STATE_NOTES = {
    "older": "older schema: upgraded at the next change",
    "newer": "written by a newer tracker: opened read-only",
    "damaged": "does not parse: the newest good backup, if there is one, is restored when it is next read",
    "unreadable": "cannot be read: make it readable, or move it aside",
}
LOST_NOTE = "gone though the library had it: its newest good backup is restored when it is next read"


def run_info(args: argparse.Namespace) -> int:
    library = open_library(args)
    info = library.describe()
    # In full: info is asked which library is in use, and '.' (from --library .) answers
    # nothing, nor does a relative folder in JSON read from elsewhere.
    folder = os.path.abspath(info.folder)
    present = [f for f in info.files if f.state != "missing"]
    # A damaged file is described below, never read (reading it would restore it, or stop
    # info with the very error it is run about), so the episodes are not counted then.
    whole = not any(f.state in ("damaged", "unreadable") for f in present)
    why_not = "a file cannot be read: see below"
    listings: dict[str, dict[str, Any]] = {}
    shows: dict[str, dict[str, Any]] = {}
    if whole:
        try:
            listings = library.listings()
            shows = library.listed_shows()  # the catalog's (a show with no episode yet too) and any it lacks
        except StoreError as err:  # a commit it cannot finish (a disk gone read-only), say: info still describes
            whole, why_not = False, str(err)
    if args.json:
        data: dict[str, Any] = asdict(info)
        data["folder"] = folder
        data["episodes"] = len(listings) if whole else None
        data["shows"] = len(shows) if whole else None
        print_json(data)
        return 0
    say(f"library:  {folder}")
    say(f"size:     {human_bytes(info.total_bytes)} on disk ({plural(len(present), 'file')}, "
        f"{plural(info.backups, 'backup')})")
    if whole:
        say(f"episodes: {len(listings):,} in {plural(len(shows), 'show')}")
    else:
        say(f"episodes: not counted: {why_not}")
    current = [f for f in present if f.state == "current"]
    versions = sorted({f.current for f in current})
    lost = [f for f in info.files if f.state == "missing"]  # (the store lists only a file it had)
    if len(current) == len(present) and not lost:
        say(f"schema:   every file current (version {', '.join(map(str, versions)) or '-'})")
    else:
        say(f"schema:   {len(current)} of {plural(len(present), 'file')} current")
        for f in present:
            if f.state != "current":
                found = f"version {f.version}" if f.version is not None else "no version"
                why = f" ({f.problem})" if f.problem else ""
                say(f"          {f.filename}: {found}, {STATE_NOTES.get(f.state, f.state)}{why}")
        for f in lost:
            say(f"          {f.filename}: missing, {LOST_NOTE}")
    return 0


def human_bytes(n: int) -> str:
    """``812 bytes``, ``14.2 kB``, ``3.1 MB``: powers of 1000, as file managers show them."""
    if n < 1000:
        return plural(n, "byte")
    value = float(n)
    for unit in ("kB", "MB", "GB"):
        value /= 1000
        if value < 1000:
            return f"{value:,.1f} {unit}"
    return f"{value / 1000:,.1f} TB"
