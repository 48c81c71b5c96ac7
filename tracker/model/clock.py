"""Times as people read and type them: ``7:30``, ``1:05:09``; one sign for unknown.

The model's own summaries use it, and so do the CLI and the TUI, so a position reads
the same everywhere.
"""

from __future__ import annotations

UNKNOWN = "--:--"


def format_clock(seconds: float | None) -> str:
    """``1:05:09`` or ``5:09``; an empty string for an unknown time."""
    if seconds is None:
        return ""
    total = int(seconds)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def clock(seconds: float | None) -> str:
    """``7:30`` or ``1:05:09``; ``--:--`` when unknown."""
    return format_clock(seconds) or UNKNOWN
