"""The queue, in order, with what is left of each episode. Its keys post messages; the
screen makes the change. The panel is as tall as the queue (3 rows at least, half the
pane at most)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from ..keys import QUEUE, bindings, key_of
from ..text import Parts, clock, fit, literal
from .cursor_list import CursorList

MIN_ROWS = 3


class QueueList(CursorList):
    BINDINGS = bindings(QUEUE)
    COMPONENT_CLASSES = CursorList.COMPONENT_CLASSES | {"queue-list--dim"}
    DEFAULT_CSS = "QueueList > .queue-list--dim { color: $text-muted; }"

    class Move(Message):
        """Move episode ``episode_id`` "up", "down" or to the "top"."""

        def __init__(self, episode_id: str, to: str) -> None:
            super().__init__()
            self.episode_id = episode_id
            self.to = to

    class Remove(Message):
        def __init__(self, episode_id: str) -> None:
            super().__init__()
            self.episode_id = episode_id

    class Clear(Message):
        """Empty the queue (the screen asks first)."""

    class Back(Message):
        """Leave the queue for the catalog."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.entries: list[dict[str, Any]] = []

    def show_entries(self, entries: list[dict[str, Any]]) -> None:
        """New entries; the cursor stays on the same episode if it is still queued."""
        current = self.current_id
        self.entries = entries
        where = next((i for i, e in enumerate(entries) if e["id"] == current), None)
        self.set_count(len(entries), where)

    @property
    def current_id(self) -> str | None:
        return self.entries[self.cursor]["id"] if 0 <= self.cursor < len(self.entries) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Moving and removing need an entry: an empty queue's footer does not offer them."""
        if action in ("move", "remove"):
            return self.count > 0
        return super().check_action(action, parameters)

    def action_move(self, to: str) -> None:
        eid = self.current_id
        if eid:
            self.post_message(self.Move(eid, to))  # the cursor follows the entry when it lands

    def action_remove(self) -> None:
        eid = self.current_id
        if eid:
            self.post_message(self.Remove(eid))
            # On to the entry that takes its place, now: a second x (a burst, or while another
            # tracker holds the library) removes that one, not this one again.
            if self.cursor + 1 < self.count:
                self.cursor += 1
            elif self.cursor > 0:
                self.cursor -= 1

    def action_clear(self) -> None:
        self.post_message(self.Clear())

    def action_back(self) -> None:
        self.post_message(self.Back())

    def row_text(self, index: int, width: int) -> Parts:
        e = self.entries[index]
        at = f" ch{e['chapter']}" if e["chapter"] else ""
        left = clock(e["remaining_s"]) + at
        number = f"{e['position']:>{max(2, len(str(self.count)))}}. "  # 100 entries and more: titles stay in line
        title_w = max(6, width - len(number) - len(left) - 1)
        return [
            (number, None),
            (fit(e["title"], title_w) + " ", None),
            (left, self.row_style("queue-list--dim")),
        ]


class QueuePanel(Vertical):
    """The queue with its total remaining time."""

    DEFAULT_CSS = """
    QueuePanel { height: auto; }
    QueuePanel #queue-title { text-style: bold; padding: 0 1; background: $panel; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="queue-title", markup=False)
        yield QueueList(id="queue-list")

    def show(self, entries: list[dict[str, Any]]) -> None:
        total = sum(e["remaining_s"] or 0 for e in entries)
        count = len(entries)
        unknown = sum(1 for e in entries if e["remaining_s"] is None)  # (as `tracker queue` says them apart)
        apart = f", {unknown} of unknown length" if unknown else ""
        title = (f"Queue · {count} episode{'' if count == 1 else 's'} · {clock(total)} left{apart}" if count
                 else f"Queue · empty ({key_of(self.app, 'episode.queue')}: add, "
                      f"{key_of(self.app, 'episode.play_next')}: play next)")
        self.query_one("#queue-title", Static).update(literal(title))
        queue = self.query_one(QueueList)
        queue.show_entries(entries)
        self.fit_height()

    def fit_height(self) -> None:
        """As many rows as entries: at least 3, at most half the pane (less its title)."""
        queue = self.query_one(QueueList)
        pane = self.parent.size.height if isinstance(self.parent, Widget) else 0
        limit = max(MIN_ROWS, pane // 2 - 1) if pane else MIN_ROWS
        rows = max(MIN_ROWS, min(queue.count, limit))
        if queue.styles.height is None or queue.styles.height.value != rows:
            queue.styles.height = rows
