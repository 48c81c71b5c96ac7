"""A live progress line for imports, refreshes and sync, on a terminal only.

It is written to stderr, rewritten in place (``\\r``) and cut to the terminal's
width, then erased before the report: piped output and ``--json`` never see it.
"""

from __future__ import annotations

import shutil
import sys
from typing import TYPE_CHECKING, TextIO

from ..model.text import terminal_safe
from .columns import fit

if TYPE_CHECKING:
    from ..importers.service import Progress


class LiveLine:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False

    def __call__(self, step: "Progress") -> None:
        self.text(step.line())

    def text(self, message: str) -> None:
        """Draw ``message`` (sync's steps are plain text) over the line drawn before."""
        width = max(20, shutil.get_terminal_size((80, 24)).columns - 1)
        # Cut and padded by terminal cells: a line wider than the row wraps, and "\r"
        # then rewrites only its last row, leaving the rest on screen.
        self.stream.write("\r" + fit(terminal_safe(message), width))
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            width = max(20, shutil.get_terminal_size((80, 24)).columns - 1)
            self.stream.write("\r" + " " * width + "\r")
            self.stream.flush()
            self.shown = False


def live_line(enabled: bool = True, stream: TextIO | None = None) -> LiveLine | None:
    """A progress callback when ``stream`` (stderr) is a terminal, else None."""
    out = stream or sys.stderr
    if not enabled or not out.isatty():
        return None
    return LiveLine(out)
