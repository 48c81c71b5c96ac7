"""A chapter as read from a source, and the clean-up every source shares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ChapterIn:
    title: str
    start_s: float
    end_s: float | None = None


def finish(chapters: list[ChapterIn], duration_s: float | None) -> list[dict[str, Any]]:
    """Sort by start, drop duplicates and starts past the end, close each chapter at the
    next one's start and the last at the episode's end (where the duration is known)."""
    ordered = sorted(chapters, key=lambda c: c.start_s)
    kept: list[ChapterIn] = []
    for ch in ordered:
        if ch.start_s < 0:
            continue
        if duration_s is not None and ch.start_s >= duration_s:
            continue
        if kept and ch.start_s == kept[-1].start_s:
            continue
        kept.append(ch)
    out = []
    for i, ch in enumerate(kept):
        if i + 1 < len(kept):
            end: float | None = kept[i + 1].start_s
        elif ch.end_s is not None and ch.end_s > ch.start_s:
            end = ch.end_s if duration_s is None else min(ch.end_s, duration_s)
        else:
            end = float(duration_s) if duration_s is not None else None
        title = " ".join(ch.title.split()) or f"Chapter {i + 1}"
        out.append({"title": title, "start_s": _num(ch.start_s), "end_s": None if end is None else _num(end)})
    return out


def _num(x: float) -> float | int:
    """Whole seconds as ints keep the JSON tidy; fractions are kept."""
    return int(x) if float(x).is_integer() else round(float(x), 3)
