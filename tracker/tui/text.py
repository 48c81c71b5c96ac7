"""Plain-text cells for the lists: feed text is shown literally, never as markup, and
any control character an old library still holds is spelled out (``\\x1b``) rather
than sent to the terminal (``terminal_safe``: the second line of defence)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.content import Content

from ..model.clock import format_clock
from ..model.text import terminal_safe

BAR_FULL = "█"
BAR_PARTS = " ▏▎▍▌▋▊▉"
STATUS_MARKS = {"new": "○", "in_progress": "◐", "listened": "●"}
STATE_MARKS = {"new": "○", "in_progress": "◐", "done": "●", "skipped": "»"}
STATUS_WORDS = {"new": "new", "in_progress": "in progress", "listened": "listened"}


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
    """Outside ``text`` made terminal-safe, then cut or padded to exactly ``width`` cells."""
    if width <= 0:
        return ""
    text = terminal_safe(text)
    if cell_len(text) <= width:
        return text + " " * (width - cell_len(text))
    out = Text(text)
    out.truncate(width, overflow="ellipsis")
    plain = out.plain
    return plain + " " * (width - cell_len(plain))


def literal(text: str, multiline: bool = False) -> Content:
    """Outside text for a ``Static``: never parsed as markup, controls spelled out."""
    return Content(terminal_safe(text, multiline=multiline))


# A row as (literal text, style) pairs: drawn as segments, nothing in it is parsed.
Parts = list[tuple[str, Style | None]]
