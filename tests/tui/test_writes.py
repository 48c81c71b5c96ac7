"""Writes run off the event loop, in order: another process holding the library lock
never freezes input or repaint, the screen says it is waiting, and every change lands
once the lock is free."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tracker.model.library import Library
from tracker.tui.run import make_app
from tracker.tui.widgets.chrome import WaitingLine
from tracker.tui.widgets.episode_list import EpisodeList

from .conftest import ids, plain, row, settle, until

HOLD_S = 5.0
HOLDER = """
import sys, time
import pytest

from tracker.model.library import Library
library = Library(sys.argv[1])
with library.store.transaction("state", "history"):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def hold_lock(folder: Path, seconds: float) -> subprocess.Popen[str]:
    """Another tracker process in the middle of a long write."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder), str(seconds)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


async def test_keys_while_another_process_holds_the_lock_are_handled_and_land(demo: Library) -> None:
    t = ids(demo)
    app = make_app(demo.folder)
    async with app.run_test(size=(160, 24)) as pilot:
        await settle(pilot)
        episodes = app.query_one(EpisodeList)
        holder = hold_lock(demo.folder, HOLD_S)
        try:
            started = time.monotonic()
            await pilot.press("space", "down", "a", "down", "n")  # three writes, two moves
            assert episodes.cursor == 2  # input was handled at once
            assert await until(pilot, lambda: app.query_one(WaitingLine).display, deadline_s=HOLD_S)
            assert time.monotonic() - started < HOLD_S  # the screen said so while the lock was held
            assert "waiting for the library" in plain(app.query_one(WaitingLine))
            assert holder.poll() is None  # ...and the other process still held it
            await pilot.press("up")  # still live
            assert episodes.cursor == 1
        finally:
            holder.wait(timeout=HOLD_S + 10)
        await settle(pilot)  # the writes land once the lock is free, in the order asked
        assert demo.state(t["How a Lighthouse Keeps Time"]).status == "listened"
        assert [e.id for e in demo.queue()] == [t["Why Trains Run on Time (Mostly)"],
                                                t["The Secret Life of Bread Starters"]]
        assert not app.query_one(WaitingLine).display
        assert row(episodes, 0).startswith("●")


async def test_nudges_pressed_while_another_process_holds_the_lock_each_count(demo: Library) -> None:
    # '+' three times while another tracker wrote: each read the position still on disk
    # and asked for 0:30, so the three landed as one 30 s move instead of 90 s
    eid = ids(demo)["Paper Maps in a Phone World"]
    app = make_app(demo.folder)
    async with app.run_test(size=(160, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down")
        holder = hold_lock(demo.folder, 0.6)
        try:
            await pilot.press("plus", "plus", "plus", "minus")
        finally:
            holder.wait(timeout=20)
        await settle(pilot)
        assert demo.state(eid).position_s == 80


async def test_space_twice_while_another_process_holds_the_lock_toggles_back(demo: Library) -> None:
    # both presses read the row as it was (new) and asked for "listened": the second
    # toggle did nothing, and the episode ended listened
    eid = ids(demo)["Paper Maps in a Phone World"]
    app = make_app(demo.folder)
    async with app.run_test(size=(160, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down")
        holder = hold_lock(demo.folder, 0.6)
        try:
            await pilot.press("space", "space", "space")
        finally:
            holder.wait(timeout=20)
        await settle(pilot)
        assert demo.state(eid).status == "listened"
        assert [a.kind for a in demo.history(5)] == ["mark_listened", "unmark_listened", "mark_listened"]


async def test_changes_that_cannot_land_before_quitting_are_said_not_lost_in_silence(
        demo: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    """q with changes still waiting for another tracker's lock: the app waited the lock's
    timeout, the changes failed ("library is busy") with no screen left to say so, and the
    TUI ended with status 0 as if they had been saved."""
    monkeypatch.setenv("TRACKER_LOCK_TIMEOUT", "0.3")
    eid = ids(demo)["How a Lighthouse Keeps Time"]
    app = make_app(demo.folder)
    holder = hold_lock(demo.folder, 60)  # (held until the app is gone, however slow the machine)
    try:
        async with app.run_test(size=(160, 24)) as pilot:
            await pilot.pause()
            await pilot.press("space", "q")
    finally:
        holder.kill()  # (its transaction changed nothing: killed, it commits nothing and its lock goes)
        holder.wait(timeout=20)
    assert demo.state(eid).status == "new"
    assert app.failure is not None
    assert "1 change was not saved" in str(app.failure) and "library is busy" in str(app.failure)
