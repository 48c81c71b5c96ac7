"""The catalog: every episode that passes the filter, one row each, in columns sized
from their content (see ``columns.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.style import Style
from textual.message import Message

from ..columns import Column, episode_columns
from ..keys import CATALOG, bindings
from ..text import Parts, STATUS_MARKS, bar, clock, fit
from .cursor_list import CursorList

if TYPE_CHECKING:
    from ..view import CatalogView


class EpisodeList(CursorList):
    BINDINGS = bindings(CATALOG)
    COMPONENT_CLASSES = CursorList.COMPONENT_CLASSES | {
        "episode-list--listened", "episode-list--progress", "episode-list--dim", "episode-list--queued",
    }
    DEFAULT_CSS = """
    EpisodeList > .episode-list--listened { color: $text-muted; }
    EpisodeList > .episode-list--progress { color: $success; }
    EpisodeList > .episode-list--dim { color: $text-muted; }
    EpisodeList > .episode-list--queued { color: $warning; text-style: bold; }
    """

    class ColumnsChanged(Message):
        """The columns were laid out again (a resize, longer show names): for the header."""

        def __init__(self, columns: list[Column]) -> None:
            super().__init__()
            self.columns = columns

    def __init__(self, view: "CatalogView", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.view = view
        self.columns: list[Column] = []
        self._layout_for: tuple[int, int, int] | None = None

    @property
    def current_id(self) -> str | None:
        rows = self.view.rows
        return rows[self.cursor] if 0 <= self.cursor < len(rows) else None

    def lay_out(self) -> list[Column]:
        width = self.scrollable_content_region.width
        key = (width, self.view.longest_show, self.view.length_width)
        if key != self._layout_for:
            self._layout_for = key
            self.columns = episode_columns(width, self.view.longest_show, self.view.length_width)
            self.post_message(self.ColumnsChanged(self.columns))
        return self.columns

    def set_count(self, count: int, cursor: int | None = None) -> None:
        super().set_count(count, cursor)
        self.lay_out()

    def on_resize(self) -> None:
        super().on_resize()
        self.lay_out()

    def row_text(self, index: int, width: int) -> Parts:
        row = self.view.row(self.view.rows[index])
        dim = self.row_style("episode-list--dim")
        status_style: Style | None = self.row_style("episode-list--listened") if row.status == "listened" else None
        parts: Parts = []
        for c in self.lay_out():
            name = c.name
            if name == "mark":
                parts.append((STATUS_MARKS[row.status], status_style))
            elif name == "title":
                parts.append((fit(row.title, c.width), status_style))
            elif name == "show":
                parts.append((fit(row.show, c.width), dim))
            elif name == "date":
                parts.append((fit(row.published, c.width), dim))
            elif name == "length":
                parts.append((clock(row.duration_s).rjust(c.width), dim))
            elif name == "heard":
                parts.append((bar(row.fraction, c.width), self.row_style("episode-list--progress")))
            elif name == "queued":
                parts.append(("Q" if row.queued else " ", self.row_style("episode-list--queued")))
            parts.append((" ", None))
        return parts[:-1]
