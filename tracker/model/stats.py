"""Listening statistics: counts and time this week, this month and in all, per show;
the queue's remaining time; days in a row with listening."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from . import progress as prog
from .library import Library
from .records import EpisodeState

LISTENING_KINDS = {"progress", "mark_listened", "chapter_done", "import_gpodder"}


def stats(library: Library, today: date | None = None) -> dict[str, Any]:
    today = today or datetime.now(timezone.utc).date()
    week_start = today - timedelta(days=today.weekday())
    month_start = today.replace(day=1)
    listings = library.listings()  # durations and shows: no need to read every details file
    periods = {"week": _zero(), "month": _zero(), "all": _zero()}
    per_show: dict[str, dict[str, Any]] = {}
    active_days: set[date] = set()
    for eid, doc in library.state_docs().items():
        st = EpisodeState.from_doc(doc)
        listing = listings.get(eid)
        if listing is None or st.status != "listened":
            continue
        seconds = float(listing.get("duration_s") or st.position_s or 0)
        when = _day(st.listened_at)
        if when:
            active_days.add(when)
        _add(periods["all"], seconds)
        if when and when >= week_start:
            _add(periods["week"], seconds)
        if when and when >= month_start:
            _add(periods["month"], seconds)
        show = library.show_title(listing.get("show_id", ""))
        _add(per_show.setdefault(show, {"show": show, **_zero()}), seconds)
    for action in library.history():
        if action.kind in LISTENING_KINDS:
            day = _day(action.at)
            if day:
                active_days.add(day)
    queue = [e for e in library.queue() if e.id in listings]
    states = library.state_docs()
    remaining = 0.0
    unknown = 0
    for entry, ep in zip(queue, library.episodes_of(e.id for e in queue)):
        left = prog.remaining_s(ep, EpisodeState.from_doc(states.get(entry.id)))
        if left is None:
            unknown += 1
        else:
            remaining += left
    return {
        "listened": periods,
        "per_show": sorted(per_show.values(), key=lambda s: (-s["count"], s["show"])),
        "queue": {"episodes": len(queue), "remaining_s": round(remaining), "unknown_duration": unknown},
        "streak_days": _streak(active_days, today),
        "episodes": len(listings),
    }


def _zero() -> dict[str, Any]:
    return {"count": 0, "time_s": 0}


def _add(bucket: dict[str, Any], seconds: float) -> None:
    bucket["count"] += 1
    bucket["time_s"] += round(seconds)


def _day(iso: str | None) -> date | None:
    if not iso:
        return None
    try:
        return datetime.fromisoformat(iso).astimezone(timezone.utc).date()
    except ValueError:
        return None


def _streak(days: set[date], today: date) -> int:
    """Days in a row with listening, ending today (or yesterday, if today has none yet)."""
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count
