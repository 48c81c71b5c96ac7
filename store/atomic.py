"""Crash-safe file replacement.

A reader must only ever see the old file or the new one, never a torn mix
(TinyDB's own JSONStorage rewrites in place, see store-tinydb research notes).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .errors import WriteFailed

TMP_SUFFIX = ".tmp"


def fsync_dir(folder: Path) -> None:
    """Make a rename durable: the directory entry must reach the disk too."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # platforms without directory handles
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems refuse fsync on directories; the rename is still atomic
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``: temp file in the same folder, fsync, rename, fsync folder.

    The original file's permission bits are kept. On any failure the temp file is
    removed and the original is left untouched.
    """
    tmp = stage(path, data)
    try:
        os.replace(tmp, path)
    except OSError as err:
        remove_quietly(tmp)
        raise WriteFailed(f"cannot write {path.name}: {err.strerror or err}; nothing was changed") from err
    fsync_dir(path.parent)


def stage(path: Path, data: bytes) -> Path:
    """Write ``data`` durably to a temp file beside ``path`` (same mode); return its path."""
    folder = path.parent
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = 0o644 & ~_umask()
    tmp = folder / f".{path.name}.{os.getpid()}{TMP_SUFFIX}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, mode)
    except OSError as err:
        remove_quietly(tmp)
        if err.errno == errno.ENOSPC:
            raise WriteFailed(f"cannot write {path.name}: the disk is full; nothing was changed") from err
        raise WriteFailed(f"cannot write {path.name}: {err.strerror or err}; nothing was changed") from err
    return tmp


def clean_temp_files(folder: Path) -> list[Path]:
    """Remove temp files left by a writer that was killed; call under the writer lock."""
    removed = []
    for tmp in folder.glob(f".*{TMP_SUFFIX}"):
        remove_quietly(tmp)
        removed.append(tmp)
    return removed


def remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
