"""What the Library screen changes: each key is a ``Write`` for the app's writer thread
(never on the event loop), on the episode of the focused pane (``detail_target``): the
catalog's row, the queue's entry or the chapters' episode."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, cast

from textual import on

from ...model.errors import UsageError
from ...model.records import ChapterMark
from ...model.views import resume_view
from ...model.words import plural
from ..keys import key_of
from ..messages import Write
from ..playing import play_chapter, play_episode
from ..text import clock
from ..widgets.chapter_list import ChapterList
from ..widgets.cursor_list import CursorList
from ..widgets.queue_list import QueueList
from .base import TrackerScreen
from .confirm import ConfirmScreen, undo_hint
from .goto import GotoScreen

if TYPE_CHECKING:
    from ..view import CatalogView


class LibraryActions(TrackerScreen):
    """The Library screen's changes; ``LibraryScreen`` says what is shown and where."""

    view: "CatalogView"

    def detail_target(self) -> str | None:  # pragma: no cover - LibraryScreen's
        raise NotImplementedError

    def detail_now(self) -> None:  # pragma: no cover - LibraryScreen's
        raise NotImplementedError

    def rows_changed(self) -> None:  # pragma: no cover - LibraryScreen's
        raise NotImplementedError

    # -- changing: each a write for the writer thread ----------------------------------------------
    def write(self, label: str, do: Callable[[], Any], keep: str | None = None, quiet: bool = False,
              done: Callable[[Any], None] | None = None) -> None:
        self.tracker.write(Write(label, do, done=done, quiet=quiet), keep=keep)

    def target(self) -> str | None:
        eid = self.detail_target()
        if eid is None:
            self.notify("no episode selected", severity="warning")
        return eid

    def status_of(self, eid: str) -> str:
        return (self.view.states.get(eid) or {}).get("status", "new")

    def action_toggle_listened(self) -> None:
        eid = self.target()
        if not eid:
            return

        def toggle() -> Any:
            # Which way is decided when the write runs, from the episode as it stands then:
            # presses queued behind another tracker's lock each toggle what the one before left.
            # Toggling off brings back the progress it had (issue 11 item 5); "mark new" clears.
            if self.library.state(eid).status == "listened":
                return self.library.unmark_listened([eid])
            return self.library.mark_listened([eid])

        self.write("listened", toggle)

    def action_mark_new(self) -> None:
        eid = self.target()
        if not eid:
            return
        if self.status_of(eid) == "new":  # nothing to clear: the CLI's words, not a question
            title = (self.library.listing(eid) or {}).get("title", "")
            self.notify(f"“{title}” is already new", markup=False, timeout=2)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.write("mark new", lambda: self.library.mark_new([eid]))

        self.app.push_screen(ConfirmScreen(f"Mark this episode new and clear its progress? ({undo_hint(self.app)})",
                                           "Mark new"), answered)

    def action_queue_add(self) -> None:
        eid = self.target()
        if eid and eid in self.view.queue_ids:  # the CLI's words, not "nothing changed"
            title = (self.library.listing(eid) or {}).get("title", "")
            self.notify(f"“{title}” is already queued", markup=False, timeout=2)
        elif eid:
            self.write("queue", lambda: self.library.queue_add([eid]))

    def action_play_next(self) -> None:
        eid = self.target()
        if eid:
            self.write("play next", lambda: self.library.queue_add([eid], next_=True))

    def action_resume(self) -> None:
        eid = self.target()
        if not eid:
            return
        res = resume_view(self.library, eid)
        self.detail_now()
        if res["chapter"]:
            chapters = self.query_one(ChapterList)
            chapters.move_to(res["chapter"] - 1)
            self.add_class("-right-open")
            self.set_focus(chapters)
            self.notify(f"Resume at chapter {res['chapter']} “{res['chapter_title']}”, {clock(res['position_s'])}",
                        markup=False)
        else:
            self.notify(f"Resume at {clock(res['position_s'])}", markup=False)

    def action_goto(self) -> None:
        eid = self.target()
        if not eid:
            return
        ep = self.library.episode(eid)

        def chosen(position: float | None) -> None:
            if position is not None:
                self.write("go to", lambda: self.library.report_progress(eid, position))

        self.app.push_screen(GotoScreen(ep), chosen)

    def action_nudge(self, seconds: int) -> None:
        eid = self.target()
        if eid:  # (from where it stands when the write runs: every key of a burst counts)
            self.write("nudge", lambda: self.library.nudge(eid, seconds))

    def action_mark_filtered(self) -> None:
        if self.view.finish():  # the filter was still counting: every match, not those found so far
            self.rows_changed()
        if not self.view.rows:  # (not "every episode shown is already listened": none is shown)
            self.notify("no episode is shown: nothing to mark", severity="warning")
            return
        ids = [e for e in self.view.rows if self.status_of(e) != "listened"]
        if not ids:
            self.notify("every episode shown is already listened")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.write("mark all", lambda: self.library.mark(ids, listened=True))

        self.app.push_screen(ConfirmScreen(f"Mark {plural(len(ids), 'episode')} listened? ({undo_hint(self.app)})",
                                           "Mark listened"), answered)

    # -- chapters ------------------------------------------------------------------------------------
    @on(ChapterList.Mark)
    def chapter_mark(self, event: ChapterList.Mark) -> None:
        eid = self.query_one(ChapterList).episode_id
        if eid:
            n, mark, seen = event.n, cast("ChapterMark | None", event.mark), event.seen
            self.write("chapter", lambda: self.library.mark_chapter(eid, n, mark, seen))

    @on(CursorList.Selected, "#chapters")
    def chapter_selected(self) -> None:
        self.play_chapter()

    def play_chapter(self) -> None:
        """Play from the chapter; where it cannot play (no mpv, no audio), resume there."""
        chapters = self.query_one(ChapterList)
        eid, ch = chapters.episode_id, chapters.current
        if eid and ch:
            episode = self.library.episode(eid)
            try:  # the chapter the row shows, wherever a refresh the screen has not caught up with put it
                n = self.library.chapter_seen(episode, ch["n"], (ch["start_s"], ch["title"]))
            except UsageError as err:
                self.notify(str(err), severity="warning", markup=False)
                return
            why = play_chapter(self.app, episode, n)
            if why is None:
                return
            if ch["state"] in ("done", "skipped"):  # resume passes over it (as 'queue add --chapter' says)
                self.notify(f"{why}, and chapter {ch['n']} is {ch['state']}: resume passes over it "
                            f"({key_of(self.app, 'chapter.clear')} clears it first)", severity="warning",
                            markup=False, timeout=6)
                return
            self.notify(f"{why}: the resume point is set to chapter {ch['n']} instead", severity="warning",
                        markup=False, timeout=4)
            start = ch["start_s"]
            self.write("resume here", lambda: self.library.set_resume_point(eid, start))

    def action_play(self) -> None:
        """p: the chapter under the cursor in the chapters, else the focused pane's episode."""
        if isinstance(self.focused, ChapterList):
            self.play_chapter()
            return
        eid = self.target()
        if eid:
            play_episode(self.app, eid)

    # -- queue ---------------------------------------------------------------------------------------
    @on(QueueList.Move)
    def queue_move(self, event: QueueList.Move) -> None:
        eid, to = event.episode_id, event.to
        self.write("queue move", lambda: self.library.queue_move(eid, to), quiet=True)

    @on(QueueList.Remove)
    def queue_remove(self, event: QueueList.Remove) -> None:
        eid = event.episode_id
        self.write("queue remove", lambda: self.library.queue_remove([eid]))

    @on(QueueList.Clear)
    def queue_clear(self) -> None:
        if self.app.screen is not self:  # a key of a burst, sent before the question opened
            return
        count = len(self.view.queue_ids)
        if not count:
            self.notify("the queue is already empty")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.write("clear queue", self.library.queue_clear)

        self.app.push_screen(ConfirmScreen(f"Remove {'the' if count == 1 else 'all'} {plural(count, 'episode')} from the queue? "
                                           f"({undo_hint(self.app)})",
                                           "Clear queue"), answered)
