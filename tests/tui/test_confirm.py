"""The confirmation dialog alone, in a tiny host app."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Button

from tracker.tui.screens.confirm import ConfirmScreen


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.answers: list[bool | None] = []

    def on_mount(self) -> None:
        self.push_screen(ConfirmScreen("Clear the queue?", "Clear queue"), self.answers.append)


async def test_the_buttons_say_which_key_answers() -> None:
    """Nothing said that y confirms; the footer below still showed the other screen's keys."""
    app = Host()
    async with app.run_test() as pilot:
        labels = [str(b.label) for b in app.screen.query(Button)]
        assert labels == ["Clear queue (y)", "Cancel (n)"]
        await pilot.press("y")
        await pilot.pause()
    assert app.answers == [True]


async def test_enter_presses_the_focused_cancel() -> None:
    app = Host()
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause()
    assert app.answers == [False]
