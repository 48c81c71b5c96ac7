"""The Shows screen: each show with its counts, last refresh and feed URL; refresh one
or all (in a worker, with progress), unsubscribe and subscribe again (undoable), and
``enter`` for the show's episodes in the Library."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.widgets import Static

from ...model.shows import show_summaries
from ...model.words import plural
from ..keys import SHOWS, bindings, key_of
from ..messages import LibraryChanged, Write
from ..text import literal
from ..widgets.show_list import ShowList, ShowRow
from ..widgets.status_line import StatusLine
from ..trouble import reads_library
from .base import TrackerScreen
from .confirm import ConfirmScreen, undo_hint

if TYPE_CHECKING:
    from ...model.library import Library


def show_rows(library: "Library") -> list[ShowRow]:
    """The model's show summaries as rows; unsubscribed shows last."""
    rows = [ShowRow(show_id=x.id, title=x.title, episodes=x.episodes, new=x.new, in_progress=x.in_progress,
                    listened=x.listened, refreshed=x.refreshed_at or "", feed_url=x.feed_url or "",
                    subscribed=x.subscribed)
            for x in show_summaries(library)]
    return sorted(rows, key=lambda r: not r.subscribed)  # stable: by title within each


class ShowsScreen(TrackerScreen):
    BINDINGS = bindings(SHOWS)
    DEFAULT_CSS = """
    ShowsScreen #shows-columns { height: 1; color: $text-muted; text-style: bold; padding: 0 1; }
    ShowsScreen ShowList { height: 1fr; padding: 0 1; }
    """
    working: str | None = None  # a refresh's (an import's) progress, said until it ends

    def compose(self) -> ComposeResult:
        yield Static(id="shows-columns", markup=False)
        yield ShowList(id="shows")
        yield StatusLine(id="shows-status")
        yield from self.compose_bottom()

    @property
    def shows(self) -> ShowList:
        return self.query_one(ShowList)

    def on_mount(self) -> None:
        self.reload()
        self.set_focus(self.shows)

    def on_resize(self) -> None:
        self.call_after_refresh(self._header)

    def _header(self) -> None:
        self.query_one("#shows-columns", Static).update(literal(self.shows.header(self.shows.scrollable_content_region.width)))

    def refresh_from_library(self, change: LibraryChanged) -> None:
        self.reload()

    @reads_library
    def reload(self) -> None:
        rows = show_rows(self.library)
        self.shows.show_rows(rows)
        self.refresh_bindings()  # (the show under the cursor may have been unsubscribed or subscribed)
        self._header()
        self.say(rows)

    def say(self, rows: list[ShowRow]) -> None:
        """The counts and keys, or while a job runs its progress: the list redrawn with
        what its first feeds brought put the counts back, read as done while others ran."""
        if self.working is not None:
            self.query_one(StatusLine).say(self.working)
            return
        if not rows:  # (no show for enter or r to act on: the footer offers neither either)
            self.query_one(StatusLine).say(f"No shows yet · {key_of(self.app, 'app.import')}: import a feed URL, "
                                           "a feed or OPML file, or a show page")
            return
        hidden = sum(not r.subscribed for r in rows)
        text = f"{len(rows):,} show{'s' if len(rows) != 1 else ''}"
        if hidden:
            text += f" · {hidden} unsubscribed (✕: {key_of(self.app, 'shows.subscribe')} subscribes again)"
        text += (f" · {key_of(self.app, 'shows.open')}: its episodes · {key_of(self.app, 'shows.refresh')}: refresh"
                 f" · {key_of(self.app, 'shows.refresh_all')}: refresh all")
        self.query_one(StatusLine).say(text)

    def show_progress(self, text: str, done: bool, fraction: float | None) -> None:
        self.working = None if done else text
        self.say(self.shows.shows)

    @on(ShowList.Selected, "#shows")
    def open_show(self) -> None:
        show = self.shows.current
        if show is not None:
            self.app.switch_mode("library")
            self.tracker.show_only(show.show_id)

    def action_refresh_one(self) -> None:
        show = self.shows.current
        if show is None:
            return
        if not show.feed_url:
            self.notify("this show was not imported from a URL: import its file again to update it",
                        severity="warning")
            return
        self.tracker.run_refresh(show.title, show.show_id)

    def action_refresh_all(self) -> None:
        self.tracker.run_refresh(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """U unsubscribes a show and subscribes an unsubscribed one again: the footer and
        the palette name the one it does under the cursor."""
        if action in ("subscribe", "unsubscribe"):
            show = self.shows.current
            return show is not None and show.subscribed == (action == "unsubscribe")
        if action == "refresh_one":
            return self.shows.current is not None  # (no show yet: nothing to refresh)
        return True

    @on(ShowList.Highlighted, "#shows")
    def cursor_moved(self) -> None:
        self.refresh_bindings()

    def action_subscribe(self) -> None:
        show = self.shows.current
        if show is not None and not show.subscribed:
            sid = show.show_id
            self.tracker.write(Write("resubscribe", lambda: self.library.resubscribe(sid)))

    def action_unsubscribe(self) -> None:
        show = self.shows.current
        if show is None or not show.subscribed:
            return
        sid = show.show_id

        def answered(yes: bool | None) -> None:
            if yes:
                self.tracker.write(Write("unsubscribe", lambda: self.library.unsubscribe(sid)))

        self.app.push_screen(ConfirmScreen(f"Unsubscribe from “{show.title}”? Its {plural(show.episodes, 'episode')} "
                                           f"{'leaves' if show.episodes == 1 else 'leave'} the lists; what you heard stays in the history. ({undo_hint(self.app)})",
                                           "Unsubscribe"), answered)
