"""The list widget and the catalog view, each tested alone (a widget in a tiny host app,
as Textual tests its own widgets; the view as plain Python)."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Static

from tracker.model.library import Library
from tracker.tui.columns import chapter_columns, episode_columns, header
from tracker.tui.text import Parts
from tracker.tui.view import CatalogView
from tracker.tui.widgets.cursor_list import CursorList
from tracker.tui.widgets.queue_list import QueueList, QueuePanel

from .conftest import ids, row


class Words(CursorList):
    def __init__(self, words: list[str]) -> None:
        super().__init__(id="words")
        self.words = words

    def row_text(self, index: int, width: int) -> Parts:
        return [(self.words[index], None)]


class Host(App[None]):
    def __init__(self, words: list[str]) -> None:
        super().__init__()
        self.words = words
        self.seen: list[tuple[str, int]] = []

    def compose(self) -> ComposeResult:
        yield Words(self.words)

    def on_mount(self) -> None:
        self.query_one(Words).set_count(len(self.words))

    def on_cursor_list_highlighted(self, message: CursorList.Highlighted) -> None:
        self.seen.append(("highlighted", message.index))

    def on_cursor_list_selected(self, message: CursorList.Selected) -> None:
        self.seen.append(("selected", message.index))


WORDS = [f"word {i}" for i in range(100)]


async def test_cursor_moves_post_highlighted_and_enter_posts_selected() -> None:
    app = Host(WORDS)
    async with app.run_test(size=(30, 10)) as pilot:
        words = app.query_one(Words)
        words.focus()
        await pilot.press("down", "down", "up", "enter")
        assert words.cursor == 1
        assert app.seen == [("highlighted", 1), ("highlighted", 2), ("highlighted", 1), ("selected", 1)]


async def test_cursor_is_clamped_and_the_list_scrolls_to_it() -> None:
    app = Host(WORDS)
    async with app.run_test(size=(30, 10)) as pilot:
        words = app.query_one(Words)
        words.focus()
        await pilot.press("end")
        assert words.cursor == 99
        await pilot.pause()
        assert words.scroll_offset.y > 80  # the last row is on screen
        words.cursor = 500
        assert words.cursor == 99
        await pilot.press("home", "up")
        assert words.cursor == 0
        await pilot.press("pagedown")
        assert 5 <= words.cursor <= 10


async def test_new_rows_keep_the_cursor_without_a_highlight_message() -> None:
    app = Host(WORDS)
    async with app.run_test(size=(30, 10)) as pilot:
        words = app.query_one(Words)
        words.cursor = 40
        await pilot.pause()
        app.seen.clear()
        words.set_count(10)  # fewer rows: the cursor is clamped onto the last
        await pilot.pause()
        assert words.cursor == 9 and app.seen == []
        assert row(words, words.cursor - words.scroll_offset.y).startswith("word 9")


async def test_rows_are_drawn_as_literal_text_and_no_wider_than_the_list() -> None:
    app = Host(["[red]not markup[/red] \x1b]0;title\x07"] * 3)
    async with app.run_test(size=(30, 10)):
        words = app.query_one(Words)
        line = words.render_line(0)
        assert line.cell_length == words.scrollable_content_region.width
        assert "[red]not markup" in row(words, 0)
        assert words.show_horizontal_scrollbar is False


async def test_a_click_moves_the_cursor() -> None:
    app = Host(WORDS)
    async with app.run_test(size=(30, 10)) as pilot:
        await pilot.click(Words, offset=(2, 3))
        assert app.query_one(Words).cursor == 3


# -- the catalog view, plain Python ---------------------------------------------------------
def test_catalog_view_filters_sorts_and_counts(demo: Library) -> None:
    view = CatalogView(demo)
    assert view.load() is True
    assert len(view.rows) == 6 and view.total == 6
    assert view.load() is False  # nothing changed: the index and order are kept
    view.set_search("bread")
    assert [view.row(e).title for e in view.rows] == ["The Secret Life of Bread Starters"]
    view.set_search("")
    view.cycle_sort()  # oldest first
    assert view.row(view.rows[0]).title == "Welcome to Slow Radio"
    demo.mark([ids(demo)["Welcome to Slow Radio"]], listened=True)
    view.load()
    view.cycle_status()  # new
    assert len(view.rows) == 5
    assert "5 of 6 episodes" in view.summary() and "1 listened" in view.summary()


def test_catalog_view_search_in_steps_reaches_the_full_count(demo: Library) -> None:
    view = CatalogView(demo)
    view.load()
    view.set_search("the", first=1)  # a screenful of one row, then the rest in steps
    while view.pending is not None:
        view.go_on(1)
    full = CatalogView(demo)
    full.load()
    full.set_search("the")
    assert view.rows == full.rows and len(view.rows) > 1


def test_catalog_view_sizes_columns_from_content(demo: Library) -> None:
    view = CatalogView(demo)
    view.load()
    assert view.longest_show == len("The Slow Radio Hour")
    assert view.length_width == len("1:02:45")


# -- columns -------------------------------------------------------------------------------
def widths(cols: list[Any]) -> dict[str, int]:
    return {c.name: c.width for c in cols}


def test_columns_fill_the_row_exactly_and_the_title_takes_the_rest() -> None:
    for width in (40, 80, 120, 160, 250):
        cols = episode_columns(width, longest_show=19, length_w=7)
        assert sum(c.width for c in cols) + len(cols) - 1 == width
        assert len(header(cols)) == width


def test_the_show_column_is_as_wide_as_the_longest_show_capped() -> None:
    assert widths(episode_columns(200, longest_show=19, length_w=7))["show"] == 19
    assert widths(episode_columns(200, longest_show=90, length_w=7))["show"] == 32


def test_narrow_rows_drop_the_bar_then_the_date_then_the_show() -> None:
    assert set(widths(episode_columns(160, 19, 7))) >= {"heard", "date", "show"}
    at_80 = widths(episode_columns(80, 19, 7))
    assert "heard" not in at_80 and "date" in at_80 and at_80["title"] >= 32
    at_40 = widths(episode_columns(40, 19, 7))
    assert set(at_40) == {"mark", "title", "length", "queued"}


def test_chapter_columns_keep_heard_over_length_and_drop_the_bar_when_narrow() -> None:
    wide = widths(chapter_columns(80, 5))
    assert wide["heard"] >= len("12:10 / 31:40") and "bar" in wide
    narrow = widths(chapter_columns(40, 5))
    assert "bar" not in narrow and narrow["title"] >= 10



class QueueHost(App[None]):
    def compose(self) -> ComposeResult:
        yield QueuePanel()


async def test_the_queue_title_says_how_many_are_of_unknown_length() -> None:
    """The title counted an episode of unknown length as 0:00 left, where `tracker queue`
    and `stats` say '1 of unknown length'."""
    entries: list[dict[str, Any]] = [
        {"position": 1, "id": "a", "show": "S", "title": "Known", "chapter": None, "resume_s": 0, "remaining_s": 600},
        {"position": 2, "id": "b", "show": "S", "title": "Unknown", "chapter": None, "resume_s": 0, "remaining_s": None},
    ]
    app = QueueHost()
    async with app.run_test() as pilot:
        app.query_one(QueuePanel).show(entries)
        await pilot.pause()
        title = str(app.query_one("#queue-title", Static).render())
    assert "2 episodes · 10:00 left, 1 of unknown length" in title


class QueueListHost(App[None]):
    def compose(self) -> ComposeResult:
        yield QueueList(id="queue-list")


async def test_a_queue_of_hundreds_keeps_its_titles_in_one_column() -> None:
    """From entry 100 on the titles started one cell further right than above them."""
    entries = [{"id": f"e{i}", "position": i, "title": "Title", "remaining_s": 60.0, "chapter": None}
               for i in range(1, 121)]
    app = QueueListHost()
    async with app.run_test(size=(40, 10)) as pilot:
        queue = app.query_one(QueueList)
        queue.show_entries(entries)
        queue.move_to(99)
        await pilot.pause()
        lines = [row(queue, y) for y in range(queue.size.height)]
        drawn = [line for line in lines if "Title" in line]
        assert any(line.lstrip().startswith("100.") for line in drawn) and any("99." in line for line in drawn)
        assert len({line.index("Title") for line in drawn}) == 1, lines


def test_each_status_lists_its_episodes_in_order_and_new_takes_the_ones_without_state(demo: Library) -> None:
    """f's lists, from the few episodes with a state (no look-up per row): a state marked
    new again (or none at all) is new, each list keeps the sort's order, and they add up."""
    by_title = ids(demo)
    demo.mark([by_title["The Secret Life of Bread Starters"], by_title["Welcome to Slow Radio"]], listened=True)
    demo.report_progress(by_title["Paper Maps in a Phone World"], 60)
    demo.mark([by_title["Welcome to Slow Radio"]], listened=False)  # a state again new
    view = CatalogView(demo)
    view.load()
    everything = list(view.rows)
    shown = {}
    for _ in range(3):
        view.cycle_status()
        shown[view.selection.status] = [view.row(e).title for e in view.rows]
        assert view.rows == [e for e in everything if e in view.rows]  # the sort's order kept
    assert shown["listened"] == ["The Secret Life of Bread Starters"]
    assert shown["in_progress"] == ["Paper Maps in a Phone World"]
    assert len(shown["new"]) == 4 and "Welcome to Slow Radio" in shown["new"]
    # the same lists once the order's positions are known (worked out in the index's thread)
    fast = CatalogView(demo)
    fast.load()
    fast.keep_positions()
    for _ in range(4):
        fast.cycle_status()
        assert fast.rows == [e for e in everything if (demo.state_docs().get(e) or {}).get("status", "new")
                             == fast.selection.status] if fast.selection.status else everything
    fast.cycle_sort()  # another order: its own positions
    view.cycle_sort()
    lists = [{(v.cycle_status(), v.selection.status)[1]: list(v.rows) for _ in range(4)} for v in (fast, view)]
    assert lists[0] == lists[1] and len(lists[0]) == 4
    for _ in range(4):  # the cursor's row found by the positions as by a scan
        fast.cycle_status()
        assert [fast.index_of(e) for e in everything] == [
            fast.rows.index(e) if e in fast.rows else None for e in everything]
