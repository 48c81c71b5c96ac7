"""Start the TUI: on the user's library, or with --demo on a throw-away one.

``make_app`` is the one factory the CLI, the tests and the benchmarks share. A library
that cannot be opened (damaged with no backup, a file where a folder should be) is one
line and exit status 1, before the screen opens or from inside it.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from ..demo import load_demo
from ..locations import library_folder
from ..model.library import Library
from . import memory
from .app import TrackerApp


def make_app(folder: Path | str, remote_chapters: bool = True, watch_interval: float | None = None,
             keymap: dict[str, str] | None = None) -> TrackerApp:
    library = Library(folder)  # a file where the folder should be: store.NotALibrary, one line
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
    return TrackerApp(library, remote_chapters=remote_chapters, keymap=keymap, **kwargs)


NOT_A_TERMINAL = ("the TUI needs a terminal (input or output is redirected): "
                  "run a command instead, see 'tracker --help'")


def run(app: TrackerApp) -> int:
    """Run the app; its exit status (1 after a crash or a library error, said in one line).
    Redirected, it would write escape codes into a file and wait for keys that never come:
    that is a usage error, exit 2."""
    if not all(stream is not None and stream.isatty() for stream in (sys.stdin, sys.stdout)):  # closed: None
        memory.release()
        print(f"tracker: {NOT_A_TERMINAL}", file=sys.stderr)
        return 2
    app.run()
    if app.failure is not None:
        print(f"tracker: {app.failure}", file=sys.stderr)
        return 1
    return app.return_code or 0


def run_tui(library_dir: str | None, demo: bool = False) -> int:
    if demo:
        folder = Path(tempfile.mkdtemp(prefix="tracker-demo-"))
        try:
            load_demo(folder)
            return run(make_app(folder))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return run(make_app(library_folder(library_dir)))
