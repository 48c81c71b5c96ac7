"""Imports and refreshes run from the TUI in the background, one at a time: against the
suite's feed server (delays, failures), with the pilot pressing keys while they run."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from textual.widgets import ProgressBar

from tests.feed_server import serving
from tracker.importers.service import import_sources
from tracker.model.library import Library
from tracker.tui.run import make_app
from tracker.tui.widgets.show_list import ShowList
from tracker.tui.widgets.status_line import StatusLine

from .conftest import plain, settle, toasts, until

SIZE = (160, 24)
FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Tiny Feed</title>
<item><title>One</title><guid>t1</guid><pubDate>Mon, 03 Mar 2025 07:00:00 +0000</pubDate></item>
</channel></rss>"""


async def test_refresh_all_pressed_twice_fetches_once_and_says_it_is_running(tmp_path: Path) -> None:
    """R twice ran two refreshes side by side: every feed fetched twice, every outcome said
    twice, and the first to end cleared the status line while the other still ran."""
    with serving() as server:
        url = server.add("/feed.xml", FEED)
        library = Library(tmp_path / "lib")
        import_sources(library, [url])
        server.routes["/feed.xml"].delay = 0.5
        app = make_app(library.folder)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("2", "R", "R")
            assert plain(app.screen.query_one(StatusLine)).startswith("Refreshing every show")
            await settle(pilot)
            assert await until(pilot, lambda: len(app._notifications) >= 2)
            await settle(pilot)
            assert server.hit_paths() == ["/feed.xml", "/feed.xml"]  # the import, one refresh
            assert [n.message for n in app._notifications] == [
                "Refreshing every show: already running", "Tiny Feed: 0 new, 0 updated, 1 unchanged"]


async def test_an_import_asked_during_a_refresh_runs_after_it(tmp_path: Path) -> None:
    """The status line follows the job running, and a job asked meanwhile is not lost."""
    with serving() as server:
        url = server.add("/feed.xml", FEED)
        other = server.add("/other.xml", FEED.replace(b"Tiny Feed", b"Other Feed").replace(b"t1", b"o1"))
        library = Library(tmp_path / "lib")
        import_sources(library, [url])
        server.routes["/feed.xml"].delay = 0.5
        app = make_app(library.folder)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("2", "R")
            app.run_import(other)
            await pilot.pause()
            assert plain(app.screen.query_one(StatusLine)).startswith("Refreshing every show")
            assert await until(pilot, lambda: plain(app.screen.query_one(StatusLine)).startswith("Importing"))
            await settle(pilot)
            assert await until(pilot, lambda: len(app._notifications) >= 3)
            await settle(pilot)
            assert [n.message for n in app._notifications] == [
                f"Importing {other}: waits for the one running", "Tiny Feed: 0 new, 0 updated, 1 unchanged",
                "Other Feed: 1 new, 0 updated, 0 unchanged"]
            assert plain(app.screen.query_one(StatusLine)).startswith("2 shows")


def import_processes() -> list[str]:
    """This test process's import children still running."""
    found = subprocess.run(["pgrep", "-P", str(os.getpid()), "-f", "tracker.importers.worker"],
                           capture_output=True, text=True)
    return found.stdout.split()


@pytest.mark.parametrize("key", ["", "R"])
async def test_q_while_a_job_runs_ends_it_and_keeps_what_was_read(tmp_path: Path, key: str) -> None:
    """q during an import (or R) of a feed that does not answer left its process fetching
    after the screen was gone: the shell's prompt came back only when the feed answered,
    and the library was written after the quit. Now it stops as a Ctrl-C does, what was
    read saved."""
    with serving() as server:
        fast = server.add("/fast.xml", FEED)
        slow = server.add("/slow.xml", FEED.replace(b"Tiny Feed", b"Slow Feed").replace(b"t1", b"s1"))
        opml = server.add("/list.opml", f"""<?xml version="1.0"?><opml version="2.0"><body>
<outline type="rss" text="A" xmlUrl="{fast}"/><outline type="rss" text="B" xmlUrl="{slow}"/></body></opml>""".encode())
        library = Library(tmp_path / "lib")
        if key:  # a refresh of two shows, one of which stalls
            import_sources(library, [fast, slow])
        server.routes["/slow.xml"].delay = 60
        app = make_app(library.folder)
        async with app.run_test(size=SIZE) as pilot:
            if key:
                await pilot.press("2", key)
            else:
                app.run_import(opml)
            status = app.screen.query_one(StatusLine)
            assert await until(pilot, lambda: "Tiny Feed" in plain(status))  # read; the other stalls
            assert import_processes()
            await pilot.press("q")
        assert not import_processes()
        assert "Tiny Feed" in [s["title"] for s in Library(library.folder).shows().values()]


def feed(n: int) -> bytes:
    return FEED.replace(b"Tiny Feed", f"Feed {n:02}".encode()).replace(b"t1", f"e{n}".encode())


async def test_a_refresh_of_many_shows_says_one_summary_and_every_failure(tmp_path: Path) -> None:
    """R on 30 shows said 30 notices at once: they covered the list, the status line and
    the footer, and the first ones (a failed feed among them) ran off the top unseen."""
    with serving() as server:
        urls = [server.add(f"/{n}.xml", feed(n)) for n in range(30)]
        library = Library(tmp_path / "lib")
        import_sources(library, urls)
        server.routes["/0.xml"].status = 500
        server.routes["/1.xml"].body = feed(1).replace(b"</channel>", b"<item><title>New</title><guid>n1</guid>"
                                                                       b"</item></channel>")
        app = make_app(library.folder)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.press("2", "R")
            assert await until(pilot, lambda: len(app._notifications) >= 2)
            await settle(pilot)
            said = [n.message for n in app._notifications]
            assert said[0] == "Refreshing every show: 29 feeds read: 1 new episode, 0 updated"
            assert said[1].startswith(f"{urls[0]}: ") and len(said) == 2
            assert len(toasts(app)) == 2


async def test_a_refresh_where_many_feeds_fail_says_so_in_one_notice(tmp_path: Path) -> None:
    """Offline, R on many shows said one error a show, covering the screen for 8 seconds."""
    with serving() as server:
        urls = [server.add(f"/{n}.xml", feed(n)) for n in range(6)]
        library = Library(tmp_path / "lib")
        import_sources(library, urls)
        for n in range(5):
            server.routes[f"/{n}.xml"].status = 500
        app = make_app(library.folder)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("2", "R")
            assert await until(pilot, lambda: len(app._notifications) >= 2)
            await settle(pilot)
            assert [n.message for n in app._notifications] == [
                f"Refreshing every show: 5 sources failed: {urls[0]}: HTTP 500 Internal Server Error; and 4 more",
                "Feed 05: 0 new, 0 updated, 1 unchanged"]


async def test_the_progress_bar_of_a_second_import_starts_empty(tmp_path: Path) -> None:
    """The bar of an import started after another showed the last one's end, full, until
    the new one's first feed was read."""
    with serving() as server:
        first = server.add("/1.xml", feed(1))
        second = server.add("/2.xml", feed(2), delay=0.5)
        app = make_app(tmp_path / "lib")
        async with app.run_test(size=SIZE) as pilot:
            bar = app.screen.query_one("#progress", ProgressBar)
            app.run_import(first)
            assert await until(pilot, lambda: len(app._notifications) >= 1)
            await settle(pilot)
            assert not bar.display
            app.run_import(second)
            await pilot.pause()
            assert bar.display and bar.percentage is None  # (under way: how far is not known yet)
            await settle(pilot)


@pytest.mark.parametrize("screen", ["1", "2"])
async def test_the_status_line_says_the_job_until_it_ends_whatever_lands_meanwhile(tmp_path: Path,
                                                                                     screen: str) -> None:
    """A refresh whose first feed brought an episode, the list redrawn with it, put the
    counts back on the Shows status line while another feed was still being fetched: it
    read as done."""
    with serving() as server:
        fast, slow = server.add("/1.xml", feed(1)), server.add("/2.xml", feed(2))
        library = Library(tmp_path / "lib")
        import_sources(library, [fast, slow])
        server.routes["/1.xml"].body = feed(1).replace(b"</channel>", b"<item><title>New</title><guid>n1</guid>"
                                                                       b"</item></channel>")
        server.routes["/2.xml"].delay = 60
        app = make_app(library.folder)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("2", "R", screen)
            if screen == "1":
                assert await until(pilot, lambda: app.view.total == 3)
            else:
                assert await until(pilot, lambda: sum(s.episodes for s in app.screen.query_one(ShowList).shows) == 3)
            await pilot.pause()
            if screen == "1":  # (the counts, under the bar of the job)
                assert app.screen.query_one("#progress", ProgressBar).display
            else:
                assert plain(app.screen.query_one(StatusLine)).startswith("Refreshing every show: [1/2] Feed 01")
            await pilot.press("q")


async def test_shows_opened_while_an_import_runs_says_it(tmp_path: Path) -> None:
    """Shows first opened during an import said the show counts as if nothing ran."""
    with serving() as server:
        slow = server.add("/1.xml", feed(1), delay=60)
        app = make_app(tmp_path / "lib")
        async with app.run_test(size=SIZE) as pilot:
            app.run_import(slow)
            await pilot.pause()
            await pilot.press("2")
            await pilot.pause()
            assert plain(app.screen.query_one(StatusLine)) == f"Importing {slow}…"
            await pilot.press("q")


async def test_r_on_two_shows_of_one_title_refreshes_both(tmp_path: Path) -> None:
    """Two shows may share a title: r on the second while the first's refresh ran was
    taken for the same refresh and refused."""
    with serving() as server:
        one, two = server.add("/1.xml", FEED), server.add("/2.xml", FEED.replace(b"t1", b"t2"))
        library = Library(tmp_path / "lib")
        import_sources(library, [one, two])
        server.routes["/1.xml"].delay = 0.5
        app = make_app(library.folder)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("2")
            await pilot.pause()
            await pilot.press("r", "down", "r")
            assert await until(pilot, lambda: len(app._notifications) >= 3)
            await settle(pilot)
            assert [n.message for n in app._notifications] == [
                "Refreshing Tiny Feed: waits for the one running", "Tiny Feed: 0 new, 0 updated, 1 unchanged",
                "Tiny Feed: 0 new, 0 updated, 1 unchanged"]
            assert len(server.hit_paths()) == 4  # two imports, two refreshes
