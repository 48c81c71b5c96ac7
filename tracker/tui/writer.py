"""Model writes off the event loop: one thread runs them one at a time, in the order
they were asked for, so input and repaint never wait on the library lock (another
process may hold it for seconds). Each result goes back to the app as a message.
"""

from __future__ import annotations

import asyncio
import queue
import threading

from textual.message_pump import MessagePump

from .messages import Waiting, Write, Written

WAIT_NOTICE_S = 0.15  # a write still running after this is "waiting for the library…"


class Writer:
    def __init__(self, target: MessagePump) -> None:
        self.target = target  # the app: gets Written and Waiting
        self._jobs: queue.SimpleQueue[Write | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._pending = 0  # asked for and not yet reported back (event-loop side)
        self._idle: asyncio.Event | None = None
        self._failed: list[tuple[Write, Exception]] = []  # failures not yet said (``said``)
        self._failed_lock = threading.Lock()

    @property
    def pending(self) -> int:
        return self._pending

    def submit(self, write: Write) -> None:
        """Queue a write (on the event loop); its ``Written`` arrives when it has run."""
        self._pending += 1
        if self._idle is not None:
            self._idle.clear()
        self._jobs.put(write)
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="tracker-writer", daemon=True)
            self._thread.start()

    def reported(self) -> None:
        """The app handled one ``Written`` (on the event loop)."""
        self._pending -= 1
        if self._pending == 0 and self._idle is not None:
            self._idle.set()

    async def idle(self) -> None:
        """Until every write asked for so far has landed and been reported."""
        if self._pending == 0:
            return
        if self._idle is None:
            self._idle = asyncio.Event()
        await self._idle.wait()

    def said(self, write: Write) -> None:
        """The app has told the user why ``write`` failed (on the event loop)."""
        with self._failed_lock:
            self._failed = [(w, e) for w, e in self._failed if w is not write]

    def unsaid(self) -> list[tuple[Write, Exception]]:
        """Failures no screen told of: those of the writes that ran while the app was
        quitting (waiting for another tracker's lock), for the line it leaves behind."""
        with self._failed_lock:
            return list(self._failed)

    def close(self, timeout: float | None = None) -> None:
        """Let queued writes finish (nothing asked for is dropped at quit), then stop."""
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while True:
            write = self._jobs.get()
            if write is None:
                return
            said_waiting = threading.Event()

            def waiting() -> None:
                said_waiting.set()
                self.target.post_message(Waiting(True))

            timer = threading.Timer(WAIT_NOTICE_S, waiting)
            timer.daemon = True
            timer.start()
            try:
                result = write.do()
            except Exception as err:  # noqa: BLE001 - reported to the user by the app
                with self._failed_lock:
                    self._failed.append((write, err))
                message = Written(write, error=err)
            else:
                message = Written(write, result=result)
            finally:
                timer.cancel()
                timer.join()  # a notice already on its way is posted before the "done"
            if said_waiting.is_set():
                self.target.post_message(Waiting(False))
            self.target.post_message(message)
