"""Fixtures for playback: real mpv (``--ao=null``, fast), real media, a real HTTP server."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from tracker.model.catalog import merge_show
from tracker.model.library import Library

from .media import CHAPTERS, LENGTH_S, Served, make_mp3, need, serve

FAST = "--ao=null --speed=16"  # 40 s of audio in 2.5 s; a position report every 1.6 s of it
FASTER = "--ao=null --speed=40"  # for tests that only look at the end result

# Episode ids (the first characters choose the shard; any will do).
LOCAL = "aaaa00000001"  # the MP3 as a local file, catalog chapters from the feed
REMOTE = "bbbb00000002"  # the same over HTTP
BARE = "cccc00000003"  # the local file, no chapters in the catalog (the audio has them)
NEXT = "dddd00000004"  # a second episode, for the queue
MISSING = "eeee00000005"  # an HTTP URL that answers 404
TEXT = "ffff00000006"  # a text file served as .mp3
SILENT = "abab00000007"  # no enclosure (a show-page episode)
REFUSED = "acac00000008"  # an HTTP URL where nothing listens
CUT = "adad00000009"  # over HTTP, the connection dropped a third of the way in


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then closed: connections are refused)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def audio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need("mpv")
    return make_mp3(tmp_path_factory.mktemp("media"))


@pytest.fixture(scope="session")
def http(audio: Path) -> Iterator[Served]:
    yield from serve({"/episode.mp3": audio.read_bytes(), "/text.mp3": b"not audio at all\n" * 2000})


def chapters_doc() -> list[dict[str, Any]]:
    return [{"title": t, "start_s": a, "end_s": b} for t, a, b in CHAPTERS]


def episode_doc(title: str, audio_url: str | None, chapters: bool = True, published: str = "2024-05-07") -> dict[str, Any]:
    return {
        "show_id": "s1", "show": "Test Show", "title": title, "published": published,
        "duration_s": LENGTH_S, "audio_url": audio_url,
        "chapters": chapters_doc() if chapters else [], "chapters_source": "psc" if chapters else None,
    }


@pytest.fixture()
def library(tmp_path: Path, audio: Path, http: Served) -> Library:
    lib = Library(tmp_path / "lib")
    episodes = {
        LOCAL: episode_doc("Local episode", str(audio)),
        REMOTE: episode_doc("Remote episode", f"{http.base}/episode.mp3", published="2024-05-06"),
        BARE: episode_doc("Bare episode", str(audio), chapters=False, published="2024-05-05"),
        NEXT: episode_doc("Next episode", str(audio), published="2024-05-04"),
        MISSING: episode_doc("Missing episode", f"{http.base}/gone.mp3", published="2024-05-03"),
        TEXT: episode_doc("Text episode", f"{http.base}/text.mp3", published="2024-05-02"),
        SILENT: episode_doc("Silent episode", None, published="2024-05-01"),
        REFUSED: episode_doc("Refused episode", f"http://127.0.0.1:{closed_port()}/a.mp3", published="2024-04-30"),
        CUT: episode_doc("Cut episode", f"{http.base}/cut.mp3", published="2024-04-29"),
    }
    merge_show(lib, "s1", {"title": "Test Show"}, episodes, {k: "" for k in episodes})
    return lib


@pytest.fixture()
def fast_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("TRACKER_MPV_OPTIONS", FAST)
    return {"TRACKER_MPV_OPTIONS": FAST}
