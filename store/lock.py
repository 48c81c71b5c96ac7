"""One writer at a time across processes (two TUIs and a CLI command, say).

On POSIX this is ``flock`` on a lock file, polled until a timeout: the filelock
package does the same but its import costs more than a whole CLI command's work
(measured: ~20-30 ms), so it is used only where ``fcntl`` does not exist.
"""

from __future__ import annotations

import errno
import math
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .atomic import FILE_MODE, failure, reason
from .errors import BadSetting, LibraryBusy, WriteFailed

DEFAULT_TIMEOUT_S = 10.0
MAX_TIMEOUT_S = 86400.0
TIMEOUT_VARIABLE = "TRACKER_LOCK_TIMEOUT"
POLL_S = 0.01

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def lock_timeout() -> float:
    """The timeout in seconds; ``TRACKER_LOCK_TIMEOUT`` overrides the default.

    A value that is not a finite number from 0 to a day is refused (``BadSetting``)
    rather than guessed at: ``inf`` or ``nan`` would wait forever or not at all."""
    raw = os.environ.get(TIMEOUT_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT_S
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (0.0 <= value <= MAX_TIMEOUT_S):  # also false for nan
        shown = raw if len(raw) <= 40 else raw[:40] + "..."
        raise BadSetting(
            f"{TIMEOUT_VARIABLE} must be a number of seconds from 0 to {MAX_TIMEOUT_S:g}, not {shown!r}"
        )
    return value


class WriterLock:
    """A re-entrant file lock held only for a read-modify-write, never while idle."""

    def __init__(self, path: Path, timeout: float | None = None) -> None:
        self.path = path
        self.timeout = lock_timeout() if timeout is None else timeout
        self._fd: int | None = None
        self._depth = 0
        self._fallback = None
        self._thread_lock = threading.RLock()  # threads of one process take turns too

    @contextmanager
    def held(self) -> Iterator[None]:
        if not self._thread_lock.acquire(timeout=self.timeout if self.timeout > 0 else -1):
            raise self._busy()
        try:
            if self._depth == 0:
                self._acquire()
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._release()
        finally:
            self._thread_lock.release()

    def _busy(self) -> LibraryBusy:
        return LibraryBusy(f"library is busy: another tracker has held it for {self.timeout:g} s; try again")

    def _acquire(self) -> None:
        if fcntl is None:  # pragma: no cover - Windows
            from filelock import FileLock, Timeout

            self._fallback = FileLock(str(self.path), timeout=self.timeout)
            try:
                self._fallback.acquire()
            except Timeout:
                raise self._busy() from None
            return
        fd = self._open()
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise self._busy() from None
                time.sleep(POLL_S)
            except OSError as err:
                # A file system without locks (some network or FUSE mounts): said with where,
                # not a bare "Function not implemented", and the descriptor not left open.
                os.close(fd)
                raise WriteFailed(
                    f"cannot lock the library in {self.path.parent}: {reason(err, self.path.parent)}; "
                    "nothing was changed"
                ) from err
        self._fd = fd

    def _open(self) -> int:
        """The lock file's descriptor; in a read-only folder an existing lock file still locks
        (flock needs no write access), so what follows fails with a clear line of its own."""
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        except OSError as err:
            if err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                try:
                    return os.open(self.path, os.O_RDONLY)
                except OSError:
                    pass
            raise WriteFailed(failure(self.path, err)) from err

    def _release(self) -> None:
        if self._fallback is not None:  # pragma: no cover - Windows
            self._fallback.release()
            self._fallback = None
            return
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
