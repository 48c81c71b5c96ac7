"""Report where you are in an episode heard elsewhere: ``m:ss``, ``h:mm:ss``, seconds,
or ``chN`` for the start of chapter N. A bad entry says why and stays open."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ...chapters.npt import parse_npt
from ...model.records import Episode
from ..text import clock, literal


def parse_position(text: str, ep: Episode) -> float:
    """Seconds into ``ep`` for what the user typed; ValueError with the reason if unusable."""
    raw = text.strip().lower()
    if raw.startswith("ch") and raw[2:].isdecimal():
        n = int(raw[2:]) if len(raw) <= 12 else 0  # more digits than any chapter count (int() refuses 4,300)
        if not ep.chapters:
            raise ValueError("this episode has no chapters: type a time such as 12:30")
        if not 1 <= n <= len(ep.chapters):
            raise ValueError(f"this episode has chapters 1 to {len(ep.chapters)}")
        return float(ep.chapters[n - 1].start_s)
    seconds = parse_npt(raw) if raw else None
    if seconds is None or seconds < 0:
        raise ValueError("type a time as m:ss, h:mm:ss or seconds, or chN for a chapter's start")
    if ep.duration_s is not None and seconds > ep.duration_s:
        raise ValueError(f"the episode is {clock(ep.duration_s)} long")
    return seconds


class GotoScreen(ModalScreen[float | None]):
    # The box and its hints docked: an episode of a 900-character title would otherwise push
    # them out of the dialog; the question scrolls instead (as ConfirmScreen's).
    DEFAULT_CSS = """
    GotoScreen #answer { dock: bottom; height: auto; }
    GotoScreen #question-box { height: auto; max-height: 1fr; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, episode: Episode) -> None:
        super().__init__()
        self.episode = episode

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            with VerticalScroll(id="question-box", can_focus=False):
                yield Static(literal(f"Where are you in “{self.episode.title}”?"), classes="question")
            with Vertical(id="answer"):
                yield Input(placeholder="12:30, 1:02:03, 750 or ch3", id="position")
                yield Static(id="why", classes="hint", markup=False)
                yield Static("enter: set the position (heard up to there) · escape: cancel", markup=False,
                             classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            position = parse_position(event.value, self.episode)
        except ValueError as err:
            self.query_one("#why", Static).update(literal(str(err)))
            return
        self.dismiss(position)

    def action_cancel(self) -> None:
        self.dismiss(None)
