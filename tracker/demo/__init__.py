"""The sample show bundled for `tracker --demo`, the README screenshot and the tests."""

from __future__ import annotations

from tracker.model.library import Library


def add_sample_listening(library: Library) -> None:
    """Some listening on the demo show: chapters in every state, a queue, one listened."""
    ids = {d["title"]: eid for eid, d in library.listings().items()}
    lighthouse = ids["How a Lighthouse Keeps Time"]
    library.progress(lighthouse, 20 * 60)
    library.chapter(lighthouse, 4, "skipped")
    library.mark([ids["Welcome to Slow Radio"]], listened=True)
    library.queue_add([ids["Why Trains Run on Time (Mostly)"], ids["Paper Maps in a Phone World"]])
    library.queue_add([lighthouse], next_=True, chapter=3)
