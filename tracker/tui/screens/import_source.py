"""Ask what to import: a path or URL typed or pasted, or a whole show page pasted (the
text a podcast app's "share" gives: many lines, imported as text)."""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ...importers.fetch import is_url
from ...importers.sources import local_path
from ..text import literal


@dataclass(frozen=True)
class ImportRequest:
    source: str | None = None  # a path or URL
    text: str | None = None  # pasted text


class SourceInput(Input):
    """An input that keeps a multi-line paste whole (an Input would keep its first line)."""

    pasted: str | None = None

    def _on_paste(self, event: events.Paste) -> None:
        # Many terminals (iTerm2, VTE) send a paste's line breaks as "\r", as typed Enters.
        text = event.text.replace("\r\n", "\n").replace("\r", "\n")
        if "\n" in text.strip():
            self.pasted = text
            self.value = ""
            self.placeholder = f"pasted text, {text.count(chr(10)) + 1} lines: enter imports it"
            event.prevent_default()  # Input's own handler (run after this one) would keep line one
            event.stop()
        elif text.strip() and not text.split("\n")[0].strip():  # a line break first: Input would keep "" above it
            self.insert_text_at_cursor(text.strip())
            event.prevent_default()
            event.stop()


def unquoted(source: str) -> str:
    """A file dragged onto the terminal arrives shell-quoted (``'/My Feeds/a.xml'``, or
    ``/My\\ Feeds/a.xml``) and the TUI has no shell to take the quotes off: a source that
    is no URL and no file as typed, but one word when read as a shell would, is that word."""
    try:
        if is_url(source) or local_path(source).exists():
            return source
    except (OSError, ValueError):  # a name too long for the system, a NUL: no file; the import says why
        return source
    try:
        words = shlex.split(source)
    except ValueError:  # (an unmatched quote: left as typed, and said as not found)
        return source
    return words[0] if len(words) == 1 else source


class ImportScreen(ModalScreen[ImportRequest | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Import a feed URL, a feed or OPML file, a tracker export, or paste a show page",
                         markup=False, classes="question")
            yield SourceInput(placeholder="https://example.com/feed.xml or ~/Downloads/show.txt", id="source")
            yield Static(id="why", classes="hint", markup=False)
            yield Static("enter: import · escape: cancel", markup=False, classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        box = self.query_one(SourceInput)
        source = event.value.strip()
        if source == "-":  # the CLI's standard input: the TUI has none to give (the terminal is its own)
            why = "- is the command line's standard input: paste the text here instead"
            self.query_one("#why", Static).update(literal(why))
        elif source:
            self.dismiss(ImportRequest(source=unquoted(source)))
        elif box.pasted:
            self.dismiss(ImportRequest(text=box.pasted))
        else:
            self.query_one("#why", Static).update(literal("type or paste a path or URL (escape: cancel)"))

    def action_cancel(self) -> None:
        self.dismiss(None)
