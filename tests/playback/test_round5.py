"""Round 5 regressions of playback, against a real mpv."""

from __future__ import annotations

from tracker.model.catalog import merge_show
from tracker.model.library import Library
from tracker.playback.player import Player

from .conftest import FAST, LOCAL, episode_doc
from .listen import Heard, chapters
from .media import Served

HELD = "abe000000013"  # its audio over HTTP, answered once the test lets it


async def test_speed_keys_at_the_ends_of_the_range_say_so(library: Library) -> None:
    """']' at 3x and '[' at 0.5x did nothing visible."""
    h = Heard()
    p = Player(library.folder, h, advance=False, environ={"TRACKER_MPV_OPTIONS": "--ao=null"})
    try:
        await p.play(LOCAL, chapter=3, speed=3.0)
        await h.until(lambda: h.statuses and h.now.state == "playing" and h.now.speed == 3.0, about="3x")
        p.change_speed(up=True)
        await h.until(lambda: any("already at 3x" in t for t, _ in h.messages), about="said at 3x")
        await p.play(LOCAL, chapter=3, speed=0.5)
        await h.until(lambda: h.now.state == "playing" and h.now.speed == 0.5, about="0.5x")
        p.change_speed(up=False)
        await h.until(lambda: any("already at 0.5x" in t for t, _ in h.messages), about="said at 0.5x")
        assert h.now.speed == 0.5
        p.stop()
        await p.wait()
    finally:
        await p.close()
    assert library.show_speed("s1") == 0.5


async def test_a_skip_taken_back_while_playing_is_played_again_when_reached(library: Library) -> None:
    """X on chapter 2, then the mark taken back (undo, or cleared in the chapters pane) while
    the episode still played: the session jumped over chapter 2 all the same, uncredited,
    until the episode was played again."""
    h = Heard()
    p = Player(library.folder, h, advance=False, environ={"TRACKER_MPV_OPTIONS": FAST})
    try:
        skip = h.at(12.0, p.skip_chapter)
        await p.play(LOCAL)
        await h.reached(skip)
        await h.reached(h.when(lambda now: now.chapter == 3 and now.state == "playing", p.toggle_pause))
        await h.until(lambda: h.now.state == "paused" and chapters(library, LOCAL)[1]["state"] == "skipped",
                      about="paused, chapter 2 marked skipped")
        library.mark_chapter(LOCAL, 2, None)  # what the undo does to the mark
        writes = p.saver.writes
        p.seek_by(-14)  # back into chapter 1, saved: played on from there into chapter 2
        await h.until(lambda: p.saver.writes > writes and h.now.position_s < 10, about="sought back, saved")
        stop = h.at(15.0, p.stop)
        resumed_at = len(h.statuses)
        p.toggle_pause()
        await h.reached(stop)
        await p.wait()
    finally:
        await p.close()
    assert any(s.chapter == 2 and s.position_s >= 13 for s in h.statuses[resumed_at:])  # played, not jumped at its start
    got = chapters(library, LOCAL)
    assert got[1]["state"] != "skipped" and got[1]["heard_s"] >= 2


async def test_a_seek_pressed_while_the_file_loads_is_not_lost(library: Library, http: Served) -> None:
    """mpv drops a seek taken before the file is loaded (it starts where the load asked):
    the audio played on from the start, and the player, waiting up to 3 s for a landing that
    never came, credited none of that play (at 1x, 3 s; here at 16x, all of chapter 1)."""
    url, gate = http.held("seek-while-loading")
    doc = {**episode_doc("Slow start", url), "show_id": "s2", "show": "Other Show"}
    merge_show(library, "s2", {"title": "Other Show"}, {HELD: doc}, {HELD: ""})
    h = Heard()
    p = Player(library.folder, h, advance=False, environ={"TRACKER_MPV_OPTIONS": FAST})
    played: list[float] = []  # every position mpv reports
    hear = p._on_event
    p._on_event = lambda ev: (played.append(ev["data"]) if ev.get("name") == "time-pos" and ev.get("data") else None,  # type: ignore[method-assign]
                              hear(ev))
    try:
        stop = h.at(16.0, p.stop)
        await p.play(HELD)
        p.seek_by(12)
        assert p.mpv is not None and p.session is not None
        await p.mpv.command("get_property", "pause")  # mpv has taken the seek: the file is still to open
        assert p.session.state == "loading"
        gate.set()
        await h.reached(stop)
        await p.wait()
    finally:
        await p.close()
    assert not [t for t in played if 1 < t < 11.5]  # chapter 1 never played: the seek landed
    one, two, _ = (c["heard_s"] for c in chapters(library, HELD))
    assert one == 0 and two >= 2


async def test_pause_pressed_while_the_file_loads_shows_at_once(library: Library, http: Served) -> None:
    """P (or p) while a slow stream was loading was kept for later but showed nothing: the
    bar still said "loading", and a second press, to make it take, took it back."""
    url, gate = http.held("pause-while-loading")
    doc = {**episode_doc("Slow start", url), "show_id": "s2", "show": "Other Show"}
    merge_show(library, "s2", {"title": "Other Show"}, {HELD: doc}, {HELD: ""})
    h = Heard()
    p = Player(library.folder, h, advance=False, environ={"TRACKER_MPV_OPTIONS": FAST})
    try:
        await p.play(HELD)
        p.toggle_pause()
        assert h.now.state == "paused"
        p.toggle_pause()
        assert h.now.state == "loading"
        p.toggle_pause()
        gate.set()
        await h.until(lambda: p.session is not None and p.session.state == "paused" and p.session.opened,
                      about="paused once loaded")
        assert h.now.state == "paused"
        p.stop()
        await p.wait()
    finally:
        await p.close()
