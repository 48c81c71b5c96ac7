"""Dates and durations as feeds and show pages write them."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime


def rfc822(text: str) -> str | None:
    """An RSS pubDate as an aware UTC ISO time; a date-only text stays a date."""
    text = text.strip()
    if not text:
        return None
    try:
        dt = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return iso(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).isoformat()


def iso(text: str) -> str | None:
    """An Atom/ISO 8601 time as aware UTC ISO; a bare date stays a date."""
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return _dateutil(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).isoformat()


def _dateutil(text: str) -> str | None:
    """Last resort for odd forms; no missing part is filled from today."""
    from dateutil import parser

    sentinel = datetime(1, 1, 1)
    try:
        dt = parser.parse(text, default=sentinel)
    except (ValueError, OverflowError):
        return None
    if dt.year == 1:
        return None
    if dt.tzinfo is None:
        if (dt.hour, dt.minute, dt.second) == (0, 0, 0) and not re.search(r"\d:\d", text):
            return dt.date().isoformat()
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).isoformat()


_CLOCK = re.compile(r"^\s*(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)\s*$")
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*$")


def itunes_duration(text: str | None) -> float | None:
    """Seconds from ``1740``, ``29:00``, ``0:29:00``, ``01:05:09`` (and spoken forms)."""
    if not text:
        return None
    m = _NUMBER.match(text)
    if m:
        return float(m.group(1)) or None
    m = _CLOCK.match(text)
    if m:
        h, mm, ss = m.groups()
        return (int(h or 0) * 3600 + int(mm) * 60 + float(ss)) or None
    return spoken_duration(text)


_SPOKEN = re.compile(
    r"^\s*(?:(\d+)\s*h(?:rs?|ours?)?)?\s*(?:(\d+)\s*m(?:in(?:ute)?s?)?)?\s*(?:(\d+)\s*s(?:ec(?:ond)?s?)?)?\s*$",
    re.IGNORECASE,
)


def spoken_duration(text: str) -> float | None:
    """``29min``, ``1h 5min``, ``1h``, ``45 sec`` as seconds."""
    m = _SPOKEN.match(text or "")
    if not m or not any(m.groups()):
        return None
    h, mi, s = (int(x) if x else 0 for x in m.groups())
    return float(h * 3600 + mi * 60 + s) or None
