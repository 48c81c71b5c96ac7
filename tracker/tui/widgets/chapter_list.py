"""An episode's chapters: each with its mark, start, title, heard time over its length
(``m:ss / m:ss``) and a bar. Its keys post messages; the screen makes the change."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual.message import Message

from ..columns import Column, chapter_columns
from ..keys import CHAPTERS, bindings
from ..text import Parts, STATE_MARKS, bar, clock, fit
from .cursor_list import CursorList

MAX_ROWS = 12


class ChapterList(CursorList):
    BINDINGS = bindings(CHAPTERS)
    COMPONENT_CLASSES = CursorList.COMPONENT_CLASSES | {"chapter-list--done", "chapter-list--resume", "chapter-list--bar"}
    DEFAULT_CSS = """
    ChapterList { height: auto; max-height: 12; }
    ChapterList > .chapter-list--done { color: $text-muted; }
    ChapterList > .chapter-list--resume { color: $warning; text-style: bold; }
    ChapterList > .chapter-list--bar { color: $success; }
    """

    class Mark(Message):
        """Mark chapter ``n`` done / skipped, or clear it (``mark`` None); ``seen``: its
        start and title as the row shows them."""

        def __init__(self, n: int, mark: str | None, seen: tuple[float, str]) -> None:
            super().__init__()
            self.n = n
            self.mark = mark
            self.seen = seen

    class Back(Message):
        """Leave the chapters for the catalog."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.episode_id: str | None = None
        self.chapters: list[dict[str, Any]] = []
        self.resume_chapter: int | None = None
        self._length_w = 5
        self._longest = 0

    def show_chapters(self, episode_id: str | None, chapters: list[dict[str, Any]], resume_chapter: int | None,
                      keep_cursor: bool = False) -> None:
        same = episode_id == self.episode_id
        self.episode_id = episode_id
        self.chapters = chapters
        self.resume_chapter = resume_chapter
        ends = [c["end_s"] for c in chapters if c["end_s"] is not None]
        self._length_w = max((len(clock(e)) for e in ends), default=5)
        self._longest = max((cell_len(c["title"]) for c in chapters), default=0)
        height = min(MAX_ROWS, max(1, len(chapters)))
        if self.styles.height is None or self.styles.height.value != height:
            self.styles.height = height  # a layout pass only when the height really changes
        self.set_count(len(chapters), None if (same or keep_cursor) else 0)

    @property
    def current(self) -> dict[str, Any] | None:
        return self.chapters[self.cursor] if 0 <= self.cursor < len(self.chapters) else None

    def action_mark(self, mark: str) -> None:
        ch = self.current
        if ch is not None:
            self.post_message(self.Mark(ch["n"], None if mark == "clear" else mark, (ch["start_s"], ch["title"])))

    def action_back(self) -> None:
        self.post_message(self.Back())

    def wanted_width(self) -> int:
        """Cells a row needs to show every chapter title whole, with the bar."""
        fixed = sum(c.width + 1 for c in chapter_columns(200, self._length_w) if c.name != "title")
        return fixed + self._longest

    def columns(self, width: int) -> list[Column]:
        return chapter_columns(width, self._length_w, self._longest)

    def row_text(self, index: int, width: int) -> Parts:
        ch = self.chapters[index]
        length = (ch["end_s"] - ch["start_s"]) if ch["end_s"] is not None else None
        fraction = 1.0 if ch["state"] == "done" else (ch["heard_s"] / length if length else 0.0)
        muted = self.row_style("chapter-list--done") if ch["state"] in ("done", "skipped") else None
        parts: Parts = []
        for c in self.columns(width):
            if c.name == "here":
                parts.append(("▶" if ch["n"] == self.resume_chapter else " ", self.row_style("chapter-list--resume")))
            elif c.name == "n":
                parts.append((str(ch["n"]).rjust(c.width), muted))
            elif c.name == "mark":
                parts.append((STATE_MARKS[ch["state"]], muted))
            elif c.name == "start":
                parts.append((clock(ch["start_s"]).rjust(c.width), None))
            elif c.name == "title":
                parts.append((fit(ch["title"], c.width), muted))
            elif c.name == "heard":
                heard = f"{clock(ch['heard_s'])} / {clock(length)}"
                parts.append((heard.rjust(c.width), muted))
            elif c.name == "bar":
                parts.append((bar(fraction, c.width), self.row_style("chapter-list--bar")))
            parts.append((" ", None))
        return parts[:-1]
