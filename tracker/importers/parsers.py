"""Parsing in worker processes, where cores would otherwise sit idle.

Parsing is pure Python and holds the GIL, so threads fetch in parallel but parse one
at a time. With a pool, the large documents of a bulk import are parsed in worker
processes while the coordinator stores what is ready. A single feed, or a small one,
is always parsed where it is: starting the pool would cost more than it saves.

The pool costs CPU of its own (the workers start, each parsed feed travels back): on
a machine whose cores are all busy it makes the import slower (measured: ~8.7 s of CPU
against ~7 s for 100 feeds), on one with a spare core faster (the parse runs beside the
storing). So by default it is used only when, at the moment the first large document
arrives, at least most of a core is idle (Linux: ``/proc/stat`` over 0.2 s);
``TRACKER_PARSE_PROCESSES=N`` forces N workers (0 or 1: none).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterator

from .document import Draft, Read, draft, understand
from .machine import cores, parse_processes
from .records import FeedShow, episodes_from_rows, episodes_to_rows

if TYPE_CHECKING:  # loaded with the first pool: a single feed never needs multiprocessing
    from concurrent.futures import ProcessPoolExecutor

MIN_BYTES = 256 * 1024  # a smaller document parses faster than it travels to a worker
MAX_WORKERS = 4  # the coordinator stores what they parse: more would wait on it
SPARE_CORE = 0.8  # idle cores needed (besides what this import uses) to start a pool
SAMPLE_S = 0.2


def spare_cores(window_s: float = SAMPLE_S) -> float:
    """How many cores were idle over the last ``window_s`` (0 where it cannot be known)."""
    try:
        idle0, total0 = _cpu_times()
        time.sleep(window_s)
        idle1, total1 = _cpu_times()
    except (OSError, ValueError, IndexError):
        return 0.0
    if total1 <= total0:
        return 0.0
    return (idle1 - idle0) / (total1 - total0) * (os.cpu_count() or 1)


def _cpu_times() -> tuple[int, int]:
    """Idle and total time of all cores, in clock ticks, from ``/proc/stat``."""
    with open("/proc/stat", "rb") as f:
        values = [int(x) for x in f.readline().split()[1:9]]  # user .. steal (guest is in user)
    return values[3] + values[4], sum(values)  # idle + iowait


def auto_workers() -> int:
    """Worker processes for this machine now: one per core (at most ``MAX_WORKERS``) when
    at least ``SPARE_CORE`` of a core is idle, else none."""
    count = min(cores(), MAX_WORKERS)
    if count < 2 or spare_cores() < SPARE_CORE:
        return 0
    return count


def _understand_packed(read: Read) -> tuple[str, Any, list[tuple[Any, ...]] | None, Draft | None]:
    """``understand`` in a worker. A new feed's catalog update is made here too, under
    the id a new show gets (the coordinator uses it when the library agrees): that is
    work the coordinator, the one process that stores, need not do. Otherwise the
    episodes go back as rows of plain values (unpickling a thousand dataclass
    instances costs 2.5x more)."""
    kind, what = understand(read)
    if not isinstance(what, FeedShow):
        return kind, what, None, None
    made = None
    if read.folder is None and not any(ep.chapters_url for ep in what.episodes):  # (no chapter files to read)
        made = draft(what, read, kind)
        rows = None
    else:
        rows = episodes_to_rows(what.episodes)
    what.episodes = []
    return kind, what, rows, made


def _quiet() -> None:
    """Workers leave Ctrl-C to the coordinator (it saves what was done and reports)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Parsers:
    def __init__(self) -> None:
        self._pool: "ProcessPoolExecutor | None" = None
        self._lock = threading.Lock()
        self._broken = False
        self.workers = parse_processes()  # None: decided on first use
        self._open = threading.Event()  # cleared while the coordinator commits
        self._open.set()

    @contextmanager
    def paused(self) -> Iterator[None]:
        """No parse starts in this process meanwhile. A commit makes hundreds of system
        calls, each giving up the GIL; with parsing threads holding it, each call waited
        up to a switch interval to get it back (a 0.25 s commit took 1.3-2 s)."""
        self._open.clear()
        try:
            yield
        finally:
            self._open.set()

    def understand(self, read: Read, many: bool, alone: bool = False) -> tuple[str, Any, Draft | None]:
        """``document.understand(read)``, in a worker process when ``many`` documents are
        being imported, this one is large and the machine has more than one core; with
        the update a worker made for it (a ``Draft``, whose show holds no episodes).
        ``alone``: the run's only source, which may be read in halves (``halves.py``)."""
        pool = self._get() if many and len(read.raw) >= MIN_BYTES else None
        if pool is None:
            self._open.wait()
            return (*understand(read, alone=alone and not many), None)
        from concurrent.futures.process import BrokenProcessPool

        try:
            kind, what, rows, made = pool.submit(_understand_packed, read).result()
        except BrokenProcessPool:  # a worker died (killed, out of memory): parse here
            self._broken = True
            return (*understand(read), None)
        if rows is not None:
            what.episodes = episodes_from_rows(rows)
        return kind, what, made

    def _get(self) -> "ProcessPoolExecutor | None":
        if self._broken or (self.workers is not None and self.workers < 2):
            return None
        if self._pool is not None:
            return self._pool
        # While one thread measures the idle cores (0.2 s) and starts the pool, the
        # documents that arrive meanwhile are parsed where they are instead of waiting.
        if not self._lock.acquire(blocking=False):
            return None
        try:
            if self.workers is None:
                self.workers = auto_workers()
            if self.workers < 2:
                return None
            if self._pool is None:
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor

                method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
                context = multiprocessing.get_context(method)
                if method == "forkserver":
                    context.set_forkserver_preload(["tracker.importers.document"])
                self._pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_quiet)
            return self._pool
        finally:
            self._lock.release()

    def shutdown(self, wait: bool = True) -> None:
        """Ends the workers. A run that finished waits for them (quick: they are idle);
        left running, the interpreter's exit hook could wake the pool's manager through
        a pipe it was closing at that moment and print a traceback. A Ctrl-C does not wait."""
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=wait, cancel_futures=True)
                self._pool = None
