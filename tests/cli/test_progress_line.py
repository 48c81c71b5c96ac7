"""The live progress line of import and refresh stays on one terminal row."""

from __future__ import annotations

import io

import pytest

from tracker.cli.columns import width
from tracker.cli.progress import LiveLine
from tracker.importers.service import Outcome, Progress


@pytest.mark.parametrize("show", ["Long Ago: 歴史のポッドキャスト", "歴史" * 60, "Plain Show"])
def test_a_line_with_wide_characters_fits_the_terminal_row(show: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The line was padded and cut by characters: a CJK show name made it wider than the
    terminal, it wrapped, and every later step was drawn on a new row under stale ones."""
    monkeypatch.setenv("COLUMNS", "80")
    out = io.StringIO()
    line = LiveLine(out)
    line(Progress(1, 2, "https://example.com/feed.xml", Outcome("https://example.com/feed.xml", True, "rss", show)))
    drawn = out.getvalue().split("\r")[-1]
    assert width(drawn) == 79 and drawn.strip()


def test_the_play_status_line_with_wide_characters_fits_the_terminal_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """`tracker play`'s status line was cut by characters: a CJK title wrapped it and each
    second's redraw left another row behind."""
    from tracker.cli.play import Lines
    from tracker.playback.session import NowPlaying

    monkeypatch.setenv("COLUMNS", "80")
    out = io.StringIO()
    now = NowPlaying("e1", "歴史" * 30, "Long Ago: 歴史のポッドキャスト", 1, 3, "ローマの滅亡", 65.0, 3600.0, 0.1, 1.0,
                     "playing")
    Lines(out, io.StringIO(), live=True).status(now)
    drawn = out.getvalue().split("\x1b[2K")[-1]
    assert 60 < width(drawn) <= 79
