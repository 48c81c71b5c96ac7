"""Feed text is never markup: each widget shows a hostile title literally, and nothing runs."""

from __future__ import annotations

from pathlib import Path

from tracker.importers.service import import_sources
from tracker.model.library import Library
from tracker.tui.run import make_app
from tracker.tui.widgets.chapter_list import ChapterList
from tracker.tui.widgets.episode_list import EpisodeList
from tracker.tui.widgets.queue_list import QueueList
from tracker.tui.widgets.status_line import StatusLine

from .conftest import HOSTILE, hostile_feed, plain, row, settle, toasts, until


def hostile_library(tmp_path: Path) -> Library:
    library = Library(tmp_path / "lib")
    (o,) = import_sources(library, [str(hostile_feed(tmp_path / "src"))])
    assert o.ok, o.message
    library.queue_add(list(library.listings()))
    return library


async def test_every_widget_shows_hostile_text_literally(tmp_path: Path) -> None:
    library = hostile_library(tmp_path)
    app = make_app(library.folder)
    async with app.run_test(size=(240, 40)) as pilot:
        await settle(pilot)
        assert HOSTILE in row(app.query_one(EpisodeList), 0)
        assert f"{HOSTILE} Show"[:20] in row(app.query_one(EpisodeList), 0)
        assert plain(app.query_one("#detail-title")) == HOSTILE
        assert plain(app.query_one("#detail-meta")).startswith(f"{HOSTILE} Show")
        assert plain(app.query_one("#detail-description")).startswith(f"{HOSTILE} description [b]bold?[/b]")
        assert "[link=https://evil.invalid]click[/link]" in plain(app.query_one("#detail-description"))
        assert HOSTILE in row(app.query_one(ChapterList), 0)
        assert "[red]Two[/red]" in row(app.query_one(ChapterList), 1)
        assert HOSTILE in plain(app.query_one("#detail-resume"))
        assert HOSTILE[:20] in row(app.query_one(QueueList), 0)
        await pilot.press("slash", *"[/]")
        await pilot.pause()
        assert "filter “[/]”" in plain(app.query_one(StatusLine))
        await pilot.press("enter")
        await pilot.click(EpisodeList, offset=(4, 0))  # clicking the title runs no action
        await pilot.pause()
        assert app.is_running


async def test_hostile_text_in_notifications_is_literal(tmp_path: Path) -> None:
    library = hostile_library(tmp_path)
    app = make_app(library.folder)
    async with app.run_test(size=(240, 40), notifications=True) as pilot:
        await pilot.press("space")
        await settle(pilot)
        assert await until(pilot, lambda: any(HOSTILE in m for m in toasts(app))), toasts(app)
        assert app.is_running


async def test_a_fetch_time_at_the_edge_of_the_calendar_shows_as_written(tmp_path: Path) -> None:
    """An imported export may say a show was fetched at 0001-01-01T00:00:00+14:00: in
    local time that is before the year 1, and the Shows screen still draws."""
    from tracker.demo import load_demo
    from tracker.exchange.tracker_json import export, import_export
    from tracker.tui.widgets.show_list import ShowList

    doc = export(load_demo(tmp_path / "demo"))
    for show in doc["shows"].values():
        show["fetched_at"] = "0001-01-01T00:00:00+14:00"
    library = Library(tmp_path / "lib")
    import_export(library, doc)
    app = make_app(library.folder)
    async with app.run_test(size=(240, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        assert app.is_running
        assert "0001-01-01T00:00" in row(app.screen.query_one(ShowList), 0)
