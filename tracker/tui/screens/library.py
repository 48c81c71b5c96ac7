"""The Library screen: the catalog, the selected episode with its chapters, the queue.

Keys act on the focused pane: in the queue the episode actions (listened, queue, resume,
go to...) take the highlighted queue entry, in the chapters the episode they belong to,
and the detail pane follows whichever list has focus. Under 100 columns one pane shows
at a time: the catalog, and the detail with the queue opened over it.

Every change is a ``Write`` for the app's writer thread; the screen redraws when the app
says the library changed (``LibraryChanged``).
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.events import DescendantFocus, Resize
from textual.timer import Timer
from textual.widgets import Input

from ...model.errors import TrackerError
from ...model.views import episode_view, queue_view
from ..keys import EPISODE, LIBRARY, bindings
from ..messages import LibraryChanged, ShowOnly
from ..playing import PLAY_KEY
from ..trouble import LIBRARY_ERRORS, reads_library
from ..view import CatalogView
from ..widgets.catalog_pane import CatalogPane
from ..widgets.chapter_list import ChapterList
from ..widgets.cursor_list import CursorList
from ..widgets.detail import EpisodeDetail
from ..widgets.episode_list import EpisodeList
from ..widgets.queue_list import QueueList, QueuePanel
from .library_actions import LibraryActions

NARROW_BELOW = 100  # columns: one pane at a time under this
RIGHT_MIN = 44  # the detail pane's width: at least this...
RIGHT_MAX_SHARE = 0.55  # ...at most this share of the screen...
RIGHT_CHROME = 3  # ...counting its border and padding


class LibraryScreen(LibraryActions):
    BINDINGS = bindings(LIBRARY, EPISODE, [PLAY_KEY])
    DETAIL_DELAY_S = 0.06  # the detail pane follows the cursor once keys pause this long

    def __init__(self, view: CatalogView) -> None:
        super().__init__()
        self.view = view
        self._detail_timer: Timer | None = None
        self._right_width = 0
        self._started = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            yield CatalogPane(self.view, id="left")
            with Vertical(id="right"):
                yield EpisodeDetail(id="detail")
                yield QueuePanel(id="queue")
        yield from self.compose_bottom()

    @property
    def catalog(self) -> CatalogPane:
        return self.query_one(CatalogPane)

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < NARROW_BELOW, "-narrow")
        self.reload()
        self.set_focus(self.catalog.episodes)
        self.call_after_refresh(self.schedule_detail)  # the catalog paints first
        self._started = True
        if self.view.total:
            self.call_after_refresh(self.index_descriptions)

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_BELOW, "-narrow")
        self.query_one(QueuePanel).fit_height()
        self._right_width = 0
        self.query_one("#right").styles.width = None  # the stylesheet's share, then widened again
        self.call_after_refresh(self.widen_for_chapters)

    # -- reading the model -------------------------------------------------------------------
    def refresh_from_library(self, change: LibraryChanged) -> None:
        self.reload(keep=change.keep)

    def show_progress(self, text: str, done: bool, fraction: float | None) -> None:
        self.catalog.working(text, done, fraction)

    @reads_library
    def reload(self, keep: str | None = None) -> None:
        """Read the model again and redraw; keep the cursor on ``keep`` (or the same episode)."""
        current = keep or self.catalog.current_id
        catalog_changed = self.view.load()
        self.catalog.redraw(current)
        self.query_one(QueuePanel).show(queue_view(self.library))
        self.schedule_detail()
        if catalog_changed and self.view.total and self._started:
            self.index_descriptions()  # new episodes: search their descriptions too

    @work(thread=True, exclusive=True, group="index")
    def index_descriptions(self) -> None:
        """The descriptions, for the filter: read in a thread after the first paint. A file
        that cannot be read (damaged, no backup) is said once, and the status line says the
        filter stays on titles instead of "loading" for ever."""
        try:
            index = self.view.build_index(with_descriptions=True)
            self.view.keep_positions()
        except LIBRARY_ERRORS as err:
            self.app.call_from_thread(self._index_failed, err)
            return
        self.app.call_from_thread(self._index_ready, index)

    def _index_failed(self, error: BaseException) -> None:
        self.view.descriptions_unread = True
        self.tracker.library_trouble(error)
        self.catalog.say(self.view.summary())

    def _index_ready(self, index: Any) -> None:
        self.view.use_index(index, with_descriptions=True)
        if self.view.selection.search:
            self.view.apply()
            self.catalog.redraw(self.catalog.current_id)
        else:
            self.catalog.say(self.view.summary())

    # -- the detail pane follows the focused list --------------------------------------------
    def detail_target(self) -> str | None:
        """The episode the focused pane is on: the queue entry, the chapters' episode, or
        the catalog's row."""
        focused = self.focused
        if isinstance(focused, QueueList):
            return focused.current_id
        if isinstance(focused, ChapterList) and focused.episode_id:
            return focused.episode_id
        return self.catalog.current_id

    def schedule_detail(self) -> None:
        """Show the episode once keys pause: reading its details can take tens of ms at
        100k episodes, and a held arrow key or a typed filter should not wait for it."""
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        if self.DETAIL_DELAY_S <= 0:
            self.call_after_refresh(self.show_detail)
        else:
            self._detail_timer = self.set_timer(self.DETAIL_DELAY_S, self.show_detail)

    def detail_now(self) -> None:
        """Bring the detail pane up to date at once (an action needs its chapters)."""
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        self.show_detail()

    def show_detail(self) -> None:
        self._detail_timer = None
        try:
            detail = self.query_one(EpisodeDetail)
        except NoMatches:
            return  # the app is closing
        eid = self.detail_target()
        if eid is None:
            if isinstance(self.focused, QueueList):  # (no filter is on the queue: it is empty)
                detail.show_nothing("The queue is empty.")
            else:
                detail.show_nothing("Nothing matches the filter." if self.view.listed else "")
            return
        try:
            ep = self.library.episode(eid)
            view = episode_view(self.library, ep, queue_position=self.view.queue_ids.get(eid))
            description = self.library.description(eid)
        except TrackerError:
            detail.show_nothing("This episode is gone (changed elsewhere).")
            return
        except LIBRARY_ERRORS as err:
            detail.show_nothing(f"This episode could not be read: {err}")
            self.tracker.library_trouble(err)
            return
        detail.show_episode(view, description)
        self.widen_for_chapters()

    def widen_for_chapters(self) -> None:
        """Wide enough for the chapter titles (up to 55% of the screen): the pane only grows,
        so moving through the catalog does not make the columns jump back and forth."""
        width = self.size.width
        if width < NARROW_BELOW:
            return
        wanted = self.query_one(ChapterList).wanted_width() + RIGHT_CHROME
        target = max(RIGHT_MIN, min(wanted, int(width * RIGHT_MAX_SHARE)))
        right = self.query_one("#right")
        if target > max(self._right_width, right.size.width):
            self._right_width = target
            right.styles.width = target

    # Highlighted and Selected are every list's messages: a selector says which list.
    @on(CursorList.Highlighted, "#episodes, #queue-list")
    def list_highlighted(self, event: CursorList.Highlighted) -> None:
        if event.cursor_list.has_focus or isinstance(event.cursor_list, EpisodeList):
            self.schedule_detail()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        in_right = self.query_one("#right") in event.widget.ancestors
        self.set_class(in_right, "-right-open")
        if isinstance(event.widget, (QueueList, EpisodeList)):
            self.schedule_detail()

    # -- panes -------------------------------------------------------------------------------
    def panes(self) -> list[Any]:
        chapters = self.query_one(ChapterList)
        out: list[Any] = [self.catalog.episodes]
        if chapters.count:
            out.append(chapters)
        out.append(self.query_one(QueueList))
        return out

    def action_next_pane(self, step: int = 1) -> None:
        # The chapters of the row the cursor is on now, not of the one the detail last showed
        # (a cursor move just before, its detail still waiting): focused, chapters an episode
        # has not would be hidden and take the keys, the arrows with them.
        self.detail_now()
        panes = self.panes()
        if self.focused in panes:
            pane = panes[(panes.index(self.focused) + step) % len(panes)]
        else:  # the filter box (it sits just before the catalog, its results): tab goes to them
            pane = panes[0] if step > 0 else panes[-1]
        self.add_class("-right-open") if pane is not self.catalog.episodes else self.remove_class("-right-open")
        self.set_focus(pane)

    def open_chapters(self, eid: str | None) -> None:
        if eid is None:
            return
        self.detail_now()
        chapters = self.query_one(ChapterList)
        if chapters.count and chapters.episode_id == eid:
            self.add_class("-right-open")
            self.set_focus(chapters)
        else:
            self.notify("this episode has no chapters", severity="warning")

    @on(CursorList.Selected, "#episodes, #queue-list")
    def list_selected(self) -> None:
        self.open_chapters(self.detail_target())

    @on(ChapterList.Back)
    @on(QueueList.Back)
    def back_to_catalog(self) -> None:
        self.remove_class("-right-open")
        self.set_focus(self.catalog.episodes)

    # -- what the catalog shows: filter, status, sort, one show -------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "filter" and isinstance(self.focused, Input):
            return False  # "/" typed into a text box is a character, not the filter key
        if action == "all_shows":
            return self.view.selection.show_id is not None
        return True

    def rows_changed(self) -> None:
        self.catalog.redraw(self.catalog.current_id)

    def action_all_shows(self) -> None:
        self.catalog.show_only(None)

    def action_filter(self) -> None:
        self.remove_class("-right-open")
        self.catalog.action_filter()

    def action_cycle_status(self) -> None:
        self.catalog.action_cycle_status()
        self._show_catalog_if_covered()

    def action_cycle_sort(self) -> None:
        self.catalog.action_cycle_sort()
        self._show_catalog_if_covered()

    def _show_catalog_if_covered(self) -> None:
        """Under 100 columns the chapters and the queue cover the catalog: f and o pressed
        there changed a list out of sight, and nothing on screen moved. Show it, as / does."""
        if self.has_class("-narrow") and self.focused is not self.catalog.episodes:
            self.back_to_catalog()

    @reads_library
    def on_show_only(self, message: ShowOnly) -> None:
        """The Shows screen's enter: the show's episodes, in the catalog (not under the
        chapters or the queue the Library was left on, where the keys would act)."""
        self.catalog.show_only(message.show_id)
        self.back_to_catalog()
