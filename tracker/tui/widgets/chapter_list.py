"""An episode's chapters, each with its state and a progress bar."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

from ..text import Parts, STATE_MARKS, bar, clock, fit
from .cursor_list import CursorList


class ChapterList(CursorList):
    BINDINGS = [
        Binding("d", "screen.chapter('done')", "Done"),
        Binding("s", "screen.chapter('skipped')", "Skip"),
        Binding("c", "screen.chapter('clear')", "Clear"),
        Binding("enter", "screen.resume_here", "Resume here"),
        Binding("escape", "screen.back_to_catalog", "Back"),
    ]
    COMPONENT_CLASSES = CursorList.COMPONENT_CLASSES | {"chapter-list--done", "chapter-list--resume", "chapter-list--bar"}
    DEFAULT_CSS = """
    ChapterList { height: auto; max-height: 12; }
    ChapterList > .chapter-list--done { color: $text-muted; }
    ChapterList > .chapter-list--resume { color: $warning; text-style: bold; }
    ChapterList > .chapter-list--bar { color: $success; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.chapters: list[dict[str, Any]] = []
        self.resume_chapter: int | None = None

    def show_chapters(self, chapters: list[dict[str, Any]], resume_chapter: int | None) -> None:
        self.chapters = chapters
        self.resume_chapter = resume_chapter
        height = min(12, max(1, len(chapters)))
        if self.styles.height is None or self.styles.height.value != height:
            self.styles.height = height  # a layout pass only when the height really changes
        self.set_count(len(chapters))

    def row_text(self, index: int, width: int) -> Parts:
        ch = self.chapters[index]
        length = (ch["end_s"] - ch["start_s"]) if ch["end_s"] is not None else None
        fraction = 1.0 if ch["state"] == "done" else (ch["heard_s"] / length if length else 0.0)
        here = "▶" if ch["n"] == self.resume_chapter else " "
        title_style = self.row_style("chapter-list--done") if ch["state"] in ("done", "skipped") else None
        state = "skipped" if ch["state"] == "skipped" else ""
        title_w = max(6, width - 1 - 6 - 9 - 1 - 7 - len(state))
        return [
            (here, self.row_style("chapter-list--resume")),
            (f"{ch['n']:>3} {STATE_MARKS[ch['state']]} ", title_style),
            (clock(ch["start_s"]).rjust(8) + " ", None),
            (fit(ch["title"], title_w) + " ", title_style),
            (state, title_style),
            (bar(fraction, 6), self.row_style("chapter-list--bar")),
        ]
