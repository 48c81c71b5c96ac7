"""The application: the main screen, global keys, the command palette, imports in a
worker, and a watch for changes made by other processes (a CLI command, another TUI)."""

from __future__ import annotations

from typing import Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from ..importers.service import Outcome
from ..model.files import LISTING_NAMES
from ..model.library import Library
from ..model.records import Action
from . import memory
from .screens.help import HelpScreen
from .screens.import_source import ImportScreen
from .screens.main import MainScreen
from .view import CatalogView
from .widgets.chapter_list import ChapterList
from .widgets.episode_list import EpisodeList
from .widgets.queue_list import QueueList

WATCH_INTERVAL_S = 1.0  # outside changes appear within this (and one redraw)
WATCHED = ("state", "catalog", *LISTING_NAMES)


class TrackerApp(App[None]):
    CSS_PATH = ["styles/app.tcss"]
    TITLE = "tracker"
    BINDINGS = [
        Binding("u", "undo", "Undo"),
        Binding("i", "import_source", "Import"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, library: Library, remote_chapters: bool = True, watch_interval: float = WATCH_INTERVAL_S) -> None:
        super().__init__()
        self.library = library
        self.view = CatalogView(library)
        self.remote_chapters = remote_chapters
        self.watch_interval = watch_interval
        self.main = MainScreen(self.view)

    def get_default_screen(self) -> Screen:
        return self.main

    def on_mount(self) -> None:
        for notice in self.library.notices:
            self.notify(notice, severity="warning", markup=False, timeout=10)
        self.library.notices.clear()
        self.set_interval(self.watch_interval, self.check_outside_changes)
        self.call_after_refresh(memory.settle)  # the first paint is done

    def check_outside_changes(self) -> None:
        store = self.library.store
        if any(store.changed(name) for name in WATCHED):
            self.main.reload()

    # -- global actions -------------------------------------------------------------------
    def action_undo(self) -> None:
        def undo() -> list[Action]:
            undone = self.library.undo()
            if undone:
                self.notify("undid: " + undone[0].summary, markup=False, timeout=3)
            else:
                self.notify("nothing to undo")
            return []

        self.main.change(undo, quiet=True)

    def action_import_source(self) -> None:
        def chosen(source: str | None) -> None:
            if source:
                self.run_import(source)

        self.push_screen(ImportScreen(), chosen)

    @work(thread=True, exclusive=True, group="import")
    def run_import(self, source: str) -> None:
        """Import in a thread with its own Library (its own lock handle); the UI stays live."""
        from ..importers.service import import_sources

        self.call_from_thread(self.main.importing, True, f"Importing {source}…")
        library = Library(self.library.folder)

        def progress(message: str) -> None:
            self.call_from_thread(self.main.importing, True, message)

        try:
            outcomes = import_sources(library, [source], remote_chapters=self.remote_chapters, progress=progress)
        except Exception as err:  # noqa: BLE001 - the store's errors end the import, not the app
            self.call_from_thread(self._import_failed, str(err))
            return
        self.call_from_thread(self._import_done, outcomes)

    def _import_failed(self, message: str) -> None:
        self.main.importing(False)
        self.notify(f"import failed: {message}", severity="error", markup=False)

    def _import_done(self, outcomes: list[Outcome]) -> None:
        self.main.importing(False)
        for o in outcomes:
            if o.ok:
                what = f"{o.show}: " if o.show else ""
                self.notify(f"imported {what}{o.message}", markup=False)
            else:
                self.notify(f"{o.source}: {o.message}", severity="error", markup=False, timeout=8)
        self.main.reload()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.key_groups()))

    def key_groups(self) -> list[tuple[str, list[BindingType]]]:
        return [
            ("Catalog", [*MainScreen.BINDINGS, *EpisodeList.BINDINGS]),
            ("Chapters (enter from the catalog)", ChapterList.BINDINGS),
            ("Queue (tab to reach it)", QueueList.BINDINGS),
            ("Everywhere", [*self.BINDINGS, Binding("tab", "", "Next pane"), Binding("ctrl+p", "", "Command palette")]),
        ]

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        main = self.main
        commands = [
            ("Filter episodes", "Filter by words in the title, show or description (/)", main.action_filter),
            ("Cycle the status filter", "All, new, in progress, listened (f)", main.action_cycle_status),
            ("Cycle the sort order", "Newest, oldest, shortest, by title (o)", main.action_cycle_sort),
            ("Toggle listened", "Mark the selected episode listened or new (space)", main.action_toggle_listened),
            ("Add to the queue", "Queue the selected episode at the end (a)", main.action_queue_add),
            ("Play next", "Queue the selected episode at the top (n)", main.action_play_next),
            ("Open chapters", "Work with the selected episode's chapters (enter)", main.action_open_chapters),
            ("Resume", "Go to where the selected episode resumes (r)", main.action_resume),
            ("Mark all shown listened", "Every episode the filter shows, after asking (M)", main.action_mark_filtered),
            ("Clear the queue", "After asking (C)", main.action_queue_clear),
            ("Undo", "Undo the last change (u)", self.action_undo),
            ("Import", "Import a feed, OPML list or show page (i)", self.action_import_source),
            ("Keys", "Every key (?)", self.action_help),
        ]
        for title, help_text, callback in commands:
            yield SystemCommand(title, help_text, callback)
