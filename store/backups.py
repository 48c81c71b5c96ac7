"""Rotating daily backups, taken before the first write of each day.

A backup is a hard link to the file about to be replaced: since every write
renames a new file over the old one, the link keeps the old bytes at no cost.
Besides the daily ones, a migration keeps the file it upgraded as
``NAME.schemaN.json``; those are never rotated away.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .atomic import FOLDER_MODE, real_target, reason, remove_quietly
from .errors import WriteFailed

DEFAULT_KEEP = 7
_DAILY = re.compile(r"(?P<day>[0-9]{4}-[0-9]{2}-[0-9]{2})")
_SCHEMA = re.compile(r"schema-?[0-9]{1,6}")


@dataclass(frozen=True)
class Backup:
    path: Path
    day: date  # the day in a daily backup's name; for others, the day its content was written
    mtime_ns: int
    daily: bool


class Backups:
    def __init__(self, folder: Path, keep: int = DEFAULT_KEEP) -> None:
        self.folder = folder
        self.keep = keep

    def path_for(self, name: str, day: date) -> Path:
        return self.folder / f"{name}.{day.isoformat()}.json"

    def before_write(self, path: Path, name: str, today: date | None = None) -> None:
        """Keep today's first version of ``path`` (if it exists), then prune old ones.

        A backup that cannot be taken stops the write: nothing is changed unprotected."""
        if not path.exists():
            return
        target = self.path_for(name, today or date.today())
        if target.exists():
            return
        try:
            self.ensure_folder()
            self.keep_copy(path, target)
        except OSError as err:
            raise WriteFailed(
                f"cannot keep a backup of {path.name}: {self.why(err)}; nothing was changed"
            ) from err
        for old in [b for b in self.found(name) if b.daily][self.keep :]:
            try:
                old.path.unlink()
            except OSError:
                pass  # pruning is tidying: it never fails a write

    def ensure_folder(self) -> None:
        self.folder.mkdir(mode=FOLDER_MODE, exist_ok=True)

    def why(self, err: OSError) -> str:
        """Why a backup could not be kept. The folder's mkdir fails "file exists" only when
        something else has its name (a file, a link to nowhere): that is what to say."""
        if isinstance(err, FileExistsError) and not self.folder.is_dir():
            return f"{self.folder} is not a folder; move it aside"
        return reason(err, self.folder)

    def keep_copy(self, source: Path, target: Path) -> None:
        """Link ``target`` to the bytes of ``source`` (a symlink's target); copy across devices."""
        source = real_target(source)
        try:
            os.link(source, target)
            return
        except OSError:
            pass
        try:
            shutil.copy2(source, target)
        except BaseException:
            # Half a copy (a full disk) under the backup's name would pass for the day's
            # backup, and no whole one would be taken that day; a schema backup, the only copy
            # of the file before its upgrade, would be kept half forever.
            remove_quietly(target)
            raise

    def found(self, name: str) -> list[Backup]:
        """Backups of ``name``, newest first by date (then by when their content was written)."""
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return []
        prefix = f"{name}."
        out = []
        for entry in entries:
            if not (entry.name.startswith(prefix) and entry.name.endswith(".json")):
                continue
            middle = entry.name[len(prefix) : -len(".json")]
            daily = _DAILY.fullmatch(middle)
            if not daily and not _SCHEMA.fullmatch(middle):
                continue
            try:
                st = entry.stat()  # follows a symlink: a backup is its bytes wherever they are
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode):
                continue
            day = _day(daily["day"]) if daily else None
            day = day or date.fromtimestamp(st.st_mtime)
            out.append(Backup(Path(entry.path), day, st.st_mtime_ns, bool(daily)))
        return sorted(out, key=lambda b: (b.day, b.mtime_ns, b.daily), reverse=True)

    def names(self) -> set[str]:
        """The files with a backup, by name, in one look at the folder: a file that has one
        existed (a backup is taken only of a file being replaced)."""
        try:
            entries = os.listdir(self.folder)
        except OSError:
            return set()
        out = set()
        for entry in entries:
            name, _, middle = entry.removesuffix(".json").rpartition(".")
            if entry.endswith(".json") and name and (_DAILY.fullmatch(middle) or _SCHEMA.fullmatch(middle)):
                out.add(name)
        return out

    def list(self, name: str) -> list[Path]:
        """Backups of ``name``, newest first."""
        return [b.path for b in self.found(name)]

    def aside_path(self, path: Path, why: str) -> Path:
        """Where a damaged or outdated file is kept: beside it, timestamped."""
        stamp = time.strftime("%Y%m%dT%H%M%S")
        candidate = path.with_name(f"{path.stem}.{why}-{stamp}{path.suffix}")
        n = 1
        while os.path.lexists(candidate):
            n += 1
            candidate = path.with_name(f"{path.stem}.{why}-{stamp}-{n}{path.suffix}")
        return candidate


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
