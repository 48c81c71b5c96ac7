"""Plain-text cells for the lists: feed text is shown literally, never as markup."""

from __future__ import annotations

from rich.cells import cell_len

from ..chapters.npt import format_clock
from rich.style import Style
from rich.text import Text

BAR_FULL = "█"
BAR_PARTS = " ▏▎▍▌▋▊▉"
STATUS_MARKS = {"new": "○", "in_progress": "◐", "listened": "●"}
STATE_MARKS = {"new": "○", "in_progress": "◐", "done": "●", "skipped": "»"}


def clock(seconds: float | None) -> str:
    """``1:05:09`` or ``5:09``; ``--:--`` for an unknown time."""
    return "--:--" if seconds is None else format_clock(seconds)


def bar(fraction: float, width: int) -> str:
    """A progress bar in eighths of a cell."""
    fraction = max(0.0, min(1.0, fraction))
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    text = BAR_FULL * full + (BAR_PARTS[part] if part and full < width else "")
    return text.ljust(width)


def fit(text: str, width: int) -> str:
    """``text`` cut or padded to exactly ``width`` cells."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text + " " * (width - cell_len(text))
    out = Text(text)
    out.truncate(width, overflow="ellipsis")
    plain = out.plain
    return plain + " " * (width - cell_len(plain))


# A row as (literal text, style) pairs: drawn as segments, nothing in it is parsed.
Parts = list[tuple[str, Style | None]]
