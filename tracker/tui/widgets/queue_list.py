"""The queue, in order, with what is left of each episode."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from ..text import Parts, clock, fit
from .cursor_list import CursorList


class QueueList(CursorList):
    BINDINGS = [
        Binding("K,shift+up", "screen.queue_move('up')", "Move up"),
        Binding("J,shift+down", "screen.queue_move('down')", "Move down"),
        Binding("t", "screen.queue_move('top')", "To top"),
        Binding("x,delete", "screen.queue_remove", "Remove"),
        Binding("C", "screen.queue_clear", "Clear queue"),
    ]
    COMPONENT_CLASSES = CursorList.COMPONENT_CLASSES | {"queue-list--dim"}
    DEFAULT_CSS = "QueueList > .queue-list--dim { color: $text-muted; }"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.entries: list[dict[str, Any]] = []

    def show_entries(self, entries: list[dict[str, Any]]) -> None:
        self.entries = entries
        self.set_count(len(entries))

    @property
    def current_id(self) -> str | None:
        return self.entries[self.cursor]["id"] if 0 <= self.cursor < len(self.entries) else None

    def row_text(self, index: int, width: int) -> Parts:
        e = self.entries[index]
        at = f" ch{e['chapter']}" if e["chapter"] else ""
        left = clock(e["remaining_s"]) + at
        title_w = max(6, width - 4 - len(left) - 1)
        return [
            (f"{e['position']:>2}. ", None),
            (fit(e["title"], title_w) + " ", None),
            (left, self.row_style("queue-list--dim")),
        ]


class QueuePanel(Vertical):
    """The queue with its total remaining time."""

    def compose(self) -> ComposeResult:
        yield Static(id="queue-title", markup=False)
        yield QueueList(id="queue-list")

    def show(self, entries: list[dict[str, Any]]) -> None:
        total = sum(e["remaining_s"] or 0 for e in entries)
        count = len(entries)
        title = f"Queue · {count} episode{'' if count == 1 else 's'} · {clock(total)} left" if count else "Queue · empty (a: add, n: play next)"
        self.query_one("#queue-title", Static).update(Content(title))
        self.query_one(QueueList).show_entries(entries)
