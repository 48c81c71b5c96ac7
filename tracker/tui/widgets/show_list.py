"""Each show: its episodes, new / in progress / listened, last refresh and feed URL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..keys import SHOW_LIST, bindings
from ..text import Parts, fit
from .cursor_list import CursorList
from .history_list import local_time


@dataclass(frozen=True)
class ShowRow:
    show_id: str
    title: str
    episodes: int
    new: int
    in_progress: int
    listened: int
    refreshed: str  # ISO time of the last fetch, "" if never (a file, a show page)
    feed_url: str
    subscribed: bool


NUMBERS = (("episodes", "Episodes"), ("new", "New"), ("in_progress", "Started"), ("listened", "Listened"))


class ShowList(CursorList):
    BINDINGS = bindings(SHOW_LIST)
    COMPONENT_CLASSES = CursorList.COMPONENT_CLASSES | {"show-list--dim", "show-list--hidden"}
    DEFAULT_CSS = """
    ShowList > .show-list--dim { color: $text-muted; }
    ShowList > .show-list--hidden { color: $text-muted; text-style: strike; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.shows: list[ShowRow] = []

    def show_rows(self, shows: list[ShowRow]) -> None:
        current = self.current.show_id if self.current else None
        self.shows = shows
        where = next((i for i, s in enumerate(shows) if s.show_id == current), None)
        self.set_count(len(shows), where)

    @property
    def current(self) -> ShowRow | None:
        return self.shows[self.cursor] if 0 <= self.cursor < len(self.shows) else None

    @staticmethod
    def widths(width: int) -> tuple[int, int, bool]:
        """(title, URL, whether the refresh time fits): numbers first, the URL last."""
        numbers = 9 * len(NUMBERS)
        refreshed = 17
        rest = width - numbers - 2
        with_time = rest - refreshed - 1 >= 24
        if with_time:
            rest -= refreshed + 1
        title = max(12, min(48, rest // 2 if rest >= 60 else rest))
        url = max(0, rest - title - 1)
        return title, url, with_time

    def header(self, width: int) -> str:
        title, url, with_time = self.widths(width)
        cells = ["  " + "Show".ljust(title)] + [h.rjust(8) for _, h in NUMBERS]
        if with_time:
            cells.append("Refreshed".ljust(17))
        if url:
            cells.append("Feed".ljust(url))
        return " ".join(cells)

    def row_text(self, index: int, width: int) -> Parts:
        s = self.shows[index]
        title_w, url_w, with_time = self.widths(width)
        dim = self.row_style("show-list--dim")
        name_style = None if s.subscribed else self.row_style("show-list--hidden")
        parts: Parts = [("  " if s.subscribed else "✕ ", dim), (fit(s.title, title_w), name_style)]
        for key, _ in NUMBERS:
            parts.append((" " + f"{getattr(s, key):,}".rjust(8), None))
        if with_time:
            parts.append((" " + fit(local_time(s.refreshed) if s.refreshed else "—", 17), dim))
        if url_w:
            parts.append((" " + fit(s.feed_url or "(not from a URL)", url_w), dim))
        return parts
