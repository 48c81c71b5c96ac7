"""What a library folder holds, for ``tracker info``: read-only.

``info`` is what a user runs when something looks wrong, so every file is parsed
whole, one at a time: a file torn or edited in the middle is "damaged" even when its
last bytes look whole. Checking is not loading: msgspec walks each file's syntax
without building its documents (about ten times faster than parsing them with orjson
at 100k episodes, ``bench/info.py``), after a check that the bytes are UTF-8, which
that walk does not make; on the damage files meet (torn writes, stray or lost bytes)
it agrees with the store's ``parse``.
"""

from __future__ import annotations

import functools
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import orjson

from .backups import Backups
from .schema import META_DOC, META_TABLE, FileSpec, recorded_version
from .storage import Damaged, lost_link, not_a_file, parse


@functools.cache
def _msgspec() -> tuple[ModuleType, Any]:
    """msgspec and a decoder that checks every byte and builds no document. Loaded by
    ``info`` alone: importing it cost every other command 12-30 ms of its start."""
    import msgspec

    return msgspec, msgspec.json.Decoder(dict[str, dict[str, msgspec.Raw]])


@dataclass(frozen=True)
class FileInfo:
    """One library file: ``state`` is missing (it has a backup, so it existed), current, older (upgraded when next opened),
    newer (opens read-only), damaged (does not parse: ``problem`` says why) or unreadable
    (the system refuses to read it, a folder or a permission in the way: no backup is
    restored over it, so it is not called damaged)."""

    name: str
    filename: str
    size: int
    version: int | None  # as the file records it; None when missing or damaged
    current: int  # the version this program writes
    state: str
    problem: str = ""  # why a damaged file does not parse, as the recovery notice would say it


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
    backups = folder / "backups"
    had = Backups(backups).names()
    # A file never created (the history segments a library may grow, the episode files
    # of first characters no id has) is not listed: "missing" is a file it had and lost.
    files = [f for f in (_file_info(folder, spec) for spec in specs) if f.state != "missing" or f.name in had]
    try:
        count = sum(1 for entry in os.scandir(backups) if entry.is_file())
    except OSError:
        count = 0
    return LibraryInfo(folder, True, _disk_use(folder), files, count)


def _file_info(folder: Path, spec: FileSpec) -> FileInfo:
    path = folder / spec.filename
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):  # (a FIFO would hang the open, a device the read)
            return FileInfo(spec.name, spec.filename, 0, None, spec.version, "unreadable", not_a_file(st))
        size = st.st_size
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        lost = lost_link(path)
        if lost:
            return FileInfo(spec.name, spec.filename, 0, None, spec.version, "unreadable", lost)
        return FileInfo(spec.name, spec.filename, 0, None, spec.version, "missing")
    except OSError as err:
        return FileInfo(spec.name, spec.filename, 0, None, spec.version, "unreadable", err.strerror or str(err))
    try:
        version = _checked_version(raw)
    except Damaged as err:
        return FileInfo(spec.name, spec.filename, size, None, spec.version, "damaged", str(err))
    if version < spec.version:
        state = "older"
    elif version > spec.version:
        state = "newer"
    else:
        state = "current"
    return FileInfo(spec.name, spec.filename, size, version, spec.version, state)


def _checked_version(raw: bytes) -> int:
    """The version a whole, well-formed file records (1 when none); ``Damaged`` otherwise."""
    if not raw.strip():
        raise Damaged("the file is empty")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise Damaged(f"it is not valid JSON: not UTF-8 at byte {err.start}") from None
    msgspec, tables_decoder = _msgspec()
    try:
        tables = tables_decoder.decode(raw)
    except RecursionError:  # msgspec nests on Python's stack, orjson goes 1,024 deep: its answer
        return recorded_version(parse(raw)) or 1
    except msgspec.ValidationError:
        raise Damaged("it does not hold TinyDB tables") from None
    except msgspec.DecodeError as err:
        raise Damaged(f"it is not valid JSON: {err}") from None
    schema = tables.get(META_TABLE, {}).get(META_DOC)
    try:
        doc = orjson.loads(memoryview(schema)) if schema is not None else None
    except orjson.JSONDecodeError as err:  # msgspec's walk takes 1e999 as a number; no reader here does
        raise Damaged(f"it is not valid JSON: {err.msg} in its schema record") from None
    return recorded_version({META_TABLE: {META_DOC: doc}}) or 1


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
