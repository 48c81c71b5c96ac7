"""One writer at a time across processes (two TUIs and a CLI command, say)."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout

from .errors import LibraryBusy

DEFAULT_TIMEOUT_S = 10.0


def lock_timeout() -> float:
    """The timeout in seconds; ``TRACKER_LOCK_TIMEOUT`` overrides the default."""
    raw = os.environ.get("TRACKER_LOCK_TIMEOUT")
    if raw:
        try:
            return max(0.0, float(raw))
        except ValueError:
            pass
    return DEFAULT_TIMEOUT_S


class WriterLock:
    """A re-entrant file lock held only for a read-modify-write, never while idle."""

    def __init__(self, path: Path, timeout: float | None = None) -> None:
        self.path = path
        self.timeout = lock_timeout() if timeout is None else timeout
        self._lock = FileLock(str(path), timeout=self.timeout, thread_local=False)

    @contextmanager
    def held(self) -> Iterator[None]:
        try:
            self._lock.acquire()
        except Timeout:
            raise LibraryBusy(
                f"library is busy: another tracker has held it for {self.timeout:g} s; try again"
            ) from None
        try:
            yield
        finally:
            self._lock.release()

    @property
    def is_held(self) -> bool:
        return self._lock.is_locked
