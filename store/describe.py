"""What a library folder holds, for ``tracker info``: read-only, and cheap at any size.

The schema version is read from a file's last bytes (the store always writes the
``_meta`` table last); only a file written otherwise is parsed whole.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from .schema import FileSpec, recorded_version
from .storage import Damaged, parse

TAIL_BYTES = 256
_TAIL = re.compile(rb'"_meta":\{"schema":\{"version":(-?[0-9]{1,9}),"file":"[^"\\]{0,100}"\}\}\}\s*\Z')


@dataclass(frozen=True)
class FileInfo:
    """One library file: ``state`` is missing, current, older (upgraded when next opened),
    newer (opens read-only) or damaged (does not parse)."""

    name: str
    filename: str
    size: int
    version: int | None  # as the file records it; None when missing or damaged
    current: int  # the version this program writes
    state: str


@dataclass(frozen=True)
class LibraryInfo:
    folder: Path
    exists: bool
    total_bytes: int  # the files in the folder and in backups/, each inode once
    files: list[FileInfo]
    backups: int  # how many files backups/ holds


def describe(folder: Path, specs: list[FileSpec]) -> LibraryInfo:
    if not folder.is_dir():
        return LibraryInfo(folder, False, 0, [], 0)
    files = [_file_info(folder, spec) for spec in specs]
    backups = folder / "backups"
    try:
        count = sum(1 for entry in os.scandir(backups) if entry.is_file())
    except OSError:
        count = 0
    return LibraryInfo(folder, True, _disk_use(folder), files, count)


def _file_info(folder: Path, spec: FileSpec) -> FileInfo:
    path = folder / spec.filename
    try:
        size = os.stat(path).st_size
        version, readable = _version(path, size)
    except FileNotFoundError:
        return FileInfo(spec.name, spec.filename, 0, None, spec.version, "missing")
    except OSError:
        return FileInfo(spec.name, spec.filename, 0, None, spec.version, "damaged")
    if not readable:
        state = "damaged"
    elif version < spec.version:
        state = "older"
    elif version > spec.version:
        state = "newer"
    else:
        state = "current"
    return FileInfo(spec.name, spec.filename, size, version if readable else None, spec.version, state)


def _version(path: Path, size: int) -> tuple[int, bool]:
    """(version, readable): from the tail when it has the store's shape, else a full parse."""
    with open(path, "rb") as handle:
        handle.seek(max(0, size - TAIL_BYTES))
        match = _TAIL.search(handle.read())
        if match:
            return max(1, int(match[1])), True
        handle.seek(0)
        raw = handle.read()
    try:
        data = parse(raw)
    except Damaged:
        return 0, False
    return recorded_version(data) or 1, True


def _disk_use(folder: Path) -> int:
    """Bytes of the folder's own files and its backups, each inode once. Only the store's
    layout is counted: a library path set to a home folder by mistake is not walked whole."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for where in (folder, folder / "backups"):
        try:
            entries = list(os.scandir(where))
        except OSError:
            continue
        for entry in entries:
            try:
                st = entry.stat()  # a symlinked library file counts as its target
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode) and (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_size
    return total
