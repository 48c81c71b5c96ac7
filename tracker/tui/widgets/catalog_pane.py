"""The catalog pane: the filter box, the column header, the episode list (or the welcome
text of an empty library) and the status line; filtering as you type, in steps so a
keystroke never waits for a scan of 100k episodes."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.widgets import Input, ProgressBar, Static

from ..columns import header
from ..keys import FILTER, bindings
from ..text import literal
from ..trouble import reads_library
from .episode_list import EpisodeList
from .filter_box import FilterBox
from .status_line import StatusLine
from .welcome import Welcome

if TYPE_CHECKING:
    from ..view import CatalogView

SEARCH_STEP_ROWS = 4096  # rows scanned between two looks at the clock
SEARCH_SLICE_S = 0.003  # scanning this long at most before keys and repaints get a turn (8 ms held the first repaint of a keystroke past 50 ms at 100k)


class CatalogPane(Vertical):
    BINDINGS = bindings(FILTER)
    DEFAULT_CSS = """
    CatalogPane #filter { margin: 0 1; display: none; }
    CatalogPane #columns { height: 1; color: $text-muted; text-style: bold; }
    CatalogPane #progress { height: 1; padding: 0 1; display: none; }
    """

    def __init__(self, view: "CatalogView", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.view = view

    def compose(self) -> ComposeResult:
        yield FilterBox(id="filter")
        yield Static(id="columns", markup=False)
        yield EpisodeList(self.view, id="episodes")
        yield Welcome(id="welcome")
        yield ProgressBar(total=None, show_eta=False, id="progress")
        yield StatusLine(id="status")

    @property
    def episodes(self) -> EpisodeList:
        return self.query_one(EpisodeList)

    @property
    def current_id(self) -> str | None:
        return self.episodes.current_id

    # -- showing ---------------------------------------------------------------------------
    def redraw(self, current: str | None = None, cursor: int | None = None) -> None:
        """The rows and the status line, the cursor on ``current`` if it is still shown. New
        rows may put another episode under the cursor (a filter, a status, a sort): say so as
        a cursor move does, so the detail pane follows the row the keys act on."""
        rows = self.view.rows
        if cursor is None and current is not None:
            cursor = self.view.index_of(current)
        episodes = self.episodes
        episodes.set_count(len(rows), cursor)
        # Posted here, not on the list: a message made in this pane's handler would stop
        # bubbling at this pane (its sender) and never reach the screen.
        self.post_message(EpisodeList.Highlighted(episodes, episodes.cursor))
        empty = self.view.total == 0
        episodes.display = not empty
        self.query_one("#columns").display = not empty
        self.query_one(Welcome).display = empty
        self.say(self.view.summary())

    def say(self, text: str) -> None:
        self.query_one(StatusLine).say(text)

    def working(self, text: str, done: bool = False, fraction: float | None = None) -> None:
        """A background job's progress (an import): the bar and the status line."""
        bar = self.query_one("#progress", ProgressBar)
        bar.display = not done
        if fraction is not None:
            bar.update(total=1.0, progress=fraction)
        elif not done:  # a job starting: how far is not known yet (the last one's full bar would say done)
            bar.update(total=None, progress=0)
        self.say(self.view.summary() if done else text)

    @on(EpisodeList.ColumnsChanged)
    def columns_changed(self, event: EpisodeList.ColumnsChanged) -> None:
        self.query_one("#columns", Static).update(literal(header(event.columns)))

    # -- filter, status, sort ----------------------------------------------------------------
    def action_filter(self) -> None:
        box = self.query_one(FilterBox)
        box.display = True
        # Focus now, not after the queued keys: "/banana" typed in one burst goes to the box
        # whole (Widget.focus() would defer it and let "banana" run as commands first).
        self.screen.set_focus(box)

    @on(Input.Changed, "#filter")
    @reads_library
    def filter_changed(self, event: Input.Changed) -> None:
        current = self.current_id
        self.view.set_search(event.value, first=max(self.episodes.size.height, 1) + 1)
        if self.view.selection.search:
            self.redraw(cursor=0)  # the best matches first
        else:  # cleared (esc): on the episode the filter found, now among all the others
            self.redraw(**self._kept_or_top(current))
        if self.view.pending is not None:
            self.call_after_refresh(self.finish_search)  # the first screenful shows first

    @work(exclusive=True, group="search")
    async def finish_search(self) -> None:
        """Finish a search in slices of a few ms between key presses and repaints: a key
        waits at most one slice, and the full count settles as soon as the scan is done."""
        while self.view.pending is not None:
            await asyncio.sleep(0)  # keys and repaints first
            deadline = time.perf_counter() + SEARCH_SLICE_S
            finished = False
            while not finished and self.view.pending is not None and time.perf_counter() < deadline:
                finished = self.view.go_on(SEARCH_STEP_ROWS)
            if finished:
                try:
                    self.redraw(self.current_id)
                except NoMatches:
                    return  # the app is closing

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        self.screen.set_focus(self.episodes)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("clear_filter", "filter_done"):
            # focused now, not ``has_focus``: that is set only once the box has handled its Focus
            # event, after the keys already queued in a burst ("/", "bread", enter)
            return self.screen.focused is self.query_one(FilterBox)
        return True

    def action_filter_done(self) -> None:
        self.screen.set_focus(self.episodes)  # at once: the next key in a burst goes to the list

    def action_clear_filter(self) -> None:
        box = self.query_one(FilterBox)
        box.value = ""
        box.display = False
        self.screen.set_focus(self.episodes)  # at once: the next key in a burst goes to the list

    def action_cycle_status(self) -> None:
        current = self.current_id
        self.view.cycle_status()
        self.redraw(**self._kept_or_top(current))

    def _kept_or_top(self, current: str | None) -> dict[str, Any]:
        """The cursor stays on its episode if the new rows still show it (as the sort keeps
        it), else goes to the top: narrowing the list must not lose the row the user was on."""
        at = None if current is None else self.view.index_of(current)
        return {"cursor": 0 if at is None else at}

    def action_cycle_sort(self) -> None:
        """The next sort: at once when its order is known, else computed in a thread (at
        100k episodes its keys took up to 370 ms, the screen frozen) and shown when done."""
        sort = self.view.next_sort()
        if self.view.has_order(sort):
            self._sort_to(sort)
        else:
            self.view.sorting = sort
            self.say(self.view.summary())
            self.sort_off_loop(sort)

    @work(thread=True, exclusive=True, group="sort")
    def sort_off_loop(self, sort: str) -> None:
        listings, ids = self.view.order_for(sort)
        self.app.call_from_thread(self._sorted, sort, listings, ids)

    @reads_library
    def _sorted(self, sort: str, listings: dict[str, dict[str, Any]], ids: list[str]) -> None:
        """A sort's order is ready: shown if it is still the one asked for last (a later o
        wins), computed again if the catalog changed meanwhile."""
        self.view.keep_order(listings, sort, ids)
        if self.view.sorting != sort:
            return
        if not self.view.has_order(sort):
            self.sort_off_loop(sort)
        else:
            self._sort_to(sort)

    def _sort_to(self, sort: str) -> None:
        current = self.current_id  # the episode under the cursor now: it stays under it
        self.view.set_sort(sort)
        self.redraw(current)

    def show_only(self, show_id: str | None) -> None:
        """The Shows screen's "episodes of this show"; back to every show (esc), the cursor
        stays on the episode it was on."""
        current = self.current_id
        self.view.set_show(show_id)
        self.redraw(**(self._kept_or_top(current) if show_id is None else {"cursor": 0}))
