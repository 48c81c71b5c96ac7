"""Crash-safe file replacement.

A reader must only ever see the old file or the new one, never a torn mix
(TinyDB's own JSONStorage rewrites in place, see store-tinydb research notes).
A path that is a symbolic link is followed: its target is replaced, the link stays.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import WriteFailed

TMP_SUFFIX = ".tmp"
FILE_MODE = 0o600  # library files are private: listening history is nobody else's business
FOLDER_MODE = 0o700
SYNC_THREADS = 8  # fsyncs in flight at once when a commit writes many files
IOV_MAX = 1024  # pieces one writev takes (POSIX guarantees at least 16; Linux, BSD, macOS: 1024)
Pieces = Sequence["bytes | memoryview"]  # a file's bytes in the order they are written
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # a planted symlink at a temp name is refused, not written through

# ``.{target}.{pid}.tmp``: the only temp names the store writes into a library folder.
_TEMP_NAME = re.compile(r"\.(?P<target>[^/\x00]+)\.(?P<pid>[0-9]{1,10})\.tmp")


def temp_name(target_name: str, pid: int | None = None) -> str:
    return f".{target_name}.{os.getpid() if pid is None else pid}{TMP_SUFFIX}"


def temp_target(name: str) -> str | None:
    """The target a store temp file name belongs to; ``None`` when it is not one of ours."""
    match = _TEMP_NAME.fullmatch(name)
    return match["target"] if match else None


def real_target(path: Path) -> Path:
    """Where a write to ``path`` lands: a symlink's final target, so the link survives."""
    if os.path.islink(path):
        return Path(os.path.realpath(path))
    return path


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


def write_atomic(path: Path, data: "bytes | Pieces", new_mode: int = FILE_MODE) -> None:
    """Write ``data`` to ``path``: temp file in the same folder, fsync, rename, fsync folder.

    An existing file keeps its permission bits; a new one gets ``new_mode``. On any
    failure the temp file is removed and the original is left untouched.
    """
    target = real_target(path)
    tmp = stage(target, data, new_mode)
    replace(tmp, target)
    fsync_dir(target.parent)


def replace(tmp: Path, target: Path) -> None:
    try:
        os.replace(tmp, target)
    except OSError as err:
        remove_quietly(tmp)
        raise WriteFailed(failure(target, err)) from err


def stage(target: Path, data: "bytes | Pieces", new_mode: int = FILE_MODE, tmp: Path | None = None) -> Path:
    """Write ``data`` durably to a temp file beside ``target``; return the temp's path.

    ``target`` is where the data will land (see ``real_target``). The temp gets the
    target's permission bits, or ``new_mode`` (narrowed by the umask) for a new file."""
    tmp, fd = _write_temp(target, data, new_mode, tmp)
    _sync_and_close(tmp, fd, target)
    return tmp


def stage_many(files: "list[tuple[Path, bytes | Pieces]]") -> list[Path]:
    """``stage`` for several targets, each temp written and fsynced by one of a few
    threads (writes and fsyncs let go of the GIL): the kernel copies several large files
    at once on several cores, and the disk flushes some while others are still being
    written, instead of a flush per file, each waited for. Returns the temps in order;
    on any failure every temp is removed and ``WriteFailed`` raised."""
    temps: list[Path | None] = [None] * len(files)
    failures: list[BaseException] = []

    def write(indices: range) -> None:
        for i in indices:
            if failures:
                return  # another file failed: the commit is off
            target, data = files[i]
            try:
                temps[i] = stage(target, data)
            except BaseException as err:  # noqa: BLE001 - reported by the caller's thread
                failures.append(err)
                return

    workers = min(len(files), SYNC_THREADS)
    threads = [threading.Thread(target=write, args=(range(i, len(files), workers),)) for i in range(1, workers)]
    for thread in threads:
        thread.start()
    try:
        write(range(0, len(files), workers or 1))
    finally:
        for thread in threads:
            thread.join()
        if failures:
            for tmp in temps:
                if tmp is not None:
                    remove_quietly(tmp)
    if failures:
        raise failures[0]
    return [tmp for tmp in temps if tmp is not None]


def _write_temp(target: Path, data: "bytes | Pieces", new_mode: int, tmp: Path | None) -> tuple[Path, int]:
    """The temp file beside ``target`` written (not yet fsynced), and its open descriptor."""
    try:
        keep: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        keep = None
    tmp = tmp or target.parent / temp_name(target.name)
    fd = -1
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW, new_mode if keep is None else keep)
        write_all(fd, data)
        if keep is not None:
            os.fchmod(fd, keep)  # the umask narrowed the mode given to open
    except OSError as err:
        if fd >= 0:
            _close_quietly(fd)
        remove_quietly(tmp)
        raise WriteFailed(failure(target, err)) from err
    return tmp, fd


def write_all(fd: int, data: "bytes | Pieces") -> None:
    """Write ``data`` (bytes, or pieces to write one after another) at ``fd``, however
    many calls the system takes."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = [data]
    if not hasattr(os, "writev"):
        data = [b"".join(data)]
    views = [memoryview(piece).cast("B") for piece in data if len(piece)]
    at = 0
    while at < len(views):
        written = os.writev(fd, views[at:at + IOV_MAX]) if len(views) - at > 1 else os.write(fd, views[at])
        while written:
            size = len(views[at])
            if written >= size:
                written -= size
                at += 1
            else:
                views[at] = views[at][written:]
                written = 0


def _sync_and_close(tmp: Path, fd: int, target: Path) -> None:
    try:
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as err:
        remove_quietly(tmp)
        raise WriteFailed(failure(target, err)) from err


def _close_quietly(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


def failure(target: Path, err: OSError) -> str:
    """One line for a failed write, saying what the user can do about it."""
    return f"cannot write {target.name}: {reason(err, target.parent)}; nothing was changed"


def reason(err: OSError, folder: Path) -> str:
    """Why an operation in ``folder`` failed, in words a user acts on."""
    reasons = {
        errno.ENOSPC: "the disk is full",
        getattr(errno, "EDQUOT", -1): "the disk quota is used up",
        errno.EROFS: f"{folder} is on a read-only file system",
        errno.EACCES: f"permission denied in {folder}",
        errno.EPERM: f"permission denied in {folder}",
    }
    return reasons.get(err.errno or 0) or (err.strerror or str(err)).lower()


def clean_temp_files(folder: Path, only_for: set[str] | None = None) -> list[Path]:
    """Remove temp files left by a writer that was killed; call under the writer lock.

    Only names the store writes (``.{target}.{pid}.tmp``) and only regular files are
    touched; with ``only_for``, only temps of those target names."""

    def litter(name: str) -> bool:
        target = temp_target(name)
        return target is not None and (only_for is None or target in only_for)

    return remove_files_named(folder, litter)


def remove_files_named(folder: Path, chosen: Callable[[str], bool]) -> list[Path]:
    """Remove the regular files of ``folder`` whose names are chosen; never follows a link.
    Litter that cannot go now (a read-only folder) is left for next time."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not chosen(entry.name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
