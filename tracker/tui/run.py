"""Start the TUI: on the user's library, or with --demo on a throw-away one.

``make_app`` is the one factory the CLI, the tests and the benchmarks share.
"""

from __future__ import annotations

import gc
import shutil
import tempfile
from importlib import resources
from pathlib import Path

from ..model.library import Library
from .app import TrackerApp


def make_app(folder: Path | str, remote_chapters: bool = True, watch_interval: float | None = None) -> TrackerApp:
    library = Library(folder)
    # Read once before the screen opens, so a damaged or unreadable library is one
    # clear error line (exit 1) rather than a crash inside the app.
    gc.disable()  # until the first paint (TrackerApp.on_mount): see settle_memory
    try:
        library.listings()
        library.state_docs()
    except BaseException:
        gc.enable()
        raise
    kwargs = {} if watch_interval is None else {"watch_interval": watch_interval}
    return TrackerApp(library, remote_chapters=remote_chapters, **kwargs)


def settle_memory() -> None:
    """Move what is loaded so far out of the cyclic collector's way, and let it run again.

    At 100k episodes each full collection walked every catalog object (~100 ms, several
    times during start-up). The catalog holds no reference cycles, so reference counting
    still frees it when it is replaced."""
    gc.freeze()
    gc.enable()


def demo_feed() -> Path:
    return Path(str(resources.files("tracker") / "demo" / "sample-show.xml"))


def load_demo(folder: Path) -> Library:
    """A fresh library holding the bundled sample show."""
    from ..importers.service import import_sources

    library = Library(folder)
    (outcome,) = import_sources(library, [str(demo_feed())], remote_chapters=False)
    if not outcome.ok:  # pragma: no cover - the sample ships with the package
        raise RuntimeError(f"the demo show did not import: {outcome.message}")
    return library


def run_tui(library_dir: str | None, demo: bool = False) -> int:
    from ..cli.common import library_folder

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
