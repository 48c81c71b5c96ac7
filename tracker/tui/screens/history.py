"""The History screen: recent changes in local time, with undo and redo from here
(``u`` / ``ctrl+r`` as everywhere; ``enter`` undoes every change down to the one under
the cursor, or redoes up to an undone one)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Static

from ..keys import key_of
from ..messages import LibraryChanged
from ..text import literal
from ..widgets.history_list import Entry, HistoryList
from ..trouble import reads_library
from .base import TrackerScreen
from .confirm import ConfirmScreen

SHOWN = 500  # the newest actions listed (the CLI's history reads further)


class HistoryScreen(TrackerScreen):
    DEFAULT_CSS = """
    HistoryScreen #history-title { height: 1; background: $panel; padding: 0 1; text-style: bold; }
    HistoryScreen HistoryList { height: 1fr; padding: 0 1; }
    """

    _asked: tuple[bool, tuple[tuple[int, str], ...]] | None = None  # the last undo or redo sent

    def compose(self) -> ComposeResult:
        yield Static(id="history-title", markup=False)
        yield HistoryList(id="history")
        yield from self.compose_bottom()

    def on_mount(self) -> None:
        self.reload()
        self.set_focus(self.query_one(HistoryList))

    def refresh_from_library(self, change: LibraryChanged) -> None:
        self.reload()

    @reads_library
    def reload(self) -> None:
        redo = self.library.redoable()  # next to redo first
        done = self.library.history(SHOWN)
        redo_refs = tuple(a.ref for a in redo)
        done_refs = tuple(a.ref for a in done)
        entries = [Entry(a.at, a.summary, True, len(redo) - i, redo_refs[: len(redo) - i])
                   for i, a in enumerate(reversed(redo))]
        entries += [Entry(a.at, a.summary, False, i + 1, done_refs[: i + 1]) for i, a in enumerate(done)]
        self.query_one(HistoryList).show_entries(entries)
        self._asked = None  # what was sent has landed: the list shows it
        undo, redo_key = key_of(self.app, "app.undo"), key_of(self.app, "app.redo")
        undone = f" · {len(redo)} undone ({redo_key} redoes)" if redo else ""
        title = (f"History · {len(done):,} recent change{'s' if len(done) != 1 else ''}{undone}"
                 f" · {undo} undoes the newest · {key_of(self.app, 'history.undo_to')}: undo down to here"
                 if done else f"History · nothing to undo{undone}" if redo else "History · no changes yet")
        self.query_one("#history-title", Static).update(literal(title))

    @on(HistoryList.Selected, "#history")
    def undo_to_here(self) -> None:
        entry = self.query_one(HistoryList).current
        if entry is None or self.app.screen is not self:  # a key of a burst, sent before the question opened
            return
        steps, refs = entry.steps, entry.refs  # (what was shown: another tracker may change it meanwhile)
        if self._asked == (entry.undone, refs) and self.tracker.writer.pending:
            return  # enter again (a burst) on what this screen just sent to undo or redo: being done
        if entry.undone:
            self._asked = (True, refs)
            self.tracker.redo(steps, refs)
            return
        if steps == 1:
            self._asked = (False, refs)
            self.tracker.undo(1, refs)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.tracker.undo(steps, refs)

        self.app.push_screen(ConfirmScreen(f"Undo the {steps} newest changes, down to “{entry.summary}”? "
                                           f"({key_of(self.app, 'app.redo')} redoes them)", "Undo"), answered)
