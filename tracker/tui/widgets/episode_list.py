"""The catalog: every episode that passes the filter, one row each."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.style import Style
from textual.binding import Binding

from ..text import Parts, STATUS_MARKS, bar, clock, fit
from .cursor_list import CursorList

if TYPE_CHECKING:
    from ..view import CatalogView


class EpisodeList(CursorList):
    BINDINGS = [Binding("enter", "screen.open_chapters", "Chapters")]
    COMPONENT_CLASSES = CursorList.COMPONENT_CLASSES | {
        "episode-list--listened", "episode-list--progress", "episode-list--dim", "episode-list--queued",
    }
    DEFAULT_CSS = """
    EpisodeList > .episode-list--listened { color: $text-muted; }
    EpisodeList > .episode-list--progress { color: $success; }
    EpisodeList > .episode-list--dim { color: $text-muted; }
    EpisodeList > .episode-list--queued { color: $warning; text-style: bold; }
    """

    def __init__(self, view: "CatalogView", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.view = view

    @property
    def current_id(self) -> str | None:
        rows = self.view.rows
        return rows[self.cursor] if 0 <= self.cursor < len(rows) else None

    def row_text(self, index: int, width: int) -> Parts:
        row = self.view.row(self.view.rows[index])
        dim = self.row_style("episode-list--dim")
        show_w = max(8, min(20, width // 6))
        fixed = 2 + 1 + show_w + 1 + 10 + 1 + 8 + 1 + 8 + 1 + 2
        title_w = max(10, width - fixed)
        status_style: Style | None = self.row_style("episode-list--listened") if row.status == "listened" else None
        return [
            (STATUS_MARKS[row.status] + " ", status_style),
            (fit(row.title, title_w) + " ", status_style),
            (fit(row.show, show_w) + " ", dim),
            (fit(row.published, 10) + " ", dim),
            (clock(row.duration_s).rjust(8) + " ", dim),
            (bar(row.fraction, 8) + " ", self.row_style("episode-list--progress")),
            ("Q " if row.queued else "  ", self.row_style("episode-list--queued")),
        ]
