"""The selected episode: title, show, date, duration, status, resume point, chapters,
description. Every piece of feed text goes in through ``literal``: shown as it is,
never as markup, control characters spelled out."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...model.local_dates import local_date
from ..keys import key_of
from ..text import STATUS_WORDS, clock, literal
from .chapter_list import ChapterList


class EpisodeDetail(VerticalScroll, can_focus=False):
    """Tab goes catalog, chapters, queue; the pane itself scrolls with the mouse."""

    DEFAULT_CSS = """
    EpisodeDetail #detail-title { text-style: bold; }
    EpisodeDetail #detail-meta, EpisodeDetail #detail-resume { color: $text-muted; }
    EpisodeDetail #detail-chapters-title { margin-top: 1; text-style: bold; }
    EpisodeDetail #detail-description { margin-top: 1; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.episode_id: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="detail-title", markup=False)
        yield Static(id="detail-meta", markup=False)
        yield Static(id="detail-resume", markup=False)
        yield Static(id="detail-chapters-title", markup=False)
        yield ChapterList(id="chapters")
        yield Static(id="detail-description", markup=False)

    def show_nothing(self, message: str = "") -> None:
        self.episode_id = None
        self.query_one("#detail-title", Static).update(literal(message))
        for name in ("#detail-meta", "#detail-resume", "#detail-chapters-title", "#detail-description"):
            self.query_one(name, Static).update(literal(""))
        chapters = self.query_one(ChapterList)
        chapters.show_chapters(None, [], None)
        chapters.display = False

    def show_episode(self, view: dict[str, Any], description: str) -> None:
        """``view`` is the model's episode view (the CLI's ``show --json``)."""
        self.episode_id = view["id"]
        self.query_one("#detail-title", Static).update(literal(view["title"]))
        status = STATUS_WORDS.get(view["status"], view["status"])
        queued = f" · queued #{view['queue_position']}" if view["queue_position"] else ""
        meta = (f"{view['show']} · {local_date(view['published']) or 'undated'} · {clock(view['duration_s'])} · "
                f"{status}{queued}")
        self.query_one("#detail-meta", Static).update(literal(meta))
        res = view["resume"]
        chapters = view["chapters"]
        if res["chapter"]:
            title = chapters[res["chapter"] - 1]["title"]
            resume = f"Resume: chapter {res['chapter']} “{title}” at {clock(res['position_s'])}"
        else:
            resume = f"Resume at {clock(res['position_s'])}"
        self.query_one("#detail-resume", Static).update(literal(resume))
        chapter_list = self.query_one(ChapterList)
        if chapters:
            heading = (f"Chapters ({len(chapters)}, from {view['chapters_source']}) · "
                       f"{key_of(self.app, 'catalog.open')} to work with them")
            chapter_list.display = True
        else:
            heading = "No chapters"
            chapter_list.display = False
        self.query_one("#detail-chapters-title", Static).update(literal(heading))
        chapter_list.show_chapters(view["id"], chapters, res["chapter"])
        self.query_one("#detail-description", Static).update(literal(description or "(no description)", multiline=True))
