"""The application: four screens as modes (Library, Shows, Stats, History), the global
keys, the writer thread every change goes through, and a watch for changes made by
other processes. The app talks to screens only by messages (``messages.py``).
"""

from __future__ import annotations

from functools import partial
from typing import Any, Callable, Iterable, Sequence

from textual import work
from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import WorkerFailed

from ..importers.service import nothing_to_refresh
from ..locations import config_folder
from ..model.errors import StoreError, TrackerError
from ..model.library import Library
from ..model.records import Action
from ..model.shapes import misshapen_line
from ..model.text import terminal_safe
from ..model.words import plural
from . import keys, memory
from . import importing
from .importing import Imported
from .messages import LibraryChanged, Looked, Progress, ShowOnly, Waiting, Write, Written
from .trouble import LIBRARY_ERRORS, trouble_line
from .playing import PlayerApp, PlayerController
from .screens.base import TrackerScreen
from .screens.help import HelpScreen
from .screens.import_source import ImportRequest, ImportScreen
from .screens.history import HistoryScreen
from .screens.library import LibraryScreen
from .sync_bar import SyncBar, SyncRunner
from .screens.shows import ShowsScreen
from .screens.stats import StatsScreen
from .view import CatalogView
from .watch import LibraryWatch, Look
from .widgets.now_playing import NowPlayingBar
from .writer import Writer

WATCH_INTERVAL_S = 1.0  # outside changes appear within this (and one redraw)
KEYMAP_FILE = "keymap.toml"


class TrackerApp(PlayerApp):
    CSS_PATH = ["styles/app.tcss"]
    TITLE = "tracker"
    BINDINGS = keys.bindings(keys.APP)
    DEFAULT_MODE = "library"

    waiting: reactive[int] = reactive(0)  # writes held up by another process's lock

    def __init__(self, library: Library, remote_chapters: bool = True, watch_interval: float = WATCH_INTERVAL_S,
                 keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.library = library
        self.view = CatalogView(library)
        self.remote_chapters = remote_chapters
        self.watch_interval = watch_interval
        self.writer = Writer(self)
        self.changes = LibraryWatch(library)
        self.failure: BaseException | None = None  # a library error that ended the app
        self.trouble: str | None = None  # the library problem last said (said once: trouble.py)
        self._poll_failed = False
        self._looking = False  # a watch thread is reading (``check_outside_changes``)
        self.bars: list[Callable[[], Widget]] = []  # other areas' bars, on every screen (screens/base.py)
        self.sync = SyncRunner(self, library.folder)
        self.jobs = importing.Jobs(self, library.folder)  # imports and refreshes, one at a time
        self.bars.append(lambda: SyncBar(self.sync))
        self.screens_made: dict[str, TrackerScreen] = {}
        self.progress: Progress | None = None  # the last a running job said (none: no job)
        self.player = PlayerController(self, library)  # playback (tui/playing.py)
        self.bars.append(NowPlayingBar)
        self._keymap_problem: str | None = None
        asked = keymap if keymap is not None else self._user_keymap()
        self.keymap = keys.normal_keymap(asked)
        problems = keys.unknown_keys(asked) + keys.keymap_clashes(self.keymap)
        if problems:
            self._keymap_problem = "keymap: " + "; ".join(problems)
        # Before the first screen is made: set on mount it came too late for that screen's
        # footer, which went on showing the default keys until the focus moved.
        self.set_keymap(self.keymap)
        for mode, make in self.mode_factories().items():
            self.add_mode(mode, partial(self._make_screen, mode, make))

    def mode_factories(self) -> dict[str, Callable[[], TrackerScreen]]:
        return {
            "library": lambda: LibraryScreen(self.view),
            "shows": ShowsScreen,
            "stats": StatsScreen,
            "history": HistoryScreen,
        }

    def _make_screen(self, mode: str, make: Callable[[], TrackerScreen]) -> TrackerScreen:
        screen = self.screens_made[mode] = make()
        if self.progress is not None:  # a job runs: a screen first shown now says it too
            screen.post_message(Progress(self.progress.text, fraction=self.progress.fraction))
        return screen

    @property
    def main(self) -> LibraryScreen:
        """The Library screen (made at start: it is the first one shown)."""
        screen = self.screens_made["library"]
        assert isinstance(screen, LibraryScreen)
        return screen

    def _user_keymap(self) -> dict[str, str]:
        try:
            return keys.load_keymap(config_folder() / KEYMAP_FILE)
        except keys.KeymapError as err:
            self._keymap_problem = f"keymap not used: {err}"
            return {}

    def on_mount(self) -> None:
        problem = self._keymap_problem
        if problem:
            self.notify(problem, severity="warning", markup=False, timeout=10)
        self.say_library_notices()
        self.set_interval(self.watch_interval, self.check_outside_changes)
        self.call_after_refresh(memory.settle)  # the first paint is done
        self.sync.start()

    def on_unmount(self) -> None:
        self.sync.stop()  # first: its connection is cut while the writes below drain
        self.jobs.stop()  # an import or refresh running ends, what it read saved
        self.writer.close()  # changes asked for before quitting still land
        lost = [err for _, err in self.writer.unsaid() if isinstance(err, (TrackerError, StoreError))]
        if lost and self.failure is None:  # no screen is left to say it: the line after the TUI (exit 1)
            were = "was" if len(lost) == 1 else "were"
            self.failure = TrackerError(f"{plural(len(lost), 'change')} {were} not saved: {lost[-1]}")

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every notice (the screens' too: theirs come here), its control characters spelled
        out: Textual draws a notice's text as given, so a title an old library still holds
        raw would drive the terminal (set its title, clear it) when a change named it."""
        message, title = terminal_safe(message, multiline=True), terminal_safe(title)
        if timeout is None:
            super().notify(message, title=title, severity=severity, markup=markup)
        else:
            super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    # -- library changes ---------------------------------------------------------------------
    def check_outside_changes(self) -> None:
        """Poll for another process's changes in a thread (parsing a file another process
        rewrote would hold frames at 100k episodes); the result comes back as ``Looked``.
        A failed read is a notice, never a crash."""
        if self._looking:
            return  # the last look is still reading: it will see this change too
        self._looking = True
        self._look()

    @work(thread=True, group="watch")
    def _look(self) -> None:
        look = Look()
        try:
            look = self.changes.look(self.view)
        finally:
            self.post_message(Looked(look))

    def on_looked(self, message: Looked) -> None:
        self._looking = False
        self._broadcast_look(message.look, None)

    def _poll_and_broadcast(self, keep: str | None) -> None:
        try:
            look = Look(self.changes.poll())
        except LIBRARY_ERRORS as err:
            look = Look(error=err)
        self._broadcast_look(look, keep)

    def say_library_notices(self) -> None:
        """What the store said while reading (a file damaged while the app is open and
        restored from its backup, changes since lost; a file a newer tracker wrote): once
        each, on the loop, wherever the read happened (the watch's thread, the writer)."""
        notices = self.library.notices
        while notices:
            self.notify(notices.pop(0), severity="warning", markup=False, timeout=10)

    def _broadcast_look(self, look: Look, keep: str | None) -> None:
        self.say_library_notices()
        areas = look.areas
        if look.error is not None:
            self._poll_failed = True
            self.library_trouble(look.error)
            return
        if self._poll_failed and areas:  # the file is good again: every screen reads it all
            self._poll_failed = False
            self.trouble = None
            self.notify("the library reads again", markup=False, timeout=4)
            areas = frozenset()
            self.broadcast(LibraryChanged(areas, keep))
        elif areas:
            self.trouble = None  # a new change: a problem met again is said again
            self.broadcast(LibraryChanged(areas, keep))

    def library_trouble(self, error: BaseException) -> None:
        """Say a library problem once, until the library changes again: the poll meets it
        every second, each key again, each episode's damaged file anew."""
        if self.trouble is None:
            self.trouble = trouble_line(error)
            self.notify(self.trouble, severity="error", markup=False, timeout=10)

    async def run_action(self, action: Any, default_namespace: Any = None, namespaces: Any = None) -> bool:
        """Every key's, footer's and palette's action: an unreadable library is a notice
        and the app goes on (an exception here would stop the screen's message loop)."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except LIBRARY_ERRORS as err:
            self.library_trouble(err)
            return True

    def broadcast(self, message: LibraryChanged) -> None:
        for screen in self.screens_made.values():
            screen.post_message(LibraryChanged(message.areas, message.keep))

    def write(self, write: Write, keep: str | None = None) -> None:
        """Run a model change on the writer thread (in order); the screens hear when it lands."""
        if keep is not None:
            write.keep = keep
        self.writer.submit(write)
        if self.waiting:
            self.waiting = self.writer.pending

    def on_written(self, message: Written) -> None:
        try:
            self._written(message)
        finally:
            self.writer.reported()
            if self.waiting:
                self.waiting = self.writer.pending

    def _written(self, message: Written) -> None:
        write, error = message.write, message.error
        if error is not None:
            self.writer.said(write)
            if not isinstance(error, (TrackerError, StoreError)):
                raise error  # a bug: end as any crash does (exit status 1)
            if self.trouble is None or str(error) not in self.trouble:  # said already: once
                self.notify(str(error), severity="error", markup=False)
        else:
            if not write.quiet:
                self.notify(summary(message.result), markup=False, timeout=2)
            if write.done is not None:
                write.done(message.result)
        self._poll_and_broadcast(write.keep)

    def on_waiting(self, message: Waiting) -> None:
        self.waiting = self.writer.pending if message.waiting else 0

    def _handle_exception(self, error: Exception) -> None:
        """A damaged or unreadable library ends the app with one line and exit status 1
        (``run_tui`` prints it); anything else is a bug and gets Textual's traceback.
        A worker that met an unreadable library only says so: nothing of the app stopped."""
        if isinstance(error, WorkerFailed) and isinstance(error.error, LIBRARY_ERRORS):
            self.library_trouble(error.error)
            return
        if not isinstance(error, (StoreError, TrackerError)):
            # A failure no one foresaw: a library file edited by hand into a shape the
            # readers cannot take (a title that is a number) is that one line, as in the CLI.
            why = misshapen_line(self.library.store)
            error = TrackerError(why) if why is not None else error
        if isinstance(error, (StoreError, TrackerError)):
            if self.failure is None:  # the first says why; the app is on its way out
                self.failure = error
                self.exit(return_code=1)
            return
        super()._handle_exception(error)

    # -- global actions -------------------------------------------------------------------
    def action_undo(self, steps: int = 1) -> None:
        self.undo(steps)

    def action_redo(self, steps: int = 1) -> None:
        self.redo(steps)

    def undo(self, steps: int = 1, expect: Sequence[tuple[int, str]] | None = None) -> None:
        """``expect``: the actions the user chose (History), refused if no longer the newest."""
        self.write(Write("undo", lambda: self.library.undo(steps, expect), quiet=True,
                         done=lambda undone: self._said("undid", "down to", "nothing to undo", undone)))

    def redo(self, steps: int = 1, expect: Sequence[tuple[int, str]] | None = None) -> None:
        self.write(Write("redo", lambda: self.library.redo(steps, expect), quiet=True,
                         done=lambda redone: self._said("redid", "up to", "nothing to redo", redone)))

    def _said(self, verb: str, towards: str, nothing: str, actions: list[Action]) -> None:
        """Several: named by the last one walked, the oldest undone or the newest redone."""
        if not actions:
            self.notify(nothing)
        elif len(actions) == 1:
            self.notify(f"{verb}: {actions[0].summary}", markup=False, timeout=3)
        else:
            self.notify(f"{verb} {len(actions)} changes, {towards}: {actions[-1].summary}", markup=False, timeout=3)

    def action_sync_now(self) -> None:
        self.sync.run_now()

    def action_import_source(self) -> None:
        def chosen(request: ImportRequest | None) -> None:
            if request is not None:
                self.run_import(request.source, request.text)

        self.push_screen(ImportScreen(), chosen)

    def run_import(self, source: str | None, text: str | None = None) -> None:
        """Import a path or URL, or pasted text, in a child process (the screen stays live)."""
        what = f"Importing {source}" if source else "Importing the pasted text"
        self.jobs.start(what, importing.import_work(source, self.remote_chapters, text), key=source or text)

    def run_refresh(self, show_title: str | None = None, show_id: str | None = None) -> None:
        """Fetch one show's feed again (``show_id``, called ``show_title``), or every show's."""
        what = f"Refreshing {show_title}" if show_id else "Refreshing every show"
        self.jobs.start(what, importing.refresh_work(show_id, self.remote_chapters), key=show_id)  # (titles repeat)

    def show_only(self, show_id: str | None) -> None:
        """The Library screen with only one show's episodes (from the Shows screen)."""
        self.main.post_message(ShowOnly(show_id))

    def on_imported(self, message: Imported) -> None:
        self.post_message(Progress("", done=True))
        if message.failure is not None:
            self.notify(f"{message.what}: failed: {message.failure}", severity="error", markup=False)
        if not message.outcomes and message.failure is None:
            why = nothing_to_refresh(self.library, "r on its row in Shows refreshes")
            self.notify(f"{message.what}: nothing to fetch ({why})", markup=False)
        for line, severity in importing.notices(message.what, message.outcomes):
            self.notify(line, severity=severity, markup=False, timeout=8 if severity == "error" else None)
        self.check_outside_changes()
        self.jobs.finished()

    def on_progress(self, message: Progress) -> None:
        """An import's or refresh's progress: every screen shows it its own way."""
        self.progress = None if message.done else message
        for screen in self.screens_made.values():
            screen.post_message(Progress(message.text, message.done, message.fraction))

    def action_help(self) -> None:
        self.push_screen(HelpScreen(keys.help_text(self.keymap), self.keymap.get("app.help", "")))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The focused pane's actions (from the bindings in force there), the screens, and
        "Keys" once: the palette and the footer come from the same bindings."""
        seen: set[str] = set()
        for node, binding, enabled, tooltip in screen.active_bindings.values():
            if not binding.description or binding.action in seen or not enabled:
                continue
            if binding.id is None:
                continue  # Textual's own (ctrl+q, sideways scrolling): no id a keymap takes; q quits
            seen.add(binding.action)
            title = "Keys" if binding.id == "app.help" else binding.description
            shown = keys.effective_keys(binding, self.keymap)
            yield SystemCommand(title, f"{tooltip or binding.description} ({shown} · id {binding.id})",
                                partial(self.run_action, binding.action, node))
        for title, help_text, callback in self._extra_commands(screen):
            yield SystemCommand(title, help_text, callback)

    def _extra_commands(self, screen: Screen) -> Iterable[tuple[str, str, Any]]:
        for command in super().get_system_commands(screen):
            if command.title in ("Theme", "Screenshot"):
                yield command.title, command.help, command.callback


def summary(result: Any) -> str:
    """What a write did, in one line: the model's summary of each action."""
    actions = result if isinstance(result, list) else [result] if result else []
    return "; ".join(a.summary for a in actions if isinstance(a, Action)) or "nothing changed"
