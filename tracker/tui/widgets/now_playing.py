"""The now-playing bar: episode, chapter n/N and title, position / duration, the chapter's
heard share, speed and state. Hidden while nothing plays.

Every screen composes one; the player controller keeps them all current (a bar that
mounts shows the newest state at once). Feed text is shown literally (``Content``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content
from textual.widgets import Static

from ...model.text import terminal_safe
from ...playback.session import NowPlaying
from ...playback.text import STATE_SIGNS, STATE_WORDS, chapter_part, position_part, speed_part
from ..text import bar

MIN_TITLE = 12  # cells a cut title keeps, to be recognised


class NowPlayingBar(Static):
    DEFAULT_CSS = """
    NowPlayingBar { dock: bottom; height: 1; background: $primary-background; color: $text; padding: 0 1; display: none; }
    NowPlayingBar.-active { display: block; }
    NowPlayingBar.-paused { background: $panel; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, **kwargs)
        self.now: NowPlaying | None = None

    def on_mount(self) -> None:
        controller = getattr(self.app, "player", None)
        if controller is not None:
            controller.attach(self)

    def on_unmount(self) -> None:
        controller = getattr(self.app, "player", None)
        if controller is not None:
            controller.detach(self)

    def show(self, now: NowPlaying | None) -> None:
        self.now = now
        active = now is not None and now.state not in ("stopped", "ended")
        self.set_class(active, "-active")
        self.set_class(now is not None and now.state == "paused", "-paused")
        if now is None:
            self.update(Content(""), layout=False)
            return
        self.update(self.render_now(self.fitted(now, self.content_size.width)), layout=False)

    def on_resize(self) -> None:
        self.show(self.now)

    @classmethod
    def fitted(cls, now: NowPlaying, cells: int) -> NowPlaying:
        """``now`` with its titles cut (the episode's first, then the chapter's, each to
        ``MIN_TITLE`` cells, then further) so the bar fits in one line of ``cells``: a bar
        that wraps loses its end, the position and speed. ``cells`` 0: not laid out yet."""
        for name, least in (("title", MIN_TITLE), ("chapter_title", MIN_TITLE), ("title", 3), ("chapter_title", 3)):
            over = cell_len(cls.render_now(now).plain) - cells
            text = terminal_safe(getattr(now, name))
            if cells <= 0 or over <= 0:
                break
            keep = max(least, cell_len(text) - over)
            if keep < cell_len(text):
                short = Text(text)
                short.truncate(keep, overflow="ellipsis")
                now = replace(now, title=short.plain) if name == "title" else replace(now, chapter_title=short.plain)
        return now

    @staticmethod
    def render_now(now: NowPlaying) -> Content:
        share = bar(now.chapter_share, 5) if now.chapters else ""
        state = "" if now.state == "playing" else f"  {STATE_WORDS[now.state]}"
        return Content.assemble(
            (f"{STATE_SIGNS[now.state]} ", "bold"),
            (terminal_safe(now.title), "bold"),  # an old library may hold control characters
            "  ",
            (terminal_safe(chapter_part(now)), "italic"),
            " " if share else "",
            (share, "$success"),
            "  ",
            position_part(now),
            "  ",
            speed_part(now),
            (state, "bold $warning"),
        )

    @property
    def text(self) -> str:
        """What the bar says, as plain text (for tests and screen readers)."""
        return self.render_now(self.fitted(self.now, self.content_size.width)).plain if self.now is not None else ""
