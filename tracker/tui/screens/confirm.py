"""Ask before a bulk or destructive action.

The buttons name their keys: the footer below is the screen's underneath, and it goes
on showing that screen's keys (``enter`` there is not ``enter`` here: it presses the
focused button, Cancel)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ..keys import key_of
from ..text import literal


def undo_hint(app: object) -> str:
    """"u undoes it", with the key the user's keymap gives undo."""
    return f"{key_of(app, 'app.undo')} undoes it"


class ConfirmScreen(ModalScreen[bool]):
    # The buttons docked: a question naming a show of a 900-character title would
    # otherwise push them out of the dialog; the question scrolls instead.
    DEFAULT_CSS = """
    ConfirmScreen .buttons { dock: bottom; }
    ConfirmScreen #question-box { height: auto; max-height: 1fr; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, yes: str = "Yes") -> None:
        super().__init__()
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            with VerticalScroll(id="question-box", can_focus=False):
                yield Static(literal(self.question), classes="question")
            with Horizontal(classes="buttons"):
                yield Button(f"{self.yes} (y)", variant="warning", id="yes")
                yield Button("Cancel (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
