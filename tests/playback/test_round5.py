"""Round 5 regressions of playback, against a real mpv."""

from __future__ import annotations

from tracker.model.library import Library
from tracker.playback.player import Player

from .conftest import LOCAL
from .listen import Heard


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
