"""Imports and refreshes from the TUI, off the event loop: each runs in a child process
(``background.py``: parsing a large or hostile feed is CPU work that would hold the GIL and
freeze the screen), waited on by a thread. Progress and the outcome go back to the
app as messages (``Progress``, then ``Imported``); quitting stops the child as a Ctrl-C
does (what it read is saved)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable, Literal

from textual.app import App
from textual.message import Message

from ..importers.background import import_in_process, refresh_in_process
from ..importers.service import Outcome
from ..importers.sources import STDIN
from ..model.words import plural
from ..importers.service import Progress as Step
from ..model.errors import StoreError, TrackerError
from .messages import Progress

SAID_ONE_BY_ONE = 3  # more feeds read (or failed) than this are said in one notice
Work = Callable[[Path, Callable[[Step], None], threading.Event], list[Outcome]]  # (set: stop, keep what was read)


class Imported(Message):
    """An import or refresh finished: each source's outcome, or why it all failed."""

    def __init__(self, what: str, outcomes: list[Outcome], failure: str | None = None) -> None:
        super().__init__()
        self.what = what
        self.outcomes = outcomes
        self.failure = failure


def notices(what: str, outcomes: list[Outcome]) -> list[tuple[str, Literal["information", "error"]]]:
    """What a finished job says: each source as the CLI names it, or, past a few, one line
    for the feeds read and one for the failures (a notice a source covered the screen, and
    the first ones, a failure among them, ran off its top unseen)."""
    read = [o for o in outcomes if o.ok and o.kind != "opml"]  # (a list is no feed read)
    failed = [o for o in outcomes if not o.ok]
    out: list[tuple[str, Literal["information", "error"]]] = []
    if len(read) > SAID_ONE_BY_ONE:
        added, updated = sum(o.added for o in read), sum(o.updated for o in read)
        out.append((f"{what}: {plural(len(read), 'feed')} read: {plural(added, 'new episode')}, {updated:,} updated",
                    "information"))
    for o in outcomes:
        source = "the pasted text" if o.source == STDIN else o.source  # the dialog refuses a typed "-"
        if not o.ok and len(failed) > SAID_ONE_BY_ONE:
            if o is failed[0]:
                out.append((f"{what}: {plural(len(failed), 'source')} failed: {source}: {o.message}; "
                            f"and {len(failed) - 1:,} more", "error"))
        elif not o.ok:
            out.append((f"{source}: {o.message}", "error"))
        elif len(read) <= SAID_ONE_BY_ONE or o.kind == "opml":  # (a refresh imports nothing: no "imported")
            out.append((f"{o.show or source}: {o.message}", "information"))
    return out


def fraction(step: Step) -> float | None:
    return step.done / step.total if step.total else None


class Jobs:
    """The app's imports and refreshes, run one at a time in the order asked: side by side
    (R pressed twice) they fetched every feed twice, said each outcome twice, and the first
    to end cleared the status line while the other still ran. A job asked for again while
    it runs or waits is said, not run twice."""

    def __init__(self, app: App[Any], folder: Path) -> None:
        self.app = app
        self.folder = folder
        self.running: str | None = None  # the key of the job running now
        self.waiting: list[tuple[str, str, Work]] = []  # (key, what, work), in the order asked
        self.cancel = threading.Event()  # the running job's: set, its process stops
        self.started = threading.Event()  # the running job's: its thread began it
        self.ended = threading.Event()  # the running job's: its thread is done with it
        self.lock = threading.Lock()  # (a job's thread starts it, or sees it was stopped first)

    def start(self, what: str, work: Work, key: str | None = None) -> None:
        """Run ``work`` now, or after the jobs before it; ``key`` (else ``what``) says which
        requests are the same job (two different pastes share their ``what``)."""
        key = key or what
        if key == self.running or any(k == key for k, _, _ in self.waiting):
            state = "already running" if key == self.running else "already waiting to run"
            self.app.notify(f"{what}: {state}", markup=False, timeout=3)
        elif self.running is not None:
            self.waiting.append((key, what, work))
            self.app.notify(f"{what}: waits for the one running", markup=False, timeout=3)
        else:
            self._run(key, what, work)

    def finished(self) -> None:
        """The running job's ``Imported`` was handled: the next one waiting starts."""
        self.running = None
        if self.waiting:
            self._run(*self.waiting.pop(0))

    def stop(self) -> None:
        """On quitting: the job running stops as at a Ctrl-C, what it read saved, and ends
        before the app does (it went on fetching after the screen was gone, holding the
        shell's prompt until its feeds answered, and wrote the library after the quit);
        the jobs waiting never start."""
        self.waiting.clear()
        with self.lock:
            self.cancel.set()  # (a job whose thread has not begun it never will)
            begun = self.started.is_set()
        if begun:
            self.ended.wait()

    def _run(self, key: str, what: str, work: Work) -> None:
        self.running = key
        app, folder = self.app, self.folder
        cancel, started, ended = threading.Event(), threading.Event(), threading.Event()
        self.cancel, self.started, self.ended = cancel, started, ended

        def progress(step: Step) -> None:
            app.post_message(Progress(f"{what}: {step.line()}", fraction=fraction(step)))

        def run() -> None:
            with self.lock:
                if cancel.is_set():
                    return
                started.set()
            try:
                outcomes = work(folder, progress, cancel)
            except (TrackerError, StoreError, OSError) as err:  # the job ends, not the app
                app.post_message(Imported(what, [], failure=str(err)))
                return
            finally:
                ended.set()
            app.post_message(Imported(what, outcomes))

        app.post_message(Progress(f"{what}…"))
        app.run_worker(run, thread=True, group="catalog")


def import_work(source: str | None, remote_chapters: bool, text: str | None = None) -> Work:
    """A path or URL, or pasted text (a show page copied from a podcast app)."""
    return lambda folder, progress, cancel: import_in_process(
        folder, [source] if source else [], text=text, remote_chapters=remote_chapters, progress=progress,
        cancel=cancel)


def refresh_work(show_id: str | None, remote_chapters: bool) -> Work:
    return lambda folder, progress, cancel: refresh_in_process(
        folder, show_id=show_id, remote_chapters=remote_chapters, progress=progress, cancel=cancel)
