"""The now-playing line in plain words, shared by the CLI's status line and the TUI's bar."""

from __future__ import annotations

from ..model.clock import format_clock
from .session import NowPlaying

STATE_WORDS = {"loading": "loading", "playing": "playing", "paused": "paused", "stalled": "stalled",
               "ended": "finished", "stopped": "stopped"}
STATE_SIGNS = {"loading": "…", "playing": "▶", "paused": "⏸", "stalled": "⚠", "ended": "■", "stopped": "■"}


def clock(seconds: float | None) -> str:
    return "--:--" if seconds is None else format_clock(seconds)


def chapter_part(now: NowPlaying) -> str:
    """``ch 2/5 “Title” 40% heard``, or empty without chapters."""
    if not now.chapters or now.chapter is None:
        return ""
    return f"ch {now.chapter}/{now.chapters} “{now.chapter_title}” {round(now.chapter_share * 100)}% heard"


def position_part(now: NowPlaying) -> str:
    return f"{clock(now.position_s)} / {clock(now.duration_s)}"


def speed_part(now: NowPlaying) -> str:
    return f"{now.speed:g}x"


def status_line(now: NowPlaying) -> str:
    """One line: sign, title, chapter, position, speed and state (the title is outside text:
    the caller makes it terminal-safe)."""
    parts = [f"{STATE_SIGNS[now.state]} {now.title}", chapter_part(now), position_part(now), speed_part(now)]
    if now.state not in ("playing",):
        parts.append(STATE_WORDS[now.state])
    return " · ".join(p for p in parts if p)
