"""The confirmation dialog alone, in a tiny host app."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.widgets import Button

from tracker.importers.service import import_sources
from tracker.model.library import Library
from tracker.tui.run import make_app
from tracker.tui.screens.confirm import ConfirmScreen
from tracker.tui.widgets.queue_list import QueueList

from .conftest import screen_text, settle


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



async def test_a_long_question_leaves_the_buttons_on_screen(tmp_path: Path) -> None:
    """A show whose feed gave it a title of some 900 characters filled the unsubscribe
    dialog at 60x20: the buttons (and the end of the question) were cut off, so nothing
    on screen said what y and n would do."""
    title = "A very long show title that goes on " * 24
    feed = tmp_path / "long.xml"
    feed.write_text(f"""<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>
<item><title>One</title><guid>c1</guid></item></channel></rss>""")
    library = Library(tmp_path / "lib")
    import_sources(library, [str(feed)])
    app = make_app(library.folder)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("2", "U")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        text = screen_text(app)
        assert "Unsubscribe (y)" in text and "Cancel (n)" in text
        for button in app.screen.query(Button):
            assert app.screen.region.contains_region(button.region)


async def test_where_are_you_in_a_long_titled_episode_leaves_the_box_on_screen(tmp_path: Path) -> None:
    """g on an episode of a 900-character title: the question filled the dialog at 60x20
    and pushed the box to type the time in (and its hints) off it."""
    title = "A very long episode title that goes on " * 24
    feed = tmp_path / "long.xml"
    feed.write_text(f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Show</title>
<item><title>{title}</title><guid>c1</guid></item></channel></rss>""")
    library = Library(tmp_path / "lib")
    import_sources(library, [str(feed)])
    app = make_app(library.folder)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        box = app.screen.query_one("#position")
        assert app.screen.region.contains_region(box.region)
        assert "escape: cancel" in screen_text(app)


async def test_unsubscribing_a_show_of_one_episode_says_it_in_the_singular(tmp_path: Path) -> None:
    """"Its 1 episodes leave the lists"."""
    library = _library_of_one(tmp_path)
    app = make_app(library.folder)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2", "U")
        await settle(pilot)
        assert "Its 1 episode leaves the lists" in screen_text(app)


async def test_clearing_a_queue_of_one_asks_about_that_one(tmp_path: Path) -> None:
    """"Remove all 1 episodes from the queue?"."""
    library = _library_of_one(tmp_path)
    library.queue_add(list(library.listings()))
    app = make_app(library.folder)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.main.query_one(QueueList).focus()
        await pilot.press("C")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Remove the 1 episode from the queue?" in screen_text(app)


def _library_of_one(tmp_path: Path) -> Library:
    """A library of one show with one episode."""
    feed = tmp_path / "one.xml"
    feed.write_text("""<?xml version="1.0"?><rss version="2.0"><channel><title>Solo</title>
<item><title>One</title><guid>c1</guid></item></channel></rss>""")
    library = Library(tmp_path / "lib")
    import_sources(library, [str(feed)])
    return library
