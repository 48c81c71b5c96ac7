"""Imports from the TUI: in a worker with a Library of its own (its own lock handle), so
the screen stays live; progress and the outcome go back to the app as messages."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.message import Message

from store import StoreError

from ..importers.service import Outcome, import_sources
from ..importers.service import Progress as ImportStep
from ..model.errors import TrackerError
from ..model.library import Library
from .messages import Progress


class Imported(Message):
    """An import finished: each source's outcome, or why the whole import failed."""

    def __init__(self, outcomes: list[Outcome], failure: str | None = None) -> None:
        super().__init__()
        self.outcomes = outcomes
        self.failure = failure


def start_import(app: App[None], folder: Path, source: str, remote_chapters: bool) -> None:
    """Import ``source`` in a thread worker; the app gets ``Progress`` and ``Imported``."""

    def progress(step: ImportStep) -> None:
        app.post_message(Progress(step.line()))

    def run() -> None:
        library = Library(folder)
        try:
            outcomes = import_sources(library, [source], remote_chapters=remote_chapters, progress=progress)
        except (TrackerError, StoreError, OSError) as err:  # the import ends, not the app
            app.post_message(Imported([], failure=str(err)))
            return
        app.post_message(Imported(outcomes))

    app.post_message(Progress(f"Importing {source}…"))
    app.run_worker(run, thread=True, exclusive=True, group="import")
