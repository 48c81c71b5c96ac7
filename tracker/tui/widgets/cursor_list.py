"""A list with a cursor drawn with the Line API: only the visible rows are rendered,
so its cost does not grow with the number of rows (100k episodes paint like 10).

As Textual's ``OptionList``: ``cursor`` is reactive (clamped to the rows), moving it
posts ``Highlighted`` and ``enter`` posts ``Selected``; subclasses say what a row is.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..keys import NAVIGATION, bindings
from ..text import Parts


class CursorList(ScrollView, can_focus=True):
    """Rows come from ``row_text(index, width)``."""

    BINDINGS = bindings(NAVIGATION)
    COMPONENT_CLASSES = {"cursor-list--cursor", "cursor-list--cursor-blurred"}
    DEFAULT_CSS = """
    CursorList { background: $surface; overflow-x: hidden; }
    CursorList > .cursor-list--cursor { background: $accent 60%; text-style: bold; }
    CursorList > .cursor-list--cursor-blurred { background: $accent 25%; }
    """

    cursor: reactive[int] = reactive(0, always_update=False, init=False)

    class _RowMessage(Message):
        """About row ``index`` of ``cursor_list`` (the base of the two below, as OptionList's)."""

        def __init__(self, cursor_list: "CursorList", index: int) -> None:
            super().__init__()
            self.cursor_list = cursor_list
            self.index = index

        @property
        def control(self) -> "CursorList":
            return self.cursor_list

    class Highlighted(_RowMessage):
        """The cursor moved to ``index``."""

    class Selected(_RowMessage):
        """``enter`` (or a double click) on row ``index``."""

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.count = 0
        self.version = 0  # bumped when the rows' content changes
        self._cache: LRUCache[tuple[int, int, int, bool, bool], Strip] = LRUCache(512)

    # -- data ---------------------------------------------------------------------------
    def set_count(self, count: int, cursor: int | None = None) -> None:
        """New rows: keep the cursor where it was (or move it), clamp, repaint."""
        if (self.count == 0) != (count == 0):
            self.refresh_bindings()  # enter is offered again, or no longer (``check_action``)
        self.count = count
        self.version += 1
        self._cache.clear()
        target = self.cursor if cursor is None else cursor
        clamped = self.validate_cursor(target)
        if clamped != self.cursor:
            self.set_reactive(CursorList.cursor, clamped)  # new rows: no Highlighted for this
        self._size_rows()
        self.refresh()
        self.call_after_refresh(self.scroll_to_cursor)

    def row_text(self, index: int, width: int) -> Parts:  # pragma: no cover - abstract
        """The row's cells as (literal text, style) pairs."""
        raise NotImplementedError

    # -- cursor ---------------------------------------------------------------------------
    def validate_cursor(self, index: int) -> int:
        return max(0, min(index, self.count - 1)) if self.count else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self.scroll_to_cursor()
        self.post_message(self.Highlighted(self, new))

    def move_to(self, index: int) -> None:
        if self.count:
            self.cursor = index

    def scroll_to_cursor(self) -> None:
        if self.count:
            self.scroll_to_region(Region(0, self.cursor, 1, 1), animate=False, immediate=True)

    def action_cursor(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * max(1, self.scrollable_content_region.height - 1))

    def action_jump(self, where: int) -> None:
        self.move_to(0 if where == 0 else self.count - 1)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """enter on no rows does nothing: the footer and the palette do not offer it."""
        if action == "select":
            return self.count > 0
        return True

    def action_select(self) -> None:
        if self.count:
            self.post_message(self.Selected(self, self.cursor))

    def on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < self.count:
            if index == self.cursor and event.chain >= 2:
                self.action_select()
            self.move_to(index)

    def on_focus(self) -> None:
        self.refresh_line(self.cursor)

    def on_blur(self) -> None:
        self.refresh_line(self.cursor)

    def on_resize(self) -> None:
        self._size_rows()
        self._cache.clear()

    def _size_rows(self) -> None:
        # As wide as the visible region, never wider: no horizontal scrollbar.
        size = Size(self.scrollable_content_region.width, self.count)
        if size != self.virtual_size:
            self.virtual_size = size

    # -- drawing --------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
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
