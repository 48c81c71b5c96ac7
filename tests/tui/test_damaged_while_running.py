"""Another process leaves a library file damaged (no backup) while the TUI is open:
every screen and key keeps the app running with one notice, ``q`` ends it with status
0, and once the file is good again the next reload shows the library as it is."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tracker.model.library import Library
from tracker.tui.run import make_app
from tracker.tui.screens.history import HistoryScreen
from tracker.tui.screens.library import LibraryScreen
from tracker.tui.screens.shows import ShowsScreen
from tracker.tui.screens.stats import StatsScreen
from tracker.tui.widgets.episode_list import EpisodeList
from tracker.tui.widgets.show_list import ShowList
from tracker.tui.widgets.status_line import StatusLine

from .conftest import ids, plain, screen_text, settle, toasts, until

SIZE = (160, 24)
TROUBLE = "could not read the library"
BREAD = "The Secret Life of Bread Starters"
LIGHTHOUSE = "How a Lighthouse Keeps Time"


def without_backups(folder: Path) -> None:
    for backup in (folder / "backups").glob("*"):
        backup.unlink()


def said(app: object, text: str) -> int:
    return sum(text in t for t in toasts(app))


async def test_a_file_damaged_while_open_is_one_notice_every_screen_goes_on_and_it_recovers(demo: Library) -> None:
    demo.mark([ids(demo)[LIGHTHOUSE]], listened=True)
    good = (demo.folder / "state.json").read_bytes()
    app = make_app(demo.folder, watch_interval=0.05)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        without_backups(demo.folder)
        (demo.folder / "state.json").write_text("{broken")  # another process
        assert await until(pilot, lambda: said(app, TROUBLE) > 0)
        for key, kind in (("3", StatsScreen), ("2", ShowsScreen), ("4", HistoryScreen), ("1", LibraryScreen)):
            await pilot.press(key)
            await settle(pilot)
            assert app.is_running and isinstance(app.screen, kind), key
            if key == "3":
                assert "No numbers: the library could not be read" in screen_text(app)
        for key in ("j", "j", "k", "enter", "escape", "tab", "/", "b", "escape"):
            await pilot.press(key)
            await settle(pilot)
            assert app.is_running, key
        await pilot.pause(0.2)  # a few more polls meet the same damage
        assert said(app, TROUBLE) == 1 and "state.json is damaged" in " ".join(toasts(app))

        (demo.folder / "state.json").write_bytes(good)  # the other process repairs it...
        Library(demo.folder).mark([ids(demo)[BREAD]], listened=True)  # ...and marks one
        assert await until(pilot, lambda: said(app, "the library reads again") == 1)
        await settle(pilot)
        assert "This episode could not be read" not in screen_text(app)
        await pilot.press("2")
        await settle(pilot)
        assert sum(show.listened for show in app.screen.query_one(ShowList).shows) == 2
        await pilot.press("3")
        assert await until(pilot, lambda: "episodes 2 listened" in screen_text(app))
        await pilot.press("1", "q")
    assert app.return_code == 0 and app.failure is None


async def test_a_damaged_episode_file_is_a_notice_and_q_ends_with_status_0(demo: Library) -> None:
    for path in demo.folder.glob("details-*.json"):
        path.write_text("{garbage")
    without_backups(demo.folder)
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)  # the detail pane reads the damaged file
        assert await until(pilot, lambda: said(app, TROUBLE) == 1)
        assert "This episode could not be read: details-" in screen_text(app)
        await pilot.press("j", "j", "k")
        await settle(pilot)
        assert said(app, TROUBLE) == 1 and app.query_one(EpisodeList).count == 6
        await pilot.press("q")
    assert app.return_code == 0 and app.failure is None


async def test_a_file_damaged_while_open_and_restored_from_its_backup_says_what_was_lost(demo: Library) -> None:
    """The store restores the backup on the watch's read (in its thread): the user hears it,
    as at start-up, instead of seeing a listened episode turn new without a word."""
    demo.mark([ids(demo)[BREAD]], listened=True)
    demo.mark([ids(demo)[LIGHTHOUSE]], listened=True)  # the day's backup (one listened) is taken before this
    app = make_app(demo.folder, watch_interval=0.05)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert "2 listened" in app.main.view.summary()
        (demo.folder / "state.json").write_text("{broken")  # another process
        assert await until(pilot, lambda: said(app, "restored the backup") == 1)
        assert "changes made after that backup are lost" in " ".join(toasts(app))
        assert await until(pilot, lambda: "1 listened" in app.main.view.summary())
        await pilot.pause(0.2)  # later polls do not say it again
        assert said(app, "restored the backup") == 1 and said(app, TROUBLE) == 0
        await pilot.press("q")
    assert app.return_code == 0 and app.failure is None


async def test_a_damaged_description_file_leaves_the_filter_on_titles_and_says_so(demo: Library) -> None:
    """The descriptions' index (a thread) meets a damaged notes file: one notice, and the
    status line stops saying the descriptions are loading (they never would)."""
    for path in demo.folder.glob("notes-*.json"):
        path.write_text("{garbage")
    without_backups(demo.folder)
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("slash", *"time")
        status = app.query_one(StatusLine)
        assert await until(pilot, lambda: "descriptions could not be read" in plain(status))
        assert "descriptions loading" not in plain(status) and "2 of 6 episodes" in plain(status)
        assert said(app, TROUBLE) == 1 and "notes-" in " ".join(toasts(app))
        await pilot.press("escape", "q")
    assert app.return_code == 0 and app.failure is None


async def test_a_file_edited_by_hand_into_a_wrong_shape_ends_the_app_with_one_line(demo: Library) -> None:
    """A library file edited by hand that still parses but holds a field of the wrong
    kind (a title that is a number) ended the TUI in Textual's traceback, where the CLI
    names the file, the document and the field in one line. The TUI says that line."""

    app = make_app(demo.folder, watch_interval=0.05)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        listing = next(p for p in sorted(demo.folder.glob("episodes-*.json"))
                       if json.loads(p.read_text())["episodes"])
        doc = json.loads(listing.read_text())
        eid = next(iter(doc["episodes"]))
        doc["episodes"][eid]["title"] = 12345  # another process, or a text editor
        listing.write_text(json.dumps(doc))
        for _ in range(400):  # (the app's own loop reloads and draws: the pilot does not draw here)
            if app.return_code is not None:
                break
            await asyncio.sleep(0.05)
    assert app.return_code == 1
    assert f"{listing.name}: episodes “{eid}” has a title that is a number" in str(app.failure)
