"""Dates and durations as feeds and show pages write them.

What comes out is either right or unknown: a duration must be under ``MAX_SECONDS``,
a date must fall in the years ``MIN_YEAR``-``MAX_YEAR`` (year 9999 or year 1 are
typing errors, not dates), and texts longer than any real date are not parsed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

MAX_SECONDS = 10**7  # about 115 days: longer durations and chapter starts are unknown
MIN_YEAR, MAX_YEAR = 1900, 2200
MAX_DATE_TEXT = 80
MAX_DURATION_TEXT = 40

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
# Months as feeds in German, French, Spanish, Italian, Dutch and Portuguese write them
# ("Di, 07 Mai 2024", "mar., 3 juin 2025", "jue, 12 dic 2024"), by their first three
# letters where those name one month in every one of these languages, with or without
# accents ("fevr", "aout", "Maerz": a feed written in plain ASCII)...
_LOCAL_MONTHS = {
    "ene": 1, "gen": 1, "fév": 2, "fev": 2, "mär": 3, "mae": 3, "mrz": 3, "mrt": 3, "maa": 3, "avr": 4,
    "abr": 4, "mai": 5, "mag": 5, "mei": 5, "giu": 6, "lug": 7, "ago": 8, "aoû": 8, "aou": 8, "set": 9,
    "okt": 10, "ott": 10, "out": 10, "déc": 12, "dez": 12, "dic": 12,
}
# ... and whole where they do not: French "juin" and "juil(let)" share "jui".
_MONTH_WORDS = {"juin": 6, "juil": 7, "juillet": 7}
_ZONES = {"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5,
          "MST": -7, "MDT": -6, "PST": -8, "PDT": -7}
_RFC822 = re.compile(  # (a weekday, then a month, in letters of any language: "Mi.,", "quinta-feira", "déc.")
    r"(?:[^\W\d_]{2,10}(?:-[^\W\d_]{2,5})?\.?,? ?)?(\d{1,2})\.? ([^\W\d_]{3,10})\.? (\d{2}|\d{4}) "
    r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([+-]\d\d:?\d\d|[A-Za-z]{1,5}))?"
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A time on a 12-hour clock ("3:00 PM", "12:30 a.m."): the email module takes the "PM" for
# a time zone it does not know and drops it with the zone after it ("3:00 PM EST" was 03:00 UTC).
_MERIDIEM = re.compile(r"(?<![\d:])(\d{1,2})(:\d{2}(?::\d{2})?) ?([AaPp])\.?[Mm]\.?(?![^\W\d_])")
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b")


def folded(text: str | None) -> str:
    """``text`` with its runs of spaces folded into one and its ends trimmed; most
    dates and durations have no space to fold, and are only trimmed."""
    if not text:
        return ""
    if len(text) < 200:
        text = text.strip()
        if " " not in text and text.isprintable():  # (every other space is unprintable)
            return text
    return " ".join(text.split())


def _aware(dt: datetime) -> str | None:
    """``dt`` as UTC ISO text, or None outside the years a podcast can have."""
    if not MIN_YEAR <= dt.year <= MAX_YEAR:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    try:
        return dt.astimezone(timezone.utc).isoformat()
    except (OverflowError, ValueError):
        return None


def feed_date(text: str | None, month_first: bool = False) -> str | None:
    """A pubDate, dc:date or Atom date as UTC ISO time; a date-only text stays a date.

    ``month_first`` reads ``08/02/2013`` as August 2nd (feeds in en-us); otherwise
    such numeric dates are day first, as most of the world writes them.
    """
    if not text:
        return None
    # The common shape first, as written: a text it matches has no space to fold.
    m = _RFC822.fullmatch(text.strip()) if len(text) <= MAX_DATE_TEXT else None
    text = text.strip() if m else folded(text)
    if not text or len(text) > MAX_DATE_TEXT:
        return None
    m = m or _RFC822.fullmatch(text)
    if m:
        fast = _rfc822(m)
        if not isinstance(fast, bool):
            return fast
    if _MERIDIEM.search(text):
        return feed_date(_MERIDIEM.sub(_on_24_hours, text, count=1), month_first)
    if text[:1].isdigit() and _ISO_DATE.match(text):
        return iso(text)
    from email.utils import parsedate_to_datetime  # the rarer shapes only: it is slow to load

    try:
        dt = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return _fallback(text, month_first)
    return _aware(dt)


def _on_24_hours(m: re.Match[str]) -> str:
    """``3:00 PM`` as ``15:00``, ``12:30 AM`` as ``00:30`` (an hour past 12 stays as written)."""
    hour, rest, half = int(m.group(1)), m.group(2), m.group(3).lower()
    if hour == 12:
        hour = 0 if half == "a" else 12
    elif half == "p" and hour < 12:
        hour += 12
    return f"{hour:02d}{rest}"


def language_free(text: str) -> bool:
    """Whether ``feed_date(text)`` reads the same in any feed: only a numeric date
    (``08/02/2013``) is read by the feed's language."""
    if not text.lstrip()[:1].isdigit():  # (the usual "Tue, 07 May 2024 ...": no numeric date starts so)
        return True
    return _NUMERIC.match(folded(text)) is None


def month_number(word: str) -> int | None:
    """1-12 for a month's name or abbreviation in English or a language of ``_LOCAL_MONTHS``."""
    word = word.lower()
    head = word[:3]
    return _MONTHS.get(head) or _MONTH_WORDS.get(word) or _LOCAL_MONTHS.get(head)


def rfc822(text: str) -> str | None:
    """An RSS pubDate (kept for callers that know the text is RFC 822)."""
    return feed_date(text)


def _rfc822(m: re.Match[str]) -> str | None | bool:
    # (False: not sure, let the email module decide)
    """The common pubDate shape, without the email module; False to let it decide."""
    day, mon, year, hh, mm, ss, zone = m.groups()
    month = month_number(mon)
    if month is None:
        return False
    y = int(year)
    if len(year) == 2:  # RFC 2822: 00-49 are 20xx, 50-99 are 19xx ("01 Jan 70" is 1970)
        y += 2000 if y < 50 else 1900
    offset = 0
    if zone:
        if zone[0] in "+-":  # +0200, or +02:00 as some generators write it (the email module reads that as UTC)
            digits = zone[1:].replace(":", "")
            if digits != "0000":
                offset = (int(digits[:2]) * 60 + int(digits[2:])) * (1 if zone[0] == "+" else -1)
        elif zone.upper() in _ZONES:
            offset = _ZONES[zone.upper()] * 60
        elif mon[:3].lower() in _MONTHS:
            return False
        # else a month only this module reads ("Mai"): the email module would drop the whole
        # date, so an unknown zone ("CEST", "MESZ") is read as it reads one beside "May", as UTC
    hour, minute, second = int(hh), int(mm), int(ss) if ss else 0
    if not (hour < 24 and minute < 60 and second < 61):
        return None
    try:  # (the time in UTC by arithmetic: no time zone objects for each of 5,000 items)
        dt = datetime(y, month, int(day), hour, minute, min(second, 59))
        if offset:
            dt -= timedelta(minutes=offset)
    except (ValueError, OverflowError):
        return None
    if not MIN_YEAR <= dt.year <= MAX_YEAR:
        return None
    return dt.isoformat() + "+00:00"


def iso(text: str | None) -> str | None:
    """An Atom/ISO 8601 time as aware UTC ISO; a bare date stays a date."""
    text = (text or "").strip()
    if not text or len(text) > MAX_DATE_TEXT:
        return None
    if len(text) == 10 and _ISO_DATE.fullmatch(text):
        try:
            d = date.fromisoformat(text)
        except ValueError:
            return None
        return d.isoformat() if MIN_YEAR <= d.year <= MAX_YEAR else None
    try:
        dt = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return _fallback(text, False)
    return _aware(dt)


def _fallback(text: str, month_first: bool) -> str | None:
    """Odd forms, through dateutil; no missing part is filled from today."""
    from dateutil import parser

    numeric = _NUMERIC.match(text)
    sentinel = datetime(1, 1, 1)
    try:
        dt = parser.parse(text, default=sentinel, dayfirst=bool(numeric) and not month_first)
    except (ValueError, OverflowError, TypeError):
        return None
    if dt.year == 1:
        return None
    if dt.tzinfo is None and (dt.hour, dt.minute, dt.second) == (0, 0, 0) and ":" not in text:
        return dt.date().isoformat() if MIN_YEAR <= dt.year <= MAX_YEAR else None
    return _aware(dt)


_CLOCK = re.compile(r"(?:(\d{1,4}):)?(\d{1,5}):(\d{1,2}(?:\.\d{1,6})?)")
_NUMBER = re.compile(r"\d{1,9}(?:\.\d{1,6})?")
_SPOKEN = re.compile(
    r"(?:(\d{1,4}) ?h(?:rs?|ours?)?)? ?(?:(\d{1,5}) ?m(?:in(?:ute)?s?)?)? ?(?:(\d{1,7}) ?s(?:ec(?:ond)?s?)?)?",
    re.IGNORECASE,
)


def duration(seconds: float | None) -> float | None:
    """A duration or chapter time in range, else unknown."""
    if seconds is None or not 0 < seconds < MAX_SECONDS:
        return None
    return seconds


def itunes_duration(text: str | None) -> float | None:
    """Seconds from ``1740``, ``29:00``, ``0:29:00``, ``01:05:09`` (and spoken forms). Minutes
    past 59 are read where no hour is given (``65:09``, ``00:65:09``: podcastparser reads
    them), and refused beside an hour (``1:75:00`` is a typing error)."""
    text = folded(text)
    if not text or len(text) > MAX_DURATION_TEXT:
        return None
    fast = _plain_clock(text)
    if fast is not None:
        return duration(fast)
    if _NUMBER.fullmatch(text):
        return duration(float(text))
    m = _CLOCK.fullmatch(text)
    if m:
        h, mm, ss = m.groups()
        if float(ss) >= 60 or (h is not None and int(h) and int(mm) >= 60):  # (00:62:03: 62 minutes)
            return None
        return duration(int(h or 0) * 3600 + int(mm) * 60 + float(ss))
    return spoken_duration(text)


def _plain_clock(text: str) -> float | None:
    """The usual shapes (``1740``, ``29:00``, ``1:05:09``: ASCII digits, whole seconds)
    without a pattern; None for anything else, which the patterns then read. Gives what
    the patterns give: out-of-range minutes or seconds are no duration (-1)."""
    if not text.isascii():
        return None
    parts = text.split(":")
    if len(parts) > 3 or not all(p.isdigit() for p in parts):
        return None
    if len(parts) == 1:
        return float(text) if len(text) <= 9 else None
    if len(parts[-1]) > 2 or len(parts[-2]) > 5 or (len(parts) == 3 and len(parts[0]) > 4):
        return None
    seconds, minutes = int(parts[-1]), int(parts[-2])
    hours = int(parts[0]) if len(parts) == 3 else 0
    if seconds >= 60 or (hours and minutes >= 60):  # (no hours: minutes may run on, "00:62:03")
        return -1.0
    return float(hours * 3600 + minutes * 60 + seconds)


def spoken_duration(text: str) -> float | None:
    """``29min``, ``1h 5min``, ``1h``, ``45 sec`` as seconds."""
    text = " ".join((text or "").split())
    if not text or len(text) > MAX_DURATION_TEXT:
        return None
    m = _SPOKEN.fullmatch(text)
    if not m or not any(m.groups()):
        return None
    h, mi, s = (int(x) if x else 0 for x in m.groups())
    return duration(float(h * 3600 + mi * 60 + s))
