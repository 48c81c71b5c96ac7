"""Where the audio comes from, and mpv's command line: each refusal one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tracker.model.errors import AudioUnplayable, NoAudio, UsageError
from tracker.model.records import Episode
from tracker.playback.options import check_speed, mpv_args, step_speed
from tracker.playback.source import audio_source


def ep(url: str | None) -> Episode:
    return Episode(id="x", show_id="s", show="S", title="T", published=None, duration_s=60, audio_url=url)


def test_http_urls_and_local_files_are_played(tmp_path: Path) -> None:
    f = tmp_path / "a.mp3"
    f.write_bytes(b"x")
    assert audio_source(ep("https://example.com/a.mp3")) == "https://example.com/a.mp3"
    assert audio_source(ep(str(f))) == str(f)
    assert audio_source(ep(f.as_uri())) == str(f)


def test_a_relative_enclosure_is_found_beside_its_feed(tmp_path: Path) -> None:
    (tmp_path / "audio").mkdir()
    (tmp_path / "audio" / "a.mp3").write_bytes(b"x")
    feed = tmp_path / "feed.xml"
    assert audio_source(ep("audio/a.mp3"), str(feed)) == str(tmp_path / "audio" / "a.mp3")
    assert audio_source(ep("a.mp3"), "https://example.com/feeds/x.xml") == "https://example.com/feeds/a.mp3"


@pytest.mark.parametrize("url, error, words", [
    (None, NoAudio, "has no audio"),
    ("  ", NoAudio, "has no audio"),
    ("ftp://example.com/a.mp3", AudioUnplayable, "ftp: links"),
    ("lavfi://sine", AudioUnplayable, "lavfi: links"),
    ("/no/such/file.mp3", AudioUnplayable, "missing (file.mp3)"),
])
def test_what_cannot_be_played_says_why(url: str | None, error: type[Exception], words: str) -> None:
    with pytest.raises(error) as info:
        audio_source(ep(url))
    assert words in str(info.value) and "\n" not in str(info.value)


def test_mpv_options_are_split_like_a_shell_and_come_after_the_fixed_ones() -> None:
    args = mpv_args({"TRACKER_MPV_OPTIONS": "--ao=null --audio-device='pulse/my sink'"})
    assert args[-2:] == ["--ao=null", "--audio-device=pulse/my sink"]
    assert "--ytdl=no" in args
    with pytest.raises(UsageError, match="TRACKER_MPV_OPTIONS"):
        mpv_args({"TRACKER_MPV_OPTIONS": "--title='unclosed"})


def test_speed_stays_between_half_and_three() -> None:
    assert check_speed(1.5) == 1.5
    for bad in (0.25, 3.5, float("nan")):
        with pytest.raises(UsageError):
            check_speed(bad)
    assert step_speed(1.0, up=True) == 1.25
    assert step_speed(3.0, up=True) == 3.0
    assert step_speed(0.5, up=False) == 0.5
    assert step_speed(16.0, up=False) == 3.0


def test_a_speed_off_the_steps_goes_to_the_next_step_either_way() -> None:
    """``--speed 1.1`` then ``[`` went to 0.75x, past 1x; 1.4 then ``]`` to 1.75x, past 1.5x."""
    assert step_speed(1.1, up=False) == 1.0 and step_speed(1.1, up=True) == 1.25
    assert step_speed(1.4, up=True) == 1.5 and step_speed(1.4, up=False) == 1.25
    assert step_speed(1.25, up=False) == 1.0 and step_speed(1.25, up=True) == 1.5


def test_a_show_page_episode_is_not_said_to_come_from_a_feed(tmp_path: Path) -> None:
    from tests.cli.support import one_line_error
    from tests.helpers import SHOW_PAGE, run_cli

    lib = tmp_path / "lib"
    assert run_cli(lib, "import", str(SHOW_PAGE)).returncode == 0
    eid = json.loads(run_cli(lib, "episodes", "--json").stdout)[0]["id"]
    said = one_line_error(run_cli(lib, "play", eid), 1)
    assert "show page" in said and "feed gives" not in said
