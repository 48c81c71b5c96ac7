"""The watch for outside changes (the player's progress writes every 10 s, a CLI command)
reads the library in a thread: at 100k episodes parsing the rewritten state file on the
event loop held frames past 16 ms (bench/playback.py). What the user sees is unchanged."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from tracker.model.library import Library
from tracker.tui.run import make_app
from tracker.tui.view import CatalogView
from tracker.tui.widgets.episode_list import EpisodeList

from .conftest import ids, row, settle, until

SIZE = (160, 24)
LIGHTHOUSE = "How a Lighthouse Keeps Time"  # newest: the first row


async def test_an_outside_change_is_read_off_the_loop_and_still_shows(demo: Library,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(demo.folder, watch_interval=0.05)
    readers: set[str] = set()
    stamps = app.library.area_stamps

    def watched() -> Any:
        readers.add(threading.current_thread().name)
        return stamps()

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(app.library, "area_stamps", watched)
        other = Library(demo.folder)  # another process's view of the same library
        other.mark([ids(other)[LIGHTHOUSE]], listened=True)
        episodes = app.query_one(EpisodeList)
        assert await until(pilot, lambda: row(episodes, 0).startswith("●"))
        assert "1 listened" in app.main.view.summary()
        assert readers and threading.main_thread().name not in readers


def test_a_view_read_ahead_equals_one_read_on_the_spot(demo: Library) -> None:
    ahead, plain = CatalogView(Library(demo.folder)), CatalogView(Library(demo.folder))
    ahead.load()
    plain.load()
    other = Library(demo.folder)
    other.mark([ids(other)[LIGHTHOUSE]], listened=True)
    ahead.prepare()
    assert ahead.load() is False and plain.load() is False  # a state change: the catalog stays
    assert ahead.counts == plain.counts and ahead.counts["listened"] >= 1
    assert ahead.rows == plain.rows


def test_a_read_ahead_overtaken_by_a_new_catalog_is_not_used(demo: Library,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    view = CatalogView(demo)
    view.load()
    view.prepare()  # read ahead for the catalog as it was
    kept = dict(list(demo.listings().items())[:2])  # then the catalog changed again
    monkeypatch.setattr(demo, "listings", lambda: kept)
    assert view.load() is True
    assert view.total == 2 and sorted(view.rows) == sorted(kept)
