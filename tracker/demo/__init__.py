"""The sample show bundled for `tracker --demo`, the README screenshot and the tests."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from tracker.importers.service import import_sources
from tracker.model.library import Library


def demo_feed() -> Path:
    return Path(str(resources.files("tracker") / "demo" / "sample-show.xml"))


def load_demo(folder: Path) -> Library:
    """A fresh library holding the bundled sample show."""
    library = Library(folder)
    (outcome,) = import_sources(library, [str(demo_feed())], remote_chapters=False)
    if not outcome.ok:  # pragma: no cover - the sample ships with the package
        raise RuntimeError(f"the demo show did not import: {outcome.message}")
    return library


def add_sample_listening(library: Library) -> None:
    """Some listening on the demo show: chapters in every state, a queue, one listened."""
    ids = {d["title"]: eid for eid, d in library.listings().items()}
    lighthouse = ids["How a Lighthouse Keeps Time"]
    library.report_progress(lighthouse, 20 * 60)
    library.mark_chapter(lighthouse, 4, "skipped")
    library.mark([ids["Welcome to Slow Radio"]], listened=True)
    library.queue_add([ids["Why Trains Run on Time (Mostly)"], ids["Paper Maps in a Phone World"]])
    library.queue_add([lighthouse], next_=True)  # it resumes in chapter 3
