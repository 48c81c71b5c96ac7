"""Every key, grouped by where it works, and what each symbol means: generated from the
bindings (``keys.py``), so it cannot drift from what the keys do."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..text import literal


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    def __init__(self, text: str, keys: str = "") -> None:
        """``keys``: the user's keymap keys for help, which close it too (as ``?`` does)."""
        super().__init__()
        self.text = text
        self.close_keys = {k for k in keys.split(",") if k}

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Static("Keys", classes="question", markup=False)
            yield Static(literal(self.text, multiline=True), id="help-text")
            yield Static("ctrl+p: the focused pane's actions · escape closes this", markup=False, classes="hint")

    def on_key(self, event: events.Key) -> None:
        if event.key in self.close_keys:
            event.stop()
            self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
