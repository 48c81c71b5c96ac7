"""The IPC client alone, against a real mpv."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tracker.model.errors import PlayerMissing
from tracker.playback.mpv import Event, Mpv

from .media import Served


async def wait_for(events: list[Event], pred, timeout: float = 10.0) -> Event:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    seen = 0
    while True:
        for ev in events[seen:]:
            if pred(ev):
                return ev
        seen = len(events)
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"no such event within {timeout} s; saw {events[-5:]}")
        await asyncio.sleep(0.01)


async def test_named_loadfile_starts_at_the_given_time_and_reports_positions(audio: Path) -> None:
    events: list[Event] = []
    closed = asyncio.Event()
    mpv = Mpv(events.append, closed.set)
    await mpv.start(["--ao=null", "--speed=16"])
    try:
        await mpv.observe("time-pos")
        await mpv.loadfile(str(audio), {"start": "30", "pause": "no"})
        first = await wait_for(events, lambda e: e.get("name") == "time-pos" and e.get("data") is not None)
        assert 29.5 <= first["data"] <= 31
        chapters = await mpv.command("get_property", "chapter-list")
        assert [c["title"] for c in chapters] == ["Opening", "Middle part", "Closing"]
        await wait_for(events, lambda e: e.get("event") == "end-file" and e.get("reason") == "eof")
    finally:
        await mpv.quit()
    assert closed.is_set() and mpv.process is not None and mpv.process.returncode is not None


async def test_a_404_is_an_end_file_error_and_mpv_stays(http: Served) -> None:
    events: list[Event] = []
    mpv = Mpv(events.append, lambda: None)
    await mpv.start(["--ao=null"])
    try:
        await mpv.loadfile(f"{http.base}/nothing.mp3", {})
        ev = await wait_for(events, lambda e: e.get("event") == "end-file")
        assert ev["reason"] == "error"
        assert await mpv.command("get_property", "idle-active") is True
    finally:
        await mpv.quit()


async def test_mpv_killed_closes_the_connection(audio: Path) -> None:
    closed = asyncio.Event()
    mpv = Mpv(lambda e: None, closed.set)
    await mpv.start(["--ao=null"])
    assert mpv.process is not None
    mpv.process.kill()
    await asyncio.wait_for(closed.wait(), 10)
    with pytest.raises(Exception, match="not running"):
        await mpv.command("get_property", "pause")
    await mpv.quit()


async def test_without_mpv_on_path_one_line_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PlayerMissing, match="install it"):
        await Mpv(lambda e: None, lambda: None).start([])
