"""A deadline over a whole HTTP exchange, whatever the server's drip rate.

A socket timeout bounds each wait, not the exchange: a server that sends a byte just
before every timeout holds a read for ever. The watchdog shuts the connection's socket
when the deadline passes, whatever it is waiting for (a blocked read then ends at once).
If the deadline passes before the socket exists (a name lookup slower than the whole
deadline), the socket is shut as soon as it appears. Imports and sync both use it.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI loads http.client only when it downloads
    import http.client


class Watchdog:
    """One thread serves every request armed on it, one at a time (a sync's many
    requests); it ends when idle, or at ``close``."""

    IDLE_S = 5.0
    RECHECK_S = 0.05  # past the deadline with no socket yet: how often to look for it

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._conn: "http.client.HTTPConnection | None" = None
        self._deadline: float | None = None
        self._fired = False
        self._closed = False
        self._thread: threading.Thread | None = None

    def arm(self, conn: "http.client.HTTPConnection | None", seconds: float) -> None:
        """Start a request's deadline; ``conn`` may come later (``watch``)."""
        with self._cond:
            self._conn, self._deadline, self._fired = conn, time.monotonic() + seconds, False
            if self._thread is None:
                self._closed = False
                self._thread = threading.Thread(target=self._run, name="http-deadline", daemon=True)
                self._thread.start()
            self._cond.notify()

    def watch(self, conn: "http.client.HTTPConnection") -> None:
        """The connection the armed request uses now (the next hop of a redirect)."""
        with self._cond:
            self._conn = conn
            if self._fired and self._deadline is None:
                self._deadline = time.monotonic()  # already past it: shut this one too
            self._cond.notify()

    @property
    def fired(self) -> bool:
        with self._cond:
            return self._fired

    def disarm(self) -> bool:
        """Whether the deadline passed (after this, it never fires for that request)."""
        with self._cond:
            fired, self._fired = self._fired, False
            self._conn = self._deadline = None
            return fired

    def cut(self) -> None:
        """The armed request's deadline is now: its connection is shut at once (a request
        that must not go on, whatever the server does)."""
        with self._cond:
            if self._deadline is not None:
                self._deadline = time.monotonic()
                self._cond.notify()

    def close(self) -> None:
        """End the thread now (a one-request watchdog need not idle)."""
        with self._cond:
            self._closed = True
            self._cond.notify()

    def _run(self) -> None:
        with self._cond:
            while True:
                if self._closed:
                    self._thread = None
                    return
                if self._deadline is None:
                    if not self._cond.wait(self.IDLE_S) and self._deadline is None:
                        self._thread = None
                        return
                    continue
                left = self._deadline - time.monotonic()
                if left > 0:
                    self._cond.wait(left)
                    continue
                self._fired = True
                sock = self._conn.sock if self._conn is not None else None
                if sock is None:  # still connecting: shut it once it exists
                    self._deadline = time.monotonic() + self.RECHECK_S
                    continue
                self._deadline = None
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
