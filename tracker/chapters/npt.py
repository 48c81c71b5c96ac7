"""Normal Play Time, as Podlove Simple Chapters write it: ``37``, ``7:48``, ``35:12.250``, ``01:35:52``."""

from __future__ import annotations

import re

# Bounded digit runs: a 400-digit start is not a time (and int() of 5,000 digits raises).
_NPT = re.compile(r"^\s*(?:(?:(\d{1,5}):)?(\d{1,5}):)?(\d{1,9})(?:\.(\d{1,9}))?\s*$")
MAX_TEXT = 48


def parse_npt(text: str | None) -> float | None:
    """Seconds, fractions kept; ``None`` when the text is not Normal Play Time."""
    if not text or len(text) > MAX_TEXT:
        return None
    if text.isascii():  # the usual ``7:48`` and ``01:35:52``: read without the pattern, same rules
        parts = text.split(":")
        if len(parts) <= 3 and all(p.isdigit() and len(p) <= 5 for p in parts[:-1]) \
                and parts[-1].isdigit() and len(parts[-1]) <= 9:
            secs = int(parts[-1])
            if len(parts) == 1:
                return float(secs)
            mins = int(parts[-2])
            if secs >= 60 or (len(parts) == 3 and mins >= 60):
                return None
            return float((int(parts[0]) * 3600 if len(parts) == 3 else 0) + mins * 60 + secs)
    m = _NPT.match(text)
    if not m:
        return None
    hours, minutes, seconds, fraction = m.groups()
    value = int(hours or 0) * 3600 + int(minutes or 0) * 60 + int(seconds)
    if (hours is not None or minutes is not None) and int(seconds) >= 60:
        return None
    if hours is not None and int(minutes) >= 60:
        return None
    if fraction:
        value += int(fraction) / 10 ** len(fraction)
    return float(value)
