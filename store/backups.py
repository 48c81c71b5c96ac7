"""Rotating daily backups, taken before the first write of each day.

A backup is a hard link to the file about to be replaced: since every write
renames a new file over the old one, the link keeps the old bytes at no cost.
"""

from __future__ import annotations

import os
import shutil
import time
from datetime import date
from pathlib import Path

DEFAULT_KEEP = 7


class Backups:
    def __init__(self, folder: Path, keep: int = DEFAULT_KEEP) -> None:
        self.folder = folder
        self.keep = keep

    def path_for(self, name: str, day: date) -> Path:
        return self.folder / f"{name}.{day.isoformat()}.json"

    def before_write(self, path: Path, name: str, today: date | None = None) -> None:
        """Keep today's first version of ``path`` (if it exists), then prune old ones."""
        if not path.exists():
            return
        target = self.path_for(name, today or date.today())
        if target.exists():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        self.keep_copy(path, target)
        for old in self.list(name)[self.keep :]:
            old.unlink(missing_ok=True)

    def keep_copy(self, source: Path, target: Path) -> None:
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)

    def list(self, name: str) -> list[Path]:
        """Backups of ``name``, newest first."""
        if not self.folder.is_dir():
            return []
        found = [p for p in self.folder.glob(f"{name}.*.json")]
        return sorted(found, key=lambda p: p.name, reverse=True)

    def aside_path(self, path: Path, reason: str) -> Path:
        """Where a damaged or outdated file is kept: beside it, timestamped."""
        stamp = time.strftime("%Y%m%dT%H%M%S")
        candidate = path.with_name(f"{path.stem}.{reason}-{stamp}{path.suffix}")
        n = 1
        while candidate.exists():
            n += 1
            candidate = path.with_name(f"{path.stem}.{reason}-{stamp}-{n}{path.suffix}")
        return candidate
