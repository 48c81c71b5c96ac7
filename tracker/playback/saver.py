"""Library work for playback, out of the player's process and in order.

Every read and write goes to a worker process of the player's own (``worker.py``): a
write at 100k episodes holds the GIL for tens of milliseconds in C calls, which from a
thread would still delay the screen's frames. Requests go one at a time, in order.
Writes of the heard time are cumulative snapshots, so only the newest pending one is
worth writing: while one is being written the next ones collapse into one. A busy
library (another process holding the lock) delays a write; it never drops one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..model import errors

BUSY_RETRY_S = 0.25
WORKER_START_TIMEOUT_S = 30.0
LINE_LIMIT = 16 * 1024 * 1024  # an episode's whole document, with a long chapter list


@dataclass(frozen=True)
class Snapshot:
    """Everything heard in one playing session so far (writing it twice changes nothing)."""

    session_id: str
    eid: str
    spans: list[tuple[float, float]]
    position_s: float
    ended: bool = False
    length_s: float | None = None  # the audio's length as mpv measured it (None: not known)


class WorkerGone(errors.PlaybackError):
    """The library worker exited (it is started again for the next request)."""


@dataclass
class Saver:
    folder: Path
    on_busy: Callable[[bool], None] = lambda busy: None  # waiting for the lock, and done waiting
    on_error: Callable[[str], None] = lambda message: None
    on_saved: Callable[[Snapshot, Any], None] = lambda snap, reply: None  # a snapshot landed: the worker's reply
    _lock: asyncio.Lock = field(init=False, default_factory=asyncio.Lock)
    _proc: asyncio.subprocess.Process | None = None
    _next_id: int = 0
    _pending: Snapshot | None = None
    _writing: asyncio.Task[None] | None = None
    writes: int = 0  # snapshots written
    failed: str | None = None  # why the newest snapshot could not be written (None: it was)

    async def call(self, op: str, **args: Any) -> Any:
        """``op`` done by the worker, after the requests before it; retried while the
        library is busy. Failures come back as the model's own error classes."""
        async with self._lock:
            waited = False
            try:
                while True:
                    reply = await self._ask_twice(op, args)
                    if not reply.get("busy"):
                        break
                    if not waited:
                        waited = True
                        self.on_busy(True)
                    await asyncio.sleep(BUSY_RETRY_S)
            finally:
                if waited:
                    self.on_busy(False)
        if "error" in reply:
            raise _rebuilt(reply)
        return reply.get("ok")

    async def _ask_twice(self, op: str, args: dict[str, Any]) -> dict[str, Any]:
        """A worker that went away (killed, crashed; a Ctrl-C that came while it was being
        started, before it left our process group) is replaced once: every request is safe
        to repeat (a snapshot is cumulative, a mark or a speed the same twice)."""
        try:
            return await self._ask(op, args)
        except WorkerGone:
            return await self._ask(op, args)

    async def _ask(self, op: str, args: dict[str, Any]) -> dict[str, Any]:
        proc = await self._worker()
        assert proc.stdin is not None and proc.stdout is not None
        self._next_id += 1
        rid = self._next_id
        try:
            proc.stdin.write((json.dumps({"id": rid, "op": op, "args": args}) + "\n").encode())
            await proc.stdin.drain()
            while True:  # a reply to a request given up on (cancelled) is passed over
                line = await proc.stdout.readline()
                if not line:
                    break
                reply = json.loads(line)
                if isinstance(reply, dict) and reply.get("id") == rid:
                    return reply
        except (ConnectionError, ValueError):
            pass
        self._proc = None
        raise WorkerGone("the library worker stopped; the next write starts it again")

    async def _worker(self) -> asyncio.subprocess.Process:
        if self._proc is None or self._proc.returncode is not None:
            self._proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "tracker.playback.worker", str(self.folder),
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
                limit=LINE_LIMIT,
                # Out of our process group: Ctrl-C on a terminal signals the whole group, and
                # the worker must live to write the save that stopping makes (it exits when
                # its stdin closes, so it never outlives us).
                start_new_session=True,
            )
        return self._proc

    # -- heard time -------------------------------------------------------------------------
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
                reply = await self.call("record", eid=snap.eid, spans=snap.spans, position_s=snap.position_s,
                                        session=snap.session_id, finished=snap.ended, length_s=snap.length_s)
                self.writes += 1
                self.failed = None
                self.on_saved(snap, reply)
            except Exception as err:  # noqa: BLE001 - a failed write is said, playback goes on
                why = f"could not save the progress: {err}"
                if why != self.failed:  # said once, not at every save that fails alike
                    self.on_error(why)
                self.failed = why

    async def close(self) -> None:
        """Let the worker finish and exit (its stdin closes)."""
        await self.flush()
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            await asyncio.wait_for(proc.wait(), 10)
        except asyncio.TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()


def _rebuilt(reply: dict[str, Any]) -> Exception:
    """The worker's failure as the same error class here (``str()`` is its one line)."""
    message = str(reply.get("error") or "the library worker failed")
    cls = getattr(errors, str(reply.get("kind")), None)
    if not (isinstance(cls, type) and issubclass(cls, (errors.TrackerError, errors.StoreError))):
        cls = errors.PlaybackError
    err = cls.__new__(cls)
    Exception.__init__(err, message)
    if isinstance(err, errors.TrackerError) and isinstance(reply.get("exit"), int):
        err.exit_code = reply["exit"]
    return err
