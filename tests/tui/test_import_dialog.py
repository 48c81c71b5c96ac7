"""The import dialog alone, in a tiny host app."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App

from tracker.tui.screens.import_source import ImportRequest, ImportScreen

from .conftest import paste


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.answers: list[ImportRequest | None] = []

    def on_mount(self) -> None:
        self.push_screen(ImportScreen(), self.answers.append)


@pytest.mark.parametrize("dragged", ["'{path}' ", '"{path}"', "{escaped}"])
async def test_a_file_dragged_into_the_terminal_is_imported_without_its_shell_quoting(
        tmp_path: Path, dragged: str) -> None:
    """A file dragged onto the terminal arrives shell-quoted ('/My Feeds/show.xml', or
    /My\\ Feeds/show.xml): the dialog passed the quotes on and the import said there is
    no such file, for a file that is there. The TUI has no shell to take them off."""
    folder = tmp_path / "My Feeds"
    folder.mkdir()
    feed = folder / "show.xml"
    feed.write_text("<rss/>")
    text = dragged.format(path=feed, escaped=str(feed).replace(" ", "\\ "))
    app = Host()
    async with app.run_test() as pilot:
        await paste(pilot, text)
        await pilot.press("enter")
        await pilot.pause()
    assert app.answers == [ImportRequest(source=str(feed))]


async def test_a_url_or_a_path_that_is_there_goes_as_typed(tmp_path: Path) -> None:
    odd = tmp_path / "it's.xml"  # a quote in a real file's name is kept
    odd.write_text("<rss/>")
    for typed in ("https://example.com/feed.xml?a='b c'", str(odd)):
        app = Host()
        async with app.run_test() as pilot:
            await paste(pilot, typed)
            await pilot.press("enter")
            await pilot.pause()
        assert app.answers == [ImportRequest(source=typed)]


async def test_a_line_no_file_could_be_named_goes_as_typed() -> None:
    typed = "'" + "x" * 5000 + "'"  # too long a name for the system to look at
    app = Host()
    async with app.run_test() as pilot:
        await paste(pilot, typed)
        await pilot.press("enter")
        await pilot.pause()
    assert app.answers == [ImportRequest(source=typed)]  # (the import then says why it cannot be read)


@pytest.mark.parametrize("copied", ["\nhttps://example.com/feed.xml", "\r\n  https://example.com/feed.xml\r\n"])
async def test_a_url_copied_with_the_line_break_before_it_is_pasted_whole(copied: str) -> None:
    """A URL selected from the end of the line above it comes with a line break first: the
    box kept the paste's first line, empty, and the paste did nothing."""
    app = Host()
    async with app.run_test() as pilot:
        await paste(pilot, copied)
        await pilot.press("enter")
        await pilot.pause()
    assert app.answers == [ImportRequest(source="https://example.com/feed.xml")]
