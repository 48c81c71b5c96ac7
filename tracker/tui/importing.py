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


def start(app: App[Any], folder: Path, what: str, work: Work) -> None:
    """Run ``work`` in a thread worker (one catalog job at a time)."""

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
    app.run_worker(run, thread=True, exclusive=True, group="catalog")


def import_work(source: str | None, remote_chapters: bool, text: str | None = None) -> Work:
    """A path or URL, or pasted text (a show page copied from a podcast app)."""
    return lambda folder, progress: import_in_process(folder, [source] if source else [], text=text,
                                                      remote_chapters=remote_chapters, progress=progress)


def refresh_work(show_id: str | None, remote_chapters: bool) -> Work:
    return lambda folder, progress: refresh(Library(folder), show_id=show_id, remote_chapters=remote_chapters,
                                            progress=progress)
