"""Dates as people type them: ``2024-05-01``, ``May 7, 2024``, ``7 days ago``, ``last month``."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

_AGO = re.compile(r"^(\d{1,9})\s(day|week|month|year)s?\sago$")
_LAST = re.compile(r"^last\s(day|week|month|year)$")
MAX_LENGTH = 80  # a date is short; longer text is not read (the parser below is not linear-bounded)
FORMS = "use 2024-05-01, 'May 7, 2024', today, yesterday, '7 days ago' or 'last month'"


def parse_user_date(text: str, today: date | None = None, end: bool = False) -> date:
    """A calendar date; raises ``ValueError`` with a message naming the accepted forms.

    A partial date (``2025``, ``2025-02``, ``Feb 2025``) is a period: its
    first day, or with ``end`` its last, so that ``--until 2025`` includes all of 2025 as a
    user reads it (as ``--until`` a single day includes that whole day)."""
    today = today or date.today()
    shown = text if len(text) <= 30 else text[:30] + "…"
    if len(text) > MAX_LENGTH:
        raise ValueError(f"cannot read the date {shown!r}: {FORMS}")
    raw = " ".join(text.strip().lower().split())
    if raw == "today":
        return today
    if raw == "yesterday":
        return today - timedelta(days=1)
    m = _AGO.match(raw) or _LAST.match(raw)
    if m:
        groups = m.groups()
        count, unit = (int(groups[0]), groups[1]) if len(groups) == 2 else (1, groups[0])
        try:
            return _back(today, count, unit)
        except (OverflowError, ValueError):
            raise ValueError(f"{shown!r} is before the year 1: give a later date") from None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        pass
    from dateutil import parser

    try:
        # Parts left out come from January 1st of this year (December 31st for an end),
        # never from today; dateutil brings a default day past the month's end back to it.
        default = datetime(today.year, 12, 31) if end else datetime(today.year, 1, 1)
        return parser.parse(text, default=default).date()
    except (ValueError, OverflowError):
        raise ValueError(f"cannot read the date {shown!r}: {FORMS}") from None


def _back(today: date, count: int, unit: str) -> date:
    if unit == "day":
        return today - timedelta(days=count)
    if unit == "week":
        return today - timedelta(weeks=count)
    from dateutil.relativedelta import relativedelta

    return today - (relativedelta(months=count) if unit == "month" else relativedelta(years=count))
