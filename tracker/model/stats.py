"""Listening statistics for the CLI ``stats`` and the TUI's Stats screen.

Heard time is what was credited as heard spans (reported progress, playback, sync),
never the length of an episode marked listened; episodes marked listened with less
than half heard are counted apart ("marked, not heard"). Time per day and show comes
from the day log (``daylog.py``), kept in the same transaction as every change, so the
answer never scans the history; the other counts come from the numbers each state
document carries (``progress.tally``). Dates are local.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from . import daylog
from .library import Library
from .reads import UNKNOWN_SHOW

DAYS_SHOWN = 30
WEEKS_SHOWN = 26
LISTENING_DAY_S = 1  # a day with at least this much heard is a day with listening (streaks too)


@dataclass
class Stats:
    today: str
    heard_today_s: float = 0.0
    heard_week_s: float = 0.0  # this week, from Monday
    heard_month_s: float = 0.0
    heard_all_s: float = 0.0
    days: list[dict[str, Any]] = field(default_factory=list)  # [{"date", "heard_s"}], oldest first
    weeks: list[dict[str, Any]] = field(default_factory=list)  # [{"week" (its Monday), "heard_s"}]
    per_show: list[dict[str, Any]] = field(default_factory=list)  # [{"show_id", "show", "heard_s"}]
    chapters_done: int = 0
    chapters_skipped: int = 0
    streak_current: int = 0
    streak_longest: int = 0
    listened: int = 0
    marked_not_heard: int = 0
    in_progress: int = 0
    queue_episodes: int = 0
    queue_remaining_s: float = 0.0
    queue_unknown_length: int = 0

    def to_doc(self) -> dict[str, Any]:
        return asdict(self)


def local_today() -> date:
    return datetime.now().astimezone().date()


def stats(library: Library, today: date | None = None) -> Stats:
    today = today or local_today()
    out = Stats(today=today.isoformat())
    log = daylog.days(library.store)
    by_day: dict[date, float] = {}
    by_show: dict[str, float] = {}
    for key, shows in log.items():
        try:
            day = date.fromisoformat(key)
        except ValueError:
            continue
        # A day after today: written under a zone further east (a laptop that travelled
        # west) or a clock set ahead. Nothing is heard in the future, and left there it
        # counted in "all time" but in no day, week, month or streak: it counts today.
        day = min(day, today)
        seconds = sum(float(v) for v in shows.values())
        by_day[day] = by_day.get(day, 0.0) + seconds
        for sid, v in shows.items():
            by_show[sid] = by_show.get(sid, 0.0) + float(v)
    _periods(out, by_day, today)
    # The catalog's shows only (not every listing, as ``listed_shows`` reads): at 100k
    # episodes that read was most of a cold ``tracker stats``. A show the catalog lacks (a
    # restored one) is "(unknown show)", as every list says, never its bare id.
    titles = library.shows()
    out.per_show = sorted(
        ({"show_id": sid, "show": titles[sid].get("title", "") if sid in titles else UNKNOWN_SHOW, "heard_s": round(v)}
         for sid, v in by_show.items() if v >= 1),
        key=lambda s: (-s["heard_s"], s["show"]))
    for doc in library.state_docs().values():
        status = doc.get("status")
        if status == "listened":
            out.listened += 1
            out.marked_not_heard += bool(doc.get("not_heard"))
        elif status == "in_progress":
            out.in_progress += 1
        out.chapters_done += int(doc.get("done") or 0)
        out.chapters_skipped += int(doc.get("skipped") or 0)
    _queue(out, library)
    return out


def _periods(out: Stats, by_day: dict[date, float], today: date) -> None:
    week_start = today - timedelta(days=today.weekday())
    month_start = today.replace(day=1)
    for day, seconds in by_day.items():
        out.heard_all_s += seconds
        if day == today:
            out.heard_today_s += seconds
        if week_start <= day <= today:
            out.heard_week_s += seconds
        if month_start <= day <= today:
            out.heard_month_s += seconds
    out.heard_all_s, out.heard_today_s = round(out.heard_all_s), round(out.heard_today_s)
    out.heard_week_s, out.heard_month_s = round(out.heard_week_s), round(out.heard_month_s)
    out.days = [{"date": d.isoformat(), "heard_s": round(by_day.get(d, 0.0))}
                for d in (today - timedelta(days=k) for k in range(DAYS_SHOWN - 1, -1, -1))]
    weeks = []
    for k in range(WEEKS_SHOWN - 1, -1, -1):
        monday = week_start - timedelta(weeks=k)
        seconds = sum(by_day.get(monday + timedelta(days=i), 0.0) for i in range(7))
        weeks.append({"week": monday.isoformat(), "heard_s": round(seconds)})
    out.weeks = weeks
    active = {d for d, s in by_day.items() if s >= LISTENING_DAY_S}
    out.streak_current, out.streak_longest = _streaks(active, today)


def _streaks(active: set[date], today: date) -> tuple[int, int]:
    """Days in a row with listening: the run ending today (or yesterday, if today has
    none yet), and the longest run ever."""
    day = today if today in active else today - timedelta(days=1)
    current = 0
    while day in active:
        current += 1
        day -= timedelta(days=1)
    longest = 0
    for d in active:
        if d - timedelta(days=1) in active:
            continue  # not the start of a run
        run = 1
        while d + timedelta(days=run) in active:
            run += 1
        longest = max(longest, run)
    return current, longest


def _queue(out: Stats, library: Library) -> None:
    """The queue's time left from each resume point (kept in each state document, so no
    chapters are read); episodes of unknown length apart."""
    states = library.state_docs()
    remaining = 0.0
    for entry in library.queue():
        listing = library.listing(entry.id)
        if listing is None:
            continue
        out.queue_episodes += 1
        doc = states.get(entry.id) or {}
        left = doc.get("left_s")
        if not isinstance(left, (int, float)):
            duration = listing.get("duration_s")
            left = None if duration is None else max(0.0, float(duration) - float(doc.get("position_s") or 0.0))
        if left is None:
            out.queue_unknown_length += 1
        else:
            remaining += left
    out.queue_remaining_s = round(remaining)
