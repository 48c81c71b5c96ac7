"""Imports and refreshes from the TUI: in a worker with a Library of its own (its own
lock handle), so the screen stays live; progress and the outcome go back to the app as
messages (``Progress``, then ``Imported``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from textual.app import App
from textual.message import Message

from store import StoreError

from ..importers.service import Outcome, import_sources, refresh
from ..importers.service import Progress as Step
from ..model.errors import TrackerError
from ..model.library import Library
from .messages import Progress

Work = Callable[[Library, Callable[[Step], None]], list[Outcome]]


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
        library = Library(folder)
        try:
            outcomes = work(library, progress)
        except (TrackerError, StoreError, OSError) as err:  # the job ends, not the app
            app.post_message(Imported(what, [], failure=str(err)))
            return
        app.post_message(Imported(what, outcomes))

    app.post_message(Progress(f"{what}…"))
    app.run_worker(run, thread=True, exclusive=True, group="catalog")


def import_work(source: str, remote_chapters: bool) -> Work:
    return lambda library, progress: import_sources(library, [source], remote_chapters=remote_chapters,
                                                    progress=progress)


def refresh_work(show_title: str | None, remote_chapters: bool) -> Work:
    return lambda library, progress: refresh(library, show_title, remote_chapters=remote_chapters, progress=progress)
