"""The main screen: catalog, detail with chapters, queue, status line.

Every change goes through the listening model (the same calls as the CLI); the
screen only chooses what to show and reports what happened.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import Any, Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, ProgressBar

from store import StoreError

from ...model.errors import TrackerError
from ...model.files import details_file, notes_file
from ...model.records import Action
from ...model.views import episode_view
from ..view import CatalogView
from ..widgets.chapter_list import ChapterList
from ..widgets.cursor_list import CursorList
from ..widgets.detail import EpisodeDetail
from ..widgets.episode_list import EpisodeList
from ..widgets.queue_list import QueueList, QueuePanel
from ..widgets.status_line import StatusLine
from ..widgets.welcome import Welcome
from .confirm import ConfirmScreen

SEARCH_STEP_ROWS = 2048  # about 1 ms of scanning between two looks at the keyboard and screen
SEARCH_PAUSE_S = 0.002
DETAIL_FILES_KEPT = 4  # parsed details and notes files held at once: bounds memory at 100k episodes


class MainScreen(Screen[None]):
    BINDINGS = [
        Binding("slash", "filter", "Filter"),
        Binding("f", "cycle_status", "Status"),
        Binding("o", "cycle_sort", "Sort"),
        Binding("space", "toggle_listened", "Listened"),
        Binding("a", "queue_add", "Queue"),
        Binding("n", "play_next", "Play next"),
        Binding("r", "resume", "Resume"),
        Binding("M", "mark_filtered", "Mark all"),
        Binding("C", "queue_clear", "Clear queue", show=False),
    ]

    DETAIL_DELAY_S = 0.06  # the detail pane follows the cursor once keys pause this long

    def __init__(self, view: CatalogView) -> None:
        super().__init__()
        self._detail_timer: Timer | None = None
        self._started = False  # set once the first reload is done
        self.view = view
        self.library = view.library
        self._detail_files: OrderedDict[str, None] = OrderedDict()
        self.on_painted: Callable[[], None] | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter: words in the title, show or description (esc: clear)", id="filter")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield EpisodeList(self.view, id="episodes")
                yield Welcome(id="welcome")
            with Vertical(id="right"):
                yield EpisodeDetail(id="detail")
                yield QueuePanel(id="queue")
        yield ProgressBar(total=None, show_eta=False, id="import-progress")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self.query_one("#import-progress").display = False
        if self.on_painted is not None:  # before the detail pane: the catalog paints first
            self.call_after_refresh(self.on_painted)
        self.reload()
        if self._detail_timer is not None:  # the detail pane comes after the first paint
            self._detail_timer.stop()
            self._detail_timer = None
            self.call_after_refresh(self.schedule_detail)
        self.query_one(EpisodeList).focus()
        self._started = True
        if self.view.total:
            self.call_after_refresh(self.index_descriptions)

    # -- showing -----------------------------------------------------------------------------
    def reload(self, keep: str | None = None) -> None:
        """Read the model again and redraw; keep the cursor on ``keep`` (or the same episode)."""
        episodes = self.query_one(EpisodeList)
        current = keep or episodes.current_id
        catalog_changed = self.view.load()
        self.redraw(current)
        self.show_queue()
        if catalog_changed and self.view.total and self._started:
            self.index_descriptions()  # new episodes: search their descriptions too

    def redraw(self, current: str | None = None, cursor: int | None = None) -> None:
        """The rows, the status line and the detail (not the queue: it does not change with a filter)."""
        episodes = self.query_one(EpisodeList)
        rows = self.view.rows
        if cursor is None and current is not None:
            try:
                cursor = rows.index(current)
            except ValueError:
                cursor = None
        episodes.set_count(len(rows), cursor)
        empty = self.view.total == 0
        episodes.display = not empty
        self.query_one(Welcome).display = empty
        self.query_one(StatusLine).say(self.view.summary())
        self.schedule_detail()

    def show_queue(self) -> None:
        from ...model.views import queue_view

        self.query_one(QueuePanel).show(queue_view(self.library))

    def show_detail(self) -> None:
        self._detail_timer = None
        try:
            detail = self.query_one(EpisodeDetail)
        except NoMatches:
            return  # the app is closing
        eid = self.query_one(EpisodeList).current_id
        if eid is None:
            detail.show_nothing("Nothing matches the filter." if self.view.total else "")
            return
        try:
            ep = self.library.episode(eid)
        except TrackerError:
            detail.show_nothing("This episode is gone (changed elsewhere).")
            return
        self._keep_details_file(details_file(eid))
        self._keep_details_file(notes_file(eid))
        view = episode_view(self.library, ep, queue_position=self.view.queue_ids.get(eid))
        detail.show_episode(view, self.library.description(eid))

    def _keep_details_file(self, name: str) -> None:
        self._detail_files[name] = None
        self._detail_files.move_to_end(name)
        while len(self._detail_files) > DETAIL_FILES_KEPT:
            old, _ = self._detail_files.popitem(last=False)
            self.library.store.forget(old)

    @on(CursorList.Highlighted, "#episodes")
    def episode_highlighted(self) -> None:
        self.schedule_detail()

    def schedule_detail(self) -> None:
        """Show the selected episode once keys pause: reading its details can take tens of
        ms at 100k episodes, and a held arrow key or a typed filter should not wait for it."""
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        if self.DETAIL_DELAY_S <= 0:
            self.call_after_refresh(self.show_detail)
        else:
            self._detail_timer = self.set_timer(self.DETAIL_DELAY_S, self.show_detail)

    # -- descriptions, searched once loaded ---------------------------------------------------
    @work(thread=True, exclusive=True, group="index")
    def index_descriptions(self) -> None:
        index = self.view.build_index(with_descriptions=True)
        self.app.call_from_thread(self._index_ready, index)

    def _index_ready(self, index: Any) -> None:
        self.view.use_index(index, with_descriptions=True)
        if self.view.selection.search:
            self.view.apply()
            self.redraw(self.query_one(EpisodeList).current_id)
        else:
            self.query_one(StatusLine).say(self.view.summary())

    # -- changing -------------------------------------------------------------------------------
    def change(self, do: Callable[[], Action | list[Action] | None], quiet: bool = False) -> None:
        """Run a model change, report it in one line, redraw."""
        try:
            result = do()
        except (TrackerError, StoreError) as err:
            self.notify(str(err), severity="error", markup=False)
            return
        actions = result if isinstance(result, list) else [result] if result else []
        if not quiet:
            message = "; ".join(a.summary for a in actions) or "nothing changed"
            self.notify(message, markup=False, timeout=2)
        self.reload()

    def current(self) -> str | None:
        eid = self.query_one(EpisodeList).current_id
        if eid is None:
            self.notify("no episode selected", severity="warning")
        return eid

    def action_toggle_listened(self) -> None:
        eid = self.current()
        if eid:
            listened = (self.view.states.get(eid) or {}).get("status") == "listened"
            self.change(lambda: self.library.mark([eid], listened=not listened))

    def action_queue_add(self) -> None:
        eid = self.current()
        if eid:
            self.change(lambda: self.library.queue_add([eid]))

    def action_play_next(self) -> None:
        eid = self.current()
        if eid:
            self.change(lambda: self.library.queue_add([eid], next_=True))

    def detail_now(self) -> None:
        """Bring the detail pane up to date at once (an action needs its chapters)."""
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self.show_detail()

    def action_open_chapters(self) -> None:
        self.detail_now()
        chapters = self.query_one(ChapterList)
        if chapters.count:
            chapters.focus()
        elif self.query_one(EpisodeList).current_id:
            self.notify("this episode has no chapters", severity="warning")

    def action_back_to_catalog(self) -> None:
        self.query_one(EpisodeList).focus()

    def _chapter_target(self) -> tuple[str, dict[str, Any]] | None:
        eid = self.query_one(EpisodeList).current_id
        chapters = self.query_one(ChapterList)
        if eid is None or not chapters.count:
            return None
        return eid, chapters.chapters[chapters.cursor]

    def action_chapter(self, mark: str) -> None:
        target = self._chapter_target()
        if target:
            eid, ch = target
            cursor = self.query_one(ChapterList).cursor
            self.change(lambda: self.library.chapter(eid, ch["n"], None if mark == "clear" else mark))  # type: ignore[arg-type]
            self.call_after_refresh(lambda: self.query_one(ChapterList).move_to(cursor))

    def action_resume_here(self) -> None:
        target = self._chapter_target()
        if target:
            eid, ch = target
            self.change(lambda: self.library.seek(eid, ch["start_s"]))

    def action_resume(self) -> None:
        eid = self.current()
        if not eid:
            return
        from ...model.views import resume_view
        from ..text import clock

        res = resume_view(self.library, eid)
        self.detail_now()
        if res["chapter"]:
            chapters = self.query_one(ChapterList)
            chapters.move_to(res["chapter"] - 1)
            chapters.focus()
            self.notify(f"Resume at chapter {res['chapter']} “{res['chapter_title']}”, {clock(res['position_s'])}",
                        markup=False)
        else:
            self.notify(f"Resume at {clock(res['position_s'])}", markup=False)

    def action_mark_filtered(self) -> None:
        ids = [e for e in self.view.rows if (self.view.states.get(e) or {}).get("status") != "listened"]
        if not ids:
            self.notify("every episode shown is already listened")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.change(lambda: self.library.mark(ids, listened=True))

        self.app.push_screen(ConfirmScreen(f"Mark {len(ids):,} episodes listened? (u undoes it)", "Mark listened"), answered)

    # -- queue --------------------------------------------------------------------------------------
    def action_queue_move(self, to: str) -> None:
        queue = self.query_one(QueueList)
        eid = queue.current_id
        if eid:
            new_index = {"up": queue.cursor - 1, "down": queue.cursor + 1, "top": 0}.get(to, queue.cursor)
            self.change(lambda: self.library.queue_move(eid, to), quiet=True)
            queue.move_to(max(0, new_index))

    def action_queue_remove(self) -> None:
        eid = self.query_one(QueueList).current_id
        if eid:
            self.change(lambda: self.library.queue_remove([eid]))

    def action_queue_clear(self) -> None:
        if not self.view.queue_ids:
            self.notify("the queue is already empty")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.change(self.library.queue_clear)

        count = len(self.view.queue_ids)
        self.app.push_screen(ConfirmScreen(f"Remove all {count} episodes from the queue? (u undoes it)", "Clear queue"), answered)

    # -- filter, status, sort -------------------------------------------------------------------------
    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        episodes = self.query_one(EpisodeList)
        self.view.set_search(event.value, first=max(episodes.size.height, 1) + 1)
        self.redraw(cursor=0)
        if self.view.pending is not None:
            self.call_after_refresh(self.finish_search)  # the first screenful shows first

    @work(exclusive=True, group="search")
    async def finish_search(self) -> None:
        """Finish a search in small steps between key presses and repaints."""
        while self.view.pending is not None:
            await asyncio.sleep(SEARCH_PAUSE_S)  # keys and repaints first
            if self.view.go_on(SEARCH_STEP_ROWS):
                try:
                    current = self.query_one(EpisodeList).current_id
                except NoMatches:
                    return  # the app is closing
                self.redraw(current)

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        self.query_one(EpisodeList).focus()

    def on_key(self, event: Any) -> None:
        box = self.query_one("#filter", Input)
        if event.key == "escape" and box.has_focus:
            box.value = ""
            box.display = False
            self.query_one(EpisodeList).focus()
            event.stop()

    def action_cycle_status(self) -> None:
        self.view.cycle_status()
        self.redraw(cursor=0)

    def action_cycle_sort(self) -> None:
        current = self.query_one(EpisodeList).current_id
        self.view.cycle_sort()
        self.redraw(current)

    # -- import progress -----------------------------------------------------------------------------------
    def importing(self, active: bool, message: str = "") -> None:
        bar = self.query_one("#import-progress", ProgressBar)
        bar.display = active
        if message:
            self.query_one(StatusLine).say(message)
        elif not active:
            self.query_one(StatusLine).say(self.view.summary())
