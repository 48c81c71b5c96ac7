"""Every key, grouped by where it works."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


def describe(groups: list[tuple[str, list[BindingType]]]) -> str:
    lines: list[str] = []
    for title, bindings in groups:
        lines.append(title)
        for b in bindings:
            if isinstance(b, Binding) and b.description:
                keys = ", ".join(_key_name(k) for k in b.key.split(","))
                lines.append(f"  {keys:<22} {b.description}")
        lines.append("")
    return "\n".join(lines).rstrip()


def _key_name(key: str) -> str:
    return {"space": "space", "question_mark": "?", "slash": "/", "escape": "esc"}.get(key, key)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    def __init__(self, groups: list[tuple[str, list[BindingType]]]) -> None:
        super().__init__()
        self.text = describe(groups)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Static("Keys", classes="question", markup=False)
            yield Static(Content(self.text), id="help-text")
            yield Static("ctrl+p opens the command palette · escape closes this", markup=False, classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)
