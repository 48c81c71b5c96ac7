"""Regression tests for two defects: a cache compared by identity, and a repeated gc.freeze()."""

from __future__ import annotations

import gc
import weakref

from tracker.model.library import Library
from tracker.tui.screens.help import HelpScreen
from tracker.tui.run import make_app

from .conftest import ids, settle


async def test_closed_screens_are_collected_and_nothing_more_is_frozen(demo: Library) -> None:
    app = make_app(demo.folder)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        frozen = gc.get_freeze_count()
        screens: list[weakref.ref[HelpScreen]] = []
        for _ in range(4):
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            screens.append(weakref.ref(app.screen))
            await pilot.press("escape")
        for _ in range(2):  # changes re-index the descriptions
            await pilot.press("space")
            await settle(pilot)
        gc.collect()
        assert sum(ref() is not None for ref in screens) <= 1  # Textual may keep the last one
        assert gc.get_freeze_count() <= frozen  # frozen objects may be freed, never added


def test_a_state_change_keeps_the_catalog_listings(demo: Library) -> None:
    """With shard files missing (a small library), a mark must not look like a catalog change."""
    listings = demo.listings()
    eid = next(iter(ids(demo).values()))
    demo.mark([eid], listened=True)
    assert demo.listings() is listings
