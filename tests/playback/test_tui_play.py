"""Playing from the TUI under ``run_test``: p, the now-playing bar, pause, next chapter,
skip, stop, and the chapter pane's p and enter."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Callable

import pytest

from tracker.model.library import Library
from tracker.playback.session import NowPlaying
from tracker.tui.run import make_app
from tracker.tui.widgets.chapter_list import ChapterList
from tracker.tui.widgets.now_playing import NowPlayingBar

from .conftest import LOCAL
from .listen import chapters

SIZE = (140, 36)


@pytest.fixture(autouse=True)
def moderate_speed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # 4x: a key press under the pilot takes ~0.1 s, so chapters of 10 s last 2.5 s here
    monkeypatch.setenv("TRACKER_MPV_OPTIONS", "--ao=null --speed=4")
    monkeypatch.setenv("TRACKER_CONFIG", str(tmp_path / "config"))  # no user keymap
    from tracker.tui.screens.library import LibraryScreen

    monkeypatch.setattr(LibraryScreen, "DETAIL_DELAY_S", 0)


async def until(pilot: Any, condition: Callable[[], bool], deadline_s: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + deadline_s
    while not condition():
        assert loop.time() < end, "not within the deadline"
        await pilot.pause(0.02)


async def shown(app: Any, what: Callable[[NowPlaying], bool], about: str, timeout: float = 10.0) -> NowPlaying:
    """Wait (with a deadline) until the bar on the current screen shows what is wanted."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        bar = app.screen.query_one(NowPlayingBar)
        if bar.now is not None and what(bar.now):
            return bar.now
        if loop.time() > deadline:
            raise AssertionError(f"the bar never showed {about}: it says {bar.text!r}")
        await asyncio.sleep(0.02)


async def test_p_plays_and_the_bar_follows_pause_next_chapter_skip_and_stop(library: Library) -> None:
    app = make_app(library.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")  # the newest episode: "Local episode"
        now = await shown(app, lambda n: n.state == "playing", "playing")
        bar = app.screen.query_one(NowPlayingBar)
        assert bar.display and now.eid == LOCAL
        assert "Local episode" in bar.text and "ch 1/3 “Opening”" in bar.text and " / 0:40" in bar.text
        await shown(app, lambda n: n.position_s >= 1.0, "a second played")
        await pilot.press("P")
        await shown(app, lambda n: n.state == "paused", "paused")
        assert "paused" in bar.text
        await pilot.press("greater_than_sign")
        await shown(app, lambda n: n.chapter == 2, "chapter 2")
        await pilot.press("P")
        await shown(app, lambda n: n.state == "playing" and n.chapter == 2, "playing chapter 2")
        await pilot.press("X")  # skip chapter 2: marked, and playback jumps to chapter 3
        await shown(app, lambda n: n.chapter == 3 and n.state == "playing", "chapter 3 after the skip")
        await shown(app, lambda n: n.position_s >= 21.0, "a second of chapter 3")
        await pilot.press("v")
        await shown(app, lambda n: n.state == "stopped", "stopped")
        assert not bar.display
        await app.player.close()
    got = chapters(Library(library.folder), LOCAL)
    assert got[0]["heard_s"] > 0 and got[0]["state"] != "skipped"
    assert got[1]["state"] == "skipped"
    assert got[2]["heard_s"] > 0


async def test_in_the_chapter_pane_enter_plays_from_the_highlighted_chapter(library: Library) -> None:
    app = make_app(library.folder)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()  # the detail pane, with its chapters, is up
        await pilot.pause()
        await pilot.press("enter")
        pane = app.screen.query_one(ChapterList)
        await until(pilot, lambda: pane.has_focus and pane.count == 3)
        await pilot.press("down", "down", "enter")
        now = await shown(app, lambda n: n.state == "playing", "playing")
        assert now.chapter == 3 and 20.0 <= now.position_s < 22.0
        await shown(app, lambda n: n.position_s >= 21.0, "a second of chapter 3")
        await pilot.press("q")  # quitting stops and saves
    assert chapters(Library(library.folder), LOCAL)[2]["heard_s"] > 0


async def test_the_playing_keys_are_in_help_always_and_in_the_palette_while_playing(library: Library) -> None:
    from tracker.tui.keys import help_text

    app = make_app(library.folder)
    async with app.run_test(size=SIZE) as pilot:
        text = help_text({})
        for words in ("Pause or resume playback", "Jump to the next chapter", "Mark the playing chapter skipped",
                      "Play faster", "Seek back 10 seconds"):
            assert words in text
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert "Play" in titles and "Pause" not in titles  # nothing plays yet
        await pilot.press("p")
        await shown(app, lambda n: n.state == "playing", "playing")
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Pause", "Stop", "Next chapter", "Prev chapter", "Skip chapter", "Faster", "Slower"} <= titles
        await app.player.close()


async def test_the_bar_and_the_playing_keys_stay_on_every_screen(library: Library) -> None:
    app = make_app(library.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await shown(app, lambda n: n.state == "playing", "playing")
        for screen_key, mode in (("2", "shows"), ("3", "stats"), ("4", "history")):
            await pilot.press(screen_key)
            await until(pilot, lambda: app.current_mode == mode and bool(app.screen.query(NowPlayingBar)))
            now = await shown(app, lambda n: n.state == "playing", f"the episode on the {mode} screen")
            bar = app.screen.query_one(NowPlayingBar)
            assert bar.display and now.eid == LOCAL and "Local episode" in bar.text
        await pilot.press("P")  # on History: the app's key, not the screen's
        await shown(app, lambda n: n.state == "paused", "paused on the History screen")
        await pilot.press("v")
        await shown(app, lambda n: n.state == "stopped", "stopped on the History screen")
        assert not app.screen.query_one(NowPlayingBar).display
        await app.player.close()
    assert Library(library.folder).state(LOCAL).position_s > 0


async def test_the_bar_spells_out_control_characters_an_old_library_holds(library: Library, audio: Path) -> None:
    """Every other pane spells them out; the bar sent a raw title to the terminal."""
    from tracker.model.catalog import merge_show

    from .conftest import episode_doc

    doc = episode_doc("Raw \x1b]0;pwned\x07 title", str(audio), published="2030-01-01")  # the newest: first row
    doc["chapters"][0]["title"] = "Raw \x1b[2J chapter"
    merge_show(library, "s1", {"title": "Test Show"}, {"abcf00000011": doc}, {"abcf00000011": ""})
    app = make_app(library.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await shown(app, lambda n: n.state == "playing" and n.eid == "abcf00000011", "playing")
        text = app.screen.query_one(NowPlayingBar).text
        await app.player.close()
    assert "\x1b" not in text
    assert "Raw \\x1b]0;pwned\\x07 title" in text and "Raw \\x1b[2J chapter" in text


async def test_enter_in_the_chapter_pane_plays_the_chapter_shown_after_a_refresh_renumbered_them(
        library: Library) -> None:
    # A refresh elsewhere split chapter 1 before the screen caught up: enter on "Middle
    # part" (row 2) played the new chapter 2, from 0:05, a chapter the user never chose.
    from tracker.model.catalog import merge_show

    from .conftest import episode_doc

    app = make_app(library.folder, watch_interval=3600)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        pane = app.screen.query_one(ChapterList)
        await until(pilot, lambda: pane.has_focus and pane.count == 3)
        doc = episode_doc("Local episode", library.episode(LOCAL).audio_url)
        doc["chapters"][0:1] = [{"title": "Opening", "start_s": 0, "end_s": 5},
                                {"title": "A new ad break", "start_s": 5, "end_s": 10}]
        merge_show(Library(library.folder), "s1", {"title": "Test Show"}, {LOCAL: doc}, {LOCAL: ""})
        await pilot.press("down", "enter")
        now = await shown(app, lambda n: n.state == "playing", "playing")
        await pilot.press("q")
    assert now.chapter == 3 and 10.0 <= now.position_s < 12.0


async def test_a_long_chapter_title_leaves_the_position_and_speed_on_the_bar(library: Library, audio: Path) -> None:
    """Feeds put whole sentences in chapter titles: the one-line bar wrapped, and its second
    line, the position, duration and speed, was cut off."""
    from tracker.model.catalog import merge_show
    from rich.cells import cell_len

    from .conftest import episode_doc

    doc = episode_doc("Long chapter titles", str(audio), published="2024-06-01")
    doc["chapters"] = [{**c, "title": f"Part {i} " + "of a very long chapter title " * 8}
                       for i, c in enumerate(doc["chapters"], 1)]
    merge_show(library, "s1", {"title": "Test Show"}, {"abf000000014": doc}, {"abf000000014": ""})
    app = make_app(library.folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("p")
        now = await shown(app, lambda n: n.state == "playing", "playing")
        assert now.eid == "abf000000014"
        bar = app.screen.query_one(NowPlayingBar)
        assert "Part 1 of a very" in bar.text and " / 0:40" in bar.text and "4x" in bar.text
        assert cell_len(bar.text) <= bar.content_size.width
        await pilot.resize_terminal(70, 30)
        await pilot.pause()
        assert cell_len(bar.text) <= bar.content_size.width and " / 0:40" in bar.text
        await app.player.close()
