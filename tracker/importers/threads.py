"""The worker threads an import downloads and parses on, and the queue of what they finished.

Threads that never keep the process alive (a Ctrl-C ends it at once). Each finished
job goes to ``done`` (a queue, not futures: ``concurrent.futures`` would load
``logging`` and more at every start, a few ms of a single feed's import).
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from typing import Any, Callable, Generic, TypeVar

J = TypeVar("J")


@dataclass
class Done(Generic[J]):
    """A finished job: what it returned, or what it raised (raised again by ``result``)."""

    job: J
    value: Any = None
    error: BaseException | None = None

    def result(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.value


class ThreadPool(Generic[J]):
    """``size`` threads running the functions submitted with their job, in order."""

    def __init__(self, size: int) -> None:
        self._jobs: queue.SimpleQueue[tuple[J, Callable[[], Any]] | None] = queue.SimpleQueue()
        self.done: queue.SimpleQueue[Done[J]] = queue.SimpleQueue()
        self._threads = [threading.Thread(target=self._work, daemon=True) for _ in range(size)]
        for t in self._threads:
            t.start()

    def submit(self, job: J, fn: Callable[[], Any]) -> None:
        self._jobs.put((job, fn))

    def _work(self) -> None:
        while (item := self._jobs.get()) is not None:
            job, fn = item
            try:
                finished = Done(job, fn())
            except BaseException as err:  # noqa: BLE001 - handed to the coordinator
                finished = Done(job, error=err)
            self.done.put(finished)

    def finished(self, timeout: float | None) -> list[Done[J]]:
        """The jobs finished by now, waiting up to ``timeout`` (None: for ever) for the first."""
        try:
            out = [self.done.get(timeout=timeout)]
        except queue.Empty:
            return []
        while True:
            try:
                out.append(self.done.get_nowait())
            except queue.Empty:
                return out

    def shutdown(self) -> None:
        for _ in self._threads:
            self._jobs.put(None)
