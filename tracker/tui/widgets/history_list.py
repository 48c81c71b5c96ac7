"""Recent changes, newest first, in local time; the undone ones (what redo brings back)
above them, marked as such."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..keys import HISTORY, bindings
from ..text import Parts, fit
from .cursor_list import CursorList


@dataclass(frozen=True)
class Entry:
    at: str  # ISO time, as recorded (UTC)
    summary: str
    undone: bool  # on the redo stack
    steps: int  # undo (or redo) steps from now to this one, inclusive
    refs: tuple[tuple[int, str], ...] = ()  # those steps' actions (``Action.ref``), in the order taken


def local_time(iso: str) -> str:
    """``2025-03-03 08:15`` in the local zone; the raw text when it is not a time."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except (ValueError, OverflowError):  # (OverflowError: year 1 or 9999 moved past the calendar's end)
        return iso[:16]


class HistoryList(CursorList):
    BINDINGS = bindings(HISTORY)
    COMPONENT_CLASSES = CursorList.COMPONENT_CLASSES | {"history-list--undone", "history-list--time"}
    DEFAULT_CSS = """
    HistoryList > .history-list--undone { color: $text-muted; text-style: italic; }
    HistoryList > .history-list--time { color: $text-muted; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.entries: list[Entry] = []

    def show_entries(self, entries: list[Entry]) -> None:
        """New entries; the cursor stays on the same change while it keeps its side (done or
        undone): a change recorded elsewhere must not slide another one under enter."""
        before = self.current
        self.entries = entries
        same = next((i for i, e in enumerate(entries)
                     if before is not None and e.refs[-1:] == before.refs[-1:] and e.undone == before.undone), None)
        if same is not None:
            self.set_count(len(entries), same)
            return
        first_done = next((i for i, e in enumerate(entries) if not e.undone), 0)
        self.set_count(len(entries), first_done if self.cursor == 0 else None)

    @property
    def current(self) -> Entry | None:
        return self.entries[self.cursor] if 0 <= self.cursor < len(self.entries) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """enter undoes down to a done change and redoes up to an undone one: the footer and
        the palette name the one it does here."""
        if action in ("select", "redo_to"):
            entry = self.current
            return entry is not None and entry.undone == (action == "redo_to")
        return super().check_action(action, parameters)

    def watch_cursor(self, old: int, new: int) -> None:
        super().watch_cursor(old, new)
        self.refresh_bindings()

    def set_count(self, count: int, cursor: int | None = None) -> None:
        super().set_count(count, cursor)
        self.refresh_bindings()  # (the change under the cursor may have been undone or redone)

    def action_redo_to(self) -> None:
        self.action_select()  # the screen redoes or undoes by the entry's side

    def row_text(self, index: int, width: int) -> Parts:
        e = self.entries[index]
        when = local_time(e.at)
        tag = "undone · " if e.undone else ""
        style = self.row_style("history-list--undone") if e.undone else None
        return [
            (when.ljust(17), self.row_style("history-list--time")),
            (" ", None),
            (fit(tag + e.summary, max(1, width - 18)), style),
        ]
