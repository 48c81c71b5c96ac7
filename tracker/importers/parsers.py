"""Parsing in worker processes, where asked for (``TRACKER_PARSE_PROCESSES=N``).

Parsing is pure Python and holds the GIL, so threads fetch in parallel but parse one
at a time. With a pool, the large documents of a bulk import are parsed in worker
processes while the coordinator stores what is ready. A single feed, or a small one,
is always parsed where it is: starting the pool would cost more than it saves.
"""

from __future__ import annotations

import os
import signal
import threading
from typing import TYPE_CHECKING, Any

from .document import Read, understand

if TYPE_CHECKING:  # loaded with the first pool: a single feed never needs multiprocessing
    from concurrent.futures import ProcessPoolExecutor

MIN_BYTES = 256 * 1024  # a smaller document parses faster than it travels to a worker


def _workers() -> int:
    """``TRACKER_PARSE_PROCESSES=N`` (2 or more) parses in N worker processes; by default
    (and with 0 or 1) the importing process parses: measured on a busy two-core machine,
    shipping each parsed feed back cost more than the second core gave (bench/import_opml.py
    prints both)."""
    raw = os.environ.get("TRACKER_PARSE_PROCESSES", "").strip()
    return min(int(raw), 16) if raw.isdigit() else 0


def _quiet() -> None:
    """Workers leave Ctrl-C to the coordinator (it saves what was done and reports)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Parsers:
    def __init__(self) -> None:
        self._pool: "ProcessPoolExecutor | None" = None
        self._lock = threading.Lock()
        self._broken = False
        self.workers = _workers()

    def understand(self, read: Read, many: bool) -> tuple[str, Any]:
        """``document.understand(read)``, in a worker process when ``many`` documents are
        being imported, this one is large and the machine has more than one core."""
        pool = self._get() if many and len(read.raw) >= MIN_BYTES else None
        if pool is None:
            return understand(read)
        from concurrent.futures.process import BrokenProcessPool

        try:
            return pool.submit(understand, read).result()
        except BrokenProcessPool:  # a worker died (killed, out of memory): parse here
            self._broken = True
            return understand(read)

    def _get(self) -> "ProcessPoolExecutor | None":
        if self.workers < 2 or self._broken:
            return None
        with self._lock:
            if self._pool is None:
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor

                method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
                context = multiprocessing.get_context(method)
                if method == "forkserver":
                    context.set_forkserver_preload(["tracker.importers.document"])
                self._pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_quiet)
            return self._pool

    def shutdown(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
