"""Calendar dates of stored times as the user's clock reads them.

Published times are kept in UTC (``2024-05-08T03:00:00+00:00``). Shown and filtered by
their UTC date, an episode out on a Tuesday evening in California read as Wednesday
there, and east of UTC ``episodes --since today`` left out one published an hour ago.
The CLI, the TUI and the filters all take the date from here. A date-only value (a feed
that gave no time of day) is that date everywhere.
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone

_DAY_S = 86400
_UTC_SUFFIX = "+00:00"
# UTC date -> (local offset in seconds, the day before, that day, the day after), for a
# UTC day with no clock change in it; None for one with a change. Emptied when the zone
# changes (a test, or a process that calls tzset).
_days: dict[str, tuple[int, str, str, str] | None] = {}
_zone: tuple[str, ...] = ()


def local_date(stamp: str | None) -> str:
    """``YYYY-MM-DD`` of ``stamp`` (an ISO time or date) in local time; "" for none.

    Fast at 100k listings: the local offset is worked out once per UTC day."""
    if not stamp:
        return ""
    if len(stamp) <= 10:
        return stamp
    global _zone
    if time.tzname != _zone:
        _days.clear()
        _zone = time.tzname
    if stamp.endswith(_UTC_SUFFIX) and stamp[10:11] == "T":
        key = stamp[:10]
        if key in _days:
            known = _days[key]
        else:
            known = _days[key] = _utc_day(key)
        if known is not None:
            try:
                second = int(stamp[11:13]) * 3600 + int(stamp[14:16]) * 60 + int(stamp[17:19]) + known[0]
            except ValueError:
                return _slow(stamp)
            return known[1] if second < 0 else known[3] if second >= _DAY_S else known[2]
    return _slow(stamp)


def _utc_day(key: str) -> tuple[int, str, str, str] | None:
    try:
        day = date.fromisoformat(key)
        start = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
        first, last = _offset(start), _offset(start + timedelta(seconds=_DAY_S - 1))
        before, after = (day - timedelta(days=1)).isoformat(), (day + timedelta(days=1)).isoformat()
    except (ValueError, OverflowError):  # (no day before 0001-01-01, none after 9999-12-31)
        return None
    if first != last:
        return None
    return first, before, key, after


def _offset(moment: datetime) -> int:
    local = moment.astimezone().utcoffset()
    return int(local.total_seconds()) if local is not None else 0


def _slow(stamp: str) -> str:
    try:
        return datetime.fromisoformat(stamp).astimezone().date().isoformat()
    except (ValueError, OverflowError):
        return stamp[:10]
