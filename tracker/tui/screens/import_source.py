"""Ask for a path or URL to import."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class ImportScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Import a feed URL, a feed or OPML file, a show page or a tracker export", markup=False,
                         classes="question")
            yield Input(placeholder="https://example.com/feed.xml or ~/Downloads/show.txt", id="source")
            yield Static("enter: import · escape: cancel", markup=False, classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
