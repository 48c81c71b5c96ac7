"""What the four main screens share: the bottom lines every screen shows (the waiting
line, bars other areas add, the footer) and how a screen hears of library changes.

Other areas hook in here, not in each screen: a now-playing bar or a sync status is a
widget class appended to ``TrackerApp.bars`` and is composed on every screen.
"""

from __future__ import annotations

from typing import Callable, Protocol, Sequence, cast

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget

from ...model.errors import TrackerError
from ...model.library import Library
from ..messages import LibraryChanged, Progress, Write
from ..trouble import LIBRARY_ERRORS
from ..widgets.chrome import KeyFooter, WaitingLine
from ..writer import Writer


class Host(Protocol):
    """What a screen asks of the app (``TrackerApp``): named here, so the screens do
    not import the app that imports them."""

    library: Library
    bars: list[Callable[[], Widget]]
    writer: Writer  # (its ``pending``: changes sent and not yet landed)

    def write(self, write: Write, keep: str | None = None) -> None: ...

    def undo(self, steps: int = 1, expect: Sequence[tuple[int, str]] | None = None) -> None: ...

    def redo(self, steps: int = 1, expect: Sequence[tuple[int, str]] | None = None) -> None: ...

    def run_refresh(self, show_title: str | None = None, show_id: str | None = None) -> None: ...

    def show_only(self, show_id: str | None) -> None: ...

    def library_trouble(self, error: BaseException) -> None: ...


class TrackerScreen(Screen[None]):
    """A main screen (Library, Shows, Stats, History): ``refresh_from_library`` redraws
    it from the model; it runs on a change while shown, or on return after one."""

    def __init__(self) -> None:
        super().__init__()
        self._stale: LibraryChanged | None = None

    @property
    def tracker(self) -> Host:
        return cast(Host, self.app)

    @property
    def library(self) -> Library:
        return self.tracker.library

    def compose_bottom(self) -> ComposeResult:
        yield WaitingLine()
        for bar in self.tracker.bars:
            yield bar()
        yield KeyFooter(compact=True)

    def on_library_changed(self, message: LibraryChanged) -> None:
        if self.is_current:
            self._refresh(message)
        else:
            self._stale = message if self._stale is None else LibraryChanged()

    def _refresh(self, message: LibraryChanged) -> None:
        """A reload after a change: when it cannot read the library (another process left a
        file damaged, a disk error), say so and keep what is on screen; the app sends a
        change again once the file reads (``TrackerApp.check_outside_changes``)."""
        try:
            self.refresh_from_library(message)
        except LIBRARY_ERRORS as err:
            self.tracker.library_trouble(err)
        except TrackerError as err:
            self.notify(f"could not reload the library: {err}", severity="error", markup=False, timeout=8)

    def on_screen_resume(self) -> None:
        if self._stale is not None:
            message, self._stale = self._stale, None
            self._refresh(message)

    def refresh_from_library(self, change: LibraryChanged) -> None:
        """Read what ``change`` touched from the model and redraw."""

    def on_progress(self, message: Progress) -> None:
        self.show_progress(message.text, message.done, message.fraction)

    def show_progress(self, text: str, done: bool, fraction: float | None) -> None:
        """A background job's progress (an import, a refresh), if this screen shows it."""
