"""Writing files outside the library (exports) as safely as library files.

An export replaces its target atomically (temp beside it, fsync, rename), follows a
symlink to its target, and refuses any target inside the library folder: an export
must never replace the listening state it was made from. Temp files are named
``.{target}.tracker-{pid}.tmp``, so the next export into that folder can tell the
ones a killed export left behind and remove them.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from .atomic import fsync_dir, real_target, reason, remove_files_named, replace, stage
from .errors import TargetInLibrary, WriteFailed

EXPORT_MODE = 0o666  # an export is the user's file: the umask decides, as for any file they write
_EXPORT_TEMP = re.compile(r"\.(?P<target>[^/\x00]+)\.tracker-(?P<pid>[0-9]{1,10})\.tmp")


MAX_NAME_BYTES = 255  # a file name's limit on the usual file systems (ext4, btrfs, APFS, tmpfs)


def export_temp_name(target_name: str) -> str:
    """The temp beside ``target_name``: cut so that it fits where the target's own name
    does (a long name, 236 bytes or more, made a temp name too long, and the export failed)."""
    suffix = f".tracker-{os.getpid()}.tmp"
    name = target_name
    while len(os.fsencode(f".{name}{suffix}")) > MAX_NAME_BYTES and len(name) > 1:
        name = name[:-1]
    return f".{name}{suffix}"


def write_export(path: Path | str, data: bytes, library: Path | None) -> Path:
    """Write ``data`` to ``path``, all or nothing; return the file written (a symlink's target).

    Raises ``TargetInLibrary`` for a target inside ``library`` and ``WriteFailed`` (one
    line, the old file intact) when the write cannot be made."""
    path = Path(path)
    target = real_target(path)
    if library is not None and inside(target, library):
        raise TargetInLibrary(
            f"cannot write {path}: it is inside the library folder {library}; export to a file outside it"
        )
    folder = target.parent
    if not folder.is_dir():
        raise WriteFailed(f"cannot write {path}: the folder {folder} does not exist")
    try:
        st: os.stat_result | None = os.stat(target)
    except OSError:
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise WriteFailed(f"cannot write {path}: it is a folder")
    if st is not None and not stat.S_ISREG(st.st_mode):
        _write_through(path, target, data)  # a pipe or a device (/dev/stdout): nothing to replace
        return target
    clean_export_temps(folder)
    tmp = stage(target, data, EXPORT_MODE, tmp=folder / export_temp_name(target.name))
    replace(tmp, target)
    fsync_dir(folder)
    return target


def inside(target: Path, library: Path) -> bool:
    """True when ``target`` would land in ``library`` or a folder under it (symlinks,
    ``..`` and other spellings of the same folder included)."""
    parent = Path(os.path.realpath(target.parent))
    real_library = Path(os.path.realpath(library))
    if parent == real_library or real_library in parent.parents:
        return True
    try:
        lib = os.stat(library)
    except OSError:
        return False
    for folder in (parent, *parent.parents):
        try:
            st = os.stat(folder)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) == (lib.st_dev, lib.st_ino):
            return True
    return False


def clean_export_temps(folder: Path) -> list[Path]:
    """Remove export temp files whose writer is gone (killed mid-export)."""

    def orphan(name: str) -> bool:
        match = _EXPORT_TEMP.fullmatch(name)
        return match is not None and not _alive(int(match["pid"]))

    return remove_files_named(folder, orphan)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True  # another thread of this process may be exporting now
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process, or not a pid we can judge: leave it
    return True


def _write_through(path: Path, target: Path, data: bytes) -> None:
    try:
        fd = os.open(target, os.O_WRONLY)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
    except OSError as err:
        raise WriteFailed(f"cannot write {path}: {reason(err, target.parent)}") from err

