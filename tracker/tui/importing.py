"""Imports and refreshes from the TUI, off the event loop: an import runs in a child
process (``import_in_process``: parsing a large or hostile feed is CPU work that would
hold the GIL and freeze the screen), a refresh in a thread worker with a Library of its
own. Progress and the outcome go back to the app as messages (``Progress``, then
``Imported``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from textual.app import App
from textual.message import Message

from ..importers.background import import_in_process
from ..importers.service import Outcome, refresh
from ..importers.service import Progress as Step
from ..model.errors import StoreError, TrackerError
from ..model.library import Library
from .messages import Progress

Work = Callable[[Path, Callable[[Step], None]], list[Outcome]]


class Imported(Message):
    """An import or refresh finished: each source's outcome, or why it all failed."""

    def __init__(self, what: str, outcomes: list[Outcome], failure: str | None = None) -> None:
        super().__init__()
        self.what = what
        self.outcomes = outcomes
        self.failure = failure


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

    def _run(self, key: str, what: str, work: Work) -> None:
        self.running = key
        app, folder = self.app, self.folder

        def progress(step: Step) -> None:
            app.post_message(Progress(f"{what}: {step.line()}", fraction=fraction(step)))

        def run() -> None:
            try:
                outcomes = work(folder, progress)
            except (TrackerError, StoreError, OSError) as err:  # the job ends, not the app
                app.post_message(Imported(what, [], failure=str(err)))
                return
            app.post_message(Imported(what, outcomes))

        app.post_message(Progress(f"{what}…"))
        app.run_worker(run, thread=True, group="catalog")


def import_work(source: str | None, remote_chapters: bool, text: str | None = None) -> Work:
    """A path or URL, or pasted text (a show page copied from a podcast app)."""
    return lambda folder, progress: import_in_process(folder, [source] if source else [], text=text,
                                                      remote_chapters=remote_chapters, progress=progress)


def refresh_work(show_id: str | None, remote_chapters: bool) -> Work:
    return lambda folder, progress: refresh(Library(folder), show_id=show_id, remote_chapters=remote_chapters,
                                            progress=progress)
