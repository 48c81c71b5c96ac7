"""What this machine lets an import use beside the importing process: its cores, and
the setting that limits extra processes (``TRACKER_PARSE_PROCESSES``). Read by the
worker pool of a bulk import (``parsers.py``) and by a single feed read in halves
(``halves.py``), so the two agree on both."""

from __future__ import annotations

import os


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def parse_processes() -> int | None:
    """Worker processes asked for in ``TRACKER_PARSE_PROCESSES`` (0 for none, as for
    anything that is not a number); None when unset: the machine decides."""
    raw = os.environ.get("TRACKER_PARSE_PROCESSES", "").strip()
    if not raw:
        return None
    return min(int(raw), 16) if raw.isascii() and raw.isdigit() else 0  # (int() refuses some digits: "²")
