"""Atomic commits that span several files.

Each new file is first written in full beside its target and fsynced; then a
journal naming every (temp, target) pair is written atomically; then the temps
are renamed over their targets and the journal removed. A crash before the
journal exists leaves the old files; a crash after it is rolled forward by the
next process that opens the library. Either way a reader ends up with all of a
transaction or none of it.
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson

from .atomic import fsync_dir, remove_quietly, stage, write_atomic

JOURNAL_NAME = ".journal"


def commit_files(folder: Path, files: list[tuple[Path, bytes]]) -> None:
    """Replace every ``path`` with its bytes, all or nothing."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            staged.append((stage(path, data), path))
    except Exception:
        for tmp, _ in staged:
            remove_quietly(tmp)
        raise
    journal = folder / JOURNAL_NAME
    try:
        write_atomic(journal, orjson.dumps([[tmp.name, path.name] for tmp, path in staged]))
    except Exception:
        for tmp, _ in staged:
            remove_quietly(tmp)
        raise
    roll_forward(folder)


def pending(folder: Path) -> bool:
    return (folder / JOURNAL_NAME).exists()


def roll_forward(folder: Path) -> list[str]:
    """Finish a journalled commit (call under the writer lock); returns the files renamed."""
    journal = folder / JOURNAL_NAME
    try:
        pairs = orjson.loads(journal.read_bytes())
    except FileNotFoundError:
        return []
    except orjson.JSONDecodeError:
        # Written atomically, so a torn journal cannot happen; an unreadable one is dropped
        # before any rename took place (the renames come only after it is complete).
        journal.unlink(missing_ok=True)
        return []
    done = []
    for tmp_name, target_name in pairs:
        tmp = folder / tmp_name
        if tmp.exists():
            os.replace(tmp, folder / target_name)
            done.append(target_name)
    fsync_dir(folder)
    journal.unlink(missing_ok=True)
    fsync_dir(folder)
    return done
