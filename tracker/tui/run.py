"""Start the TUI: on the user's library, or with --demo on a throw-away one.

``make_app`` is the one factory the CLI, the tests and the benchmarks share.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from ..demo import load_demo
from ..locations import library_folder
from ..model.library import Library
from . import memory
from .app import TrackerApp


def make_app(folder: Path | str, remote_chapters: bool = True, watch_interval: float | None = None) -> TrackerApp:
    library = Library(folder)
    # Read once before the screen opens, so a damaged or unreadable library is one
    # clear error line (exit 1) rather than a crash inside the app.
    memory.hold()  # until the first paint (TrackerApp.on_mount)
    try:
        library.listings()
        library.state_docs()
    except BaseException:
        memory.release()
        raise
    kwargs = {} if watch_interval is None else {"watch_interval": watch_interval}
    return TrackerApp(library, remote_chapters=remote_chapters, **kwargs)


def run_tui(library_dir: str | None, demo: bool = False) -> int:
    if demo:
        folder = Path(tempfile.mkdtemp(prefix="tracker-demo-"))
        try:
            load_demo(folder)
            make_app(folder).run()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return 0
    make_app(library_folder(library_dir)).run()
    return 0
