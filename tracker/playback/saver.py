"""Library work for playback, off the event loop and in order.

Every read and write runs in a worker thread (``asyncio.to_thread``), one at a time, on
a Library of the player's own (its own lock handle and caches). Writes of the heard time
are cumulative snapshots, so only the newest pending one is worth writing: while one is
being written the next ones collapse into one. A busy library (another process holding
the lock past its timeout) delays a write; it never drops one.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TypeVar

from ..model.errors import LibraryBusy

from ..model.library import Library

T = TypeVar("T")
BUSY_RETRY_S = 0.5
BUSY_LOCK_TIMEOUT_S = 2.0  # one attempt at the lock; a busy library is retried, never given up on


@dataclass(frozen=True)
class Snapshot:
    """Everything heard in one playing session so far (writing it twice changes nothing)."""

    session_id: str
    eid: str
    spans: list[tuple[float, float]]
    position_s: float
    ended: bool = False


@dataclass
class Saver:
    folder: Path
    on_busy: Callable[[bool], None] = lambda busy: None  # waiting for the lock, and done waiting
    on_error: Callable[[str], None] = lambda message: None
    library: Library = field(init=False)
    _lock: asyncio.Lock = field(init=False, default_factory=asyncio.Lock)
    _pending: Snapshot | None = None
    _writing: asyncio.Task[None] | None = None
    writes: int = 0  # snapshots written (for tests and the status of a busy library)

    def __post_init__(self) -> None:
        self.library = Library(self.folder, lock_timeout=BUSY_LOCK_TIMEOUT_S)

    async def run(self, fn: Callable[[Library], T]) -> T:
        """``fn(library)`` in a worker thread, after the work queued before it; retried
        while the library is busy."""
        async with self._lock:
            waited = False
            try:
                while True:
                    try:
                        return await asyncio.to_thread(fn, self.library)
                    except LibraryBusy:
                        if not waited:
                            waited = True
                            self.on_busy(True)
                        await asyncio.sleep(BUSY_RETRY_S)
            finally:
                if waited:
                    self.on_busy(False)

    def save(self, snap: Snapshot) -> None:
        """Write ``snap`` soon; a newer one given before that replaces it."""
        self._pending = snap
        if self._writing is None or self._writing.done():
            self._writing = asyncio.get_running_loop().create_task(self._drain())

    async def flush(self) -> None:
        """Wait until every snapshot given so far has landed."""
        while self._writing is not None and not self._writing.done():
            await asyncio.shield(self._writing)

    async def _drain(self) -> None:
        while self._pending is not None:
            snap, self._pending = self._pending, None
            try:
                await self.run(lambda lib: _write(lib, snap))
                self.writes += 1
            except Exception as err:  # noqa: BLE001 - a failed write is said, playback goes on
                self.on_error(f"could not save the progress: {err}")


def _write(library: Library, snap: Snapshot) -> Any:
    """Spans are cumulative: the model adds them as a union, so a repeat changes nothing."""
    return library.record_play(snap.eid, snap.spans, snap.position_s, snap.session_id, finished=snap.ended)
