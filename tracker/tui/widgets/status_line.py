"""Counts and the current filter, in one line."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from ..text import literal


class StatusLine(Static):
    DEFAULT_CSS = "StatusLine { height: 1; background: $panel; color: $text; padding: 0 1; }"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, **kwargs)

    def say(self, text: str) -> None:
        self.update(literal(text), layout=False)  # one line, always: no layout pass
