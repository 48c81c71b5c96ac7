"""Sync in the TUI: a worker thread when the app opens, every N minutes (the setup's
interval, 15 by default) and on a key; a one-line bar with progress and the last
sync time; failures as a notice. Input never waits: the sync runs in a thread with
its own Library, and the app's watch picks up what it wrote like any outside change.

The app hooks it with ``SyncRunner(app).start()``, a binding to ``runner.run_now`` and
``SyncBar(runner)`` on its screens.
"""

from __future__ import annotations

import threading
from concurrent.futures import CancelledError
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from rich.text import Text
from textual.app import App
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from store import StoreError

from ..importers.background import import_in_process
from ..model.errors import SyncError, TrackerError
from ..model.library import Library
from ..sync.api import Api, make_api
from ..sync.config import SyncSetup, load
from ..sync.engine import run_sync
from ..sync.report import SyncReport
from ..sync.subs import Importer


class SyncState(Message):
    """What the sync bar shows: ``text`` (plain), ``failed`` when the last sync failed."""

    def __init__(self, text: str, failed: bool = False, running: bool = False) -> None:
        super().__init__()
        self.text = text
        self.failed = failed
        self.running = running


class SyncRunner:
    def __init__(self, app: App[None], folder: Path, load_setup: Callable[[Path], SyncSetup | None] = load) -> None:
        self.app = app
        self.folder = folder
        self.load_setup = load_setup
        self.bars: list[SyncBar] = []
        self.state = SyncState("")
        self.running = False
        self.last_report: SyncReport | None = None
        self._timer: Timer | None = None
        self._api: Api | None = None  # the running sync's connection, to stop it when the app closes
        self._closing = False
        self._cancel = threading.Event()  # set on closing: the feeds the sync imports stop being fetched

    def start(self) -> None:
        """Sync once the first screen is up, then every interval (when set up)."""
        setup = self._setup_quietly()
        if setup is None:
            return
        self.app.call_after_refresh(self.run_now, False)
        self._every(setup)

    def _every(self, setup: SyncSetup) -> None:
        """Sync every interval from now on (once: a setup made while the app is open starts it)."""
        if self._timer is None:
            self._timer = self.app.set_interval(max(60.0, setup.interval_min * 60), lambda: self.run_now(False))

    def run_now(self, asked: bool = True) -> None:
        if self.running:
            if asked:
                self.app.notify("a sync is already running", timeout=2)
            return
        setup = self._setup_quietly()
        if setup is None:
            if asked:
                self.app.notify("sync is not set up: run `tracker sync setup URL --user USER` in a shell",
                                severity="warning", markup=False, timeout=6)
            return
        self._every(setup)
        self.running = True
        self._show(SyncState("sync: starting…", running=True))
        self.app.run_worker(lambda: self._work(setup), thread=True, exclusive=True, group="sync", name="sync")

    def stop(self) -> None:
        """The app is closing: a sync waiting on the server ends now instead of holding the
        exit (the process waits for its thread) until the server answers or times out."""
        self._closing = True
        self._cancel.set()
        api = self._api
        if api is not None:
            api.http.stop()

    def _work(self, setup: SyncSetup) -> None:
        def progress(message: str) -> None:
            self._tell(self._show, SyncState(f"sync: {message}…", running=True))

        self._api = make_api(setup)
        if self._closing:  # closed while this thread started
            self._api.http.stop()
        try:
            report = run_sync(Library(self.folder), setup, progress, api=self._api,
                              importer=self._importer(progress))
        except (TrackerError, StoreError, OSError) as err:
            self._tell(self._failed, str(err), err.said if isinstance(err, SyncError) else ())
            return
        finally:
            self._api = None
        self._tell(self._done, report)

    def _importer(self, progress: Callable[[str], None]) -> Importer:
        """Feeds the server names are imported in a child process, as the app's own imports
        are: parsing them in this thread would hold the screen (the GIL), and closing the
        app stops the child at once instead of waiting for a silent feed to time out."""
        def load(library: Library, urls: list[str]) -> list[list[Any]]:
            outcomes = import_in_process(library.folder, urls, cancel=self._cancel,
                                         progress=lambda step: progress(f"importing {step.line()}"))
            each: dict[str, list[Any]] = {}
            for outcome in outcomes:
                each.setdefault(outcome.source, []).append(outcome)
            return [each.get(url, []) for url in urls]

        return load

    def _tell(self, callback: Callable[..., None], *args: object) -> None:
        """Hand a result to the app, unless it is closing (nobody to tell, and the call
        would wait for an answer that never comes)."""
        if self._closing:
            return
        try:
            self.app.call_from_thread(callback, *args)
        except (RuntimeError, CancelledError):
            pass  # it closed meanwhile

    def _done(self, report: SyncReport) -> None:
        self.running = False
        self.last_report = report
        moved = f"↓{report.episodes_changed} ↑{report.episodes_up}"
        self._show(SyncState(f"synced {_clock()} ({moved})"))
        # The bar counts episodes only: what else moved, or needs a look, is said.
        if (report.feeds_imported or report.feeds_resubscribed or report.feeds_unsubscribed
                or report.subscriptions_up or report.failures or report.notes or report.left_out
                or report.skipped_bad):
            self.app.notify("; ".join(report.lines()), markup=False, timeout=6,
                            severity="warning" if report.failures else "information")

    def _failed(self, message: str, said: tuple[str, ...]) -> None:
        self.running = False
        self._show(SyncState(f"sync failed {_clock()}: nothing lost, it retries", failed=True))
        if said:  # said once, before the failure: the next sync will not say it
            self.app.notify("; ".join(said), severity="warning", markup=False, timeout=8)
        self.app.notify(f"sync failed: {message}", severity="error", markup=False, timeout=8)

    def _show(self, state: SyncState) -> None:
        self.state = state
        for bar in self.bars:
            bar.show(state)

    def _setup_quietly(self) -> SyncSetup | None:
        try:
            return self.load_setup(self.folder)
        except TrackerError as err:
            self.app.notify(str(err), severity="error", markup=False)
            return None


class SyncBar(Static):
    """One line: the sync's progress, or when it last synced; hidden when sync is not set up."""

    DEFAULT_CSS = """
    SyncBar { height: 1; dock: bottom; padding: 0 1; color: $text-muted; }
    SyncBar.-failed { color: $error; }
    """

    def __init__(self, runner: SyncRunner, id: str | None = "sync-bar") -> None:
        super().__init__("", id=id)
        self.runner = runner

    def on_mount(self) -> None:
        self.runner.bars.append(self)
        self.show(self.runner.state)

    def on_unmount(self) -> None:
        if self in self.runner.bars:
            self.runner.bars.remove(self)

    def show(self, state: SyncState) -> None:
        self.display = bool(state.text)
        self.set_class(state.failed, "-failed")
        self.update(Text(state.text))


def _clock() -> str:
    return datetime.now().strftime("%H:%M")
