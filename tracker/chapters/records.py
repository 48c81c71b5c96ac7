"""A chapter as read from a source, and the clean-up every source shares."""

from __future__ import annotations

import math
from operator import itemgetter
from typing import Any, NamedTuple

from ..model.records import MAX_CHAPTERS
from ..model.text import clean_line

MAX_SECONDS = 10**7  # about 115 days: a longer duration or a later chapter start is a typing error
MAX_TITLE = 200


class ChapterIn(NamedTuple):
    """Immutable; a tuple, so a feed's thousands of chapters are cheap to make."""

    title: str
    start_s: float
    end_s: float | None = None


def in_range(seconds: object) -> float | None:
    """A time in seconds that a chapter or an episode can have, else None."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        return None
    if isinstance(seconds, int) and not -MAX_SECONDS < seconds < MAX_SECONDS:
        return None  # (a JSON whole number of 400 digits: float() of it raises)
    value = float(seconds)
    if not math.isfinite(value) or not 0 <= value < MAX_SECONDS:
        return None
    return value


def chapter(title: object, start: object, end: object = None) -> ChapterIn | None:
    """A chapter from a source's raw values: title cleaned, times checked; None if unusable."""
    if type(start) is float and 0 <= start < MAX_SECONDS:  # (the common case, checked at once)
        start_s: float = start
    else:
        checked = in_range(start)
        if checked is None:
            return None
        start_s = checked
    end_s = in_range(end) if end is not None else None
    text = clean_line(title)[:MAX_TITLE] if isinstance(title, str) else ""
    return ChapterIn(text, start_s, end_s if end_s is not None and end_s > start_s else None)


# A stated length is whole seconds: a chapter in the second after it (an "End" marker at the
# very end, or one in the last fraction of a second) is no sign that the length is wrong.
LENGTH_SLACK_S = 1.0


def past_end(chapters: list[ChapterIn], duration_s: float | None) -> bool:
    """True when a chapter starts after the declared duration (by more than its rounding):
    the duration is wrong."""
    return duration_s is not None and any(ch.start_s >= duration_s + LENGTH_SLACK_S for ch in chapters)


def finish(chapters: list[ChapterIn], duration_s: float | None) -> list[dict[str, Any]]:
    """Sort by start, drop duplicates and starts past the end, close each chapter at the
    next one's start and the last at the episode's end (where the duration is known)."""
    if not chapters:
        return []
    # Compared as stored, to the millisecond: starts that round alike are one chapter (else
    # the first would run from 0:00 to 0:00, which reads as "to the end of the episode").
    end_of_all = MAX_SECONDS if duration_s is None else min(MAX_SECONDS, round(duration_s, 3))
    kept: list[ChapterIn] = []
    last = -1.0
    for ch in sorted(chapters, key=_START):
        start = round(ch.start_s, 3)
        if start == last or not 0 <= ch.start_s or not start < end_of_all:  # a repeat, or past the end
            continue
        kept.append(ch._replace(start_s=start) if start != ch.start_s else ch)
        last = start
        if len(kept) >= MAX_CHAPTERS:
            break
    out = []
    final = len(kept) - 1
    for i, ch in enumerate(kept):
        if i < final:
            end: float | None = kept[i + 1].start_s
        elif ch.end_s is not None and round(ch.end_s, 3) > ch.start_s:
            end = ch.end_s if duration_s is None else min(ch.end_s, duration_s)
        else:
            end = float(duration_s) if duration_s is not None else None
        title = " ".join(ch.title.split()) or f"Chapter {i + 1}"
        out.append({"title": title, "start_s": _num(ch.start_s), "end_s": None if end is None else _num(end)})
    return out


_START = itemgetter(1)  # ``ChapterIn.start_s``, without a Python call per chapter


def _num(x: float) -> float | int:
    """Whole seconds as ints keep the JSON tidy; fractions are kept."""
    return int(x) if float(x).is_integer() else round(float(x), 3)
