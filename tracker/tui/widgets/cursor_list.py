"""A list with a cursor drawn with the Line API: only the visible rows are rendered,
so its cost does not grow with the number of rows (100k episodes paint like 10)."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..text import Parts


class CursorList(ScrollView, can_focus=True):
    """Rows come from ``row_text(index, width)``; subclasses say what a row is."""

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
    ]
    COMPONENT_CLASSES = {"cursor-list--cursor", "cursor-list--cursor-blurred"}
    DEFAULT_CSS = """
    CursorList { background: $surface; }
    CursorList > .cursor-list--cursor { background: $accent 60%; text-style: bold; }
    CursorList > .cursor-list--cursor-blurred { background: $accent 25%; }
    """

    class Highlighted(Message):
        def __init__(self, source: "CursorList", index: int) -> None:
            super().__init__()
            self.source = source
            self.index = index

        @property
        def control(self) -> "CursorList":
            return self.source

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.count = 0
        self.cursor = 0
        self.version = 0  # bumped when the rows' content changes
        self._cache: LRUCache[tuple[int, int, int, bool, bool], Strip] = LRUCache(512)

    # -- data ---------------------------------------------------------------------------
    def set_count(self, count: int, cursor: int | None = None) -> None:
        """New rows: keep the cursor where it was (or move it), clamp, repaint."""
        self.count = count
        self.version += 1
        self._cache.clear()
        if cursor is not None:
            self.cursor = cursor
        self.cursor = max(0, min(self.cursor, count - 1)) if count else 0
        size = Size(self.size.width, count)
        if size != self.virtual_size:
            self.virtual_size = size
        self.refresh()
        self.call_after_refresh(self.scroll_to_cursor)

    def row_text(self, index: int, width: int) -> Parts:  # pragma: no cover - abstract
        """The row's cells as (literal text, style) pairs."""
        raise NotImplementedError

    # -- cursor ---------------------------------------------------------------------------
    def move_to(self, index: int) -> None:
        if not self.count:
            return
        index = max(0, min(index, self.count - 1))
        old = self.cursor
        self.cursor = index
        if old != index:
            self.refresh_line(old)
            self.refresh_line(index)
        self.scroll_to_cursor()
        self.post_message(self.Highlighted(self, index))

    def scroll_to_cursor(self) -> None:
        if self.count:
            self.scroll_to_region(Region(0, self.cursor, 1, 1), animate=False, immediate=True)

    def action_cursor(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * max(1, self.size.height - 1))

    def action_jump(self, where: int) -> None:
        self.move_to(0 if where == 0 else self.count - 1)

    def on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < self.count:
            self.move_to(index)

    def on_focus(self) -> None:
        self.refresh_line(self.cursor)

    def on_blur(self) -> None:
        self.refresh_line(self.cursor)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.count)
        self._cache.clear()

    # -- drawing --------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.size.width
        base = self.rich_style
        if index >= self.count:
            return Strip.blank(width, base)
        selected = index == self.cursor
        key = (index, self.version, width, selected, self.has_focus)
        strip = self._cache.get(key)
        if strip is None:
            style = base
            if selected:
                name = "cursor-list--cursor" if self.has_focus else "cursor-list--cursor-blurred"
                style = base + self.get_component_rich_style(name)
            # Segments straight from the row's cells: each is literal text (never markup),
            # and building them directly is several times cheaper than rendering rich Text.
            segments = [Segment(text, style + part if part else style) for text, part in self.row_text(index, width)]
            strip = Strip(segments).crop_extend(0, width, style)
            self._cache[key] = strip
        return strip

    def row_style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)
