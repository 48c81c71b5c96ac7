"""The Shows, Stats and History screens, reached by number keys, the footer and the
palette; redo; listened toggled off restores progress; mark new asks and clears; a
position typed or nudged."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import date, timedelta
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tracker.importers.service import import_sources
from tracker.model.library import Library
from tracker.tui.run import make_app
from tracker.tui.screens.confirm import ConfirmScreen
from tracker.model.records import Chapter, Episode
from tracker.tui.screens.goto import GotoScreen, parse_position
from tracker.tui.screens.history import HistoryScreen
from tracker.tui.screens.library import LibraryScreen
from tracker.tui.screens.shows import ShowsScreen
from tracker.tui.screens.stats import StatsScreen
from tracker.tui.widgets.episode_list import EpisodeList
from tracker.tui.widgets.history_list import HistoryList
from tracker.tui.widgets.show_list import ShowList

from .conftest import burst, ids, paste, plain, row, screen_text, settle, toasts, until

SIZE = (160, 24)  # wide enough for every title; short: fewer lines to draw
LIGHTHOUSE = "How a Lighthouse Keeps Time"
BREAD = "The Secret Life of Bread Starters"
PAPER = "Paper Maps in a Phone World"


async def test_number_keys_switch_screens_and_back(demo: Library) -> None:
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key, kind in (("2", ShowsScreen), ("3", StatsScreen), ("4", HistoryScreen), ("1", LibraryScreen)):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, kind)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Library", "Shows", "Stats", "History"} <= set(titles)
        assert "1-4 Screens" in screen_text(app).splitlines()[-1]


# -- Shows -----------------------------------------------------------------------------------
async def test_shows_lists_counts_and_enter_shows_its_episodes(demo: Library, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests import feeds

    (tmp_path / "a.xml").write_bytes(feeds.ATOM)
    import_sources(demo, [str(tmp_path / "a.xml")])
    demo.mark([ids(demo)[BREAD]], listened=True)
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        shows = app.screen.query_one(ShowList)
        radio = next(s for s in shows.shows if s.title == "The Slow Radio Hour")
        assert (radio.episodes, radio.new, radio.in_progress, radio.listened) == (6, 5, 0, 1)
        text = screen_text(app)
        assert "The Slow Radio Hour" in text and "Listened" in text and "Feed" in text
        shows.move_to(shows.shows.index(radio))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert app.query_one(EpisodeList).count == 6
        assert "show “The Slow Radio Hour”" in plain(app.screen.query_one("#status"))
        await pilot.press("escape")  # every show again
        assert app.query_one(EpisodeList).count == 8


async def test_unsubscribe_hides_the_episodes_asks_first_and_is_undone(demo: Library) -> None:
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("U")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert demo.unsubscribed() == set(demo.shows())
        assert "✕" in row(app.screen.query_one(ShowList), 0)
        await pilot.press("1")
        await settle(pilot)
        assert app.query_one(EpisodeList).count == 0
        await pilot.press("u")  # undo brings the show back
        await settle(pilot)
        assert demo.unsubscribed() == set() and app.query_one(EpisodeList).count == 6
        await pilot.press("2", "U", "y")
        await settle(pilot)  # the screen shows what landed: unsubscribed
        await pilot.press("U")  # on an unsubscribed show: subscribe again, no question
        await settle(pilot)
        assert demo.unsubscribed() == set()



async def test_the_footer_offers_subscribe_again_on_an_unsubscribed_show(demo: Library) -> None:
    """On an unsubscribed show the footer went on offering "U Unsubscribe" while U
    subscribed it again."""
    (show_id,) = demo.shows()
    demo.unsubscribe(show_id)
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "U Subscribe again" in footer and "Unsubscribe" not in footer, footer
        await pilot.press("U")
        await settle(pilot)
        assert demo.unsubscribed() == set()
        footer = screen_text(app).splitlines()[-1]
        assert "U Unsubscribe" in footer and "Subscribe again" not in footer, footer


@pytest.mark.parametrize(("size", "keys"), [((80, 24), ("enter",)), ((160, 24), ("tab", "tab"))])
async def test_a_shows_episodes_open_in_the_catalog_whatever_pane_was_left_open(
        demo: Library, size: tuple[int, int], keys: tuple[str, ...]) -> None:
    """Shows, enter ("the show's episodes in the Library") left the Library as it was: at
    80 columns on another episode's chapters, covering the show's episodes; wide, with the
    queue focused, so the next space marked a queue entry rather than one of the show's."""
    app = make_app(demo.folder)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)
        await pilot.press("2", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert isinstance(app.focused, EpisodeList)
        assert app.focused.region.height > 0 and not app.screen.has_class("-right-open")


async def test_enter_on_an_unsubscribed_show_lists_its_episodes(demo: Library) -> None:
    """The Shows screen counts an unsubscribed show's episodes and says enter lists them:
    it once opened an empty list saying "Nothing matches the filter"."""
    (show_id,) = demo.shows()
    demo.unsubscribe(show_id)
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert app.query_one(EpisodeList).count == 6
        assert plain(app.query_one("#detail-title")) == LIGHTHOUSE
        await pilot.press("escape")  # every show again: the unsubscribed one stays hidden
        assert app.query_one(EpisodeList).count == 0


async def test_the_status_line_counts_what_is_listed_without_the_shows_left(demo: Library, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """With a show unsubscribed and no filter the status line said "6 of 8 episodes", as if
    a filter were on, where `tracker episodes` says 6."""
    from tests import feeds

    (tmp_path / "a.xml").write_bytes(feeds.ATOM)
    import_sources(demo, [str(tmp_path / "a.xml")])
    radio = next(sid for sid, show in demo.shows().items() if show["title"] == "The Slow Radio Hour")
    other = next(sid for sid in demo.shows() if sid != radio)
    demo.unsubscribe(other)
    demo.mark([ids(demo)[BREAD]], listened=True)
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.query_one(EpisodeList).count == 6
        assert plain(app.screen.query_one("#status")).startswith("6 episodes ·")
        await pilot.press("f")  # new: a filter, counted against what is listed
        await settle(pilot)
        assert plain(app.screen.query_one("#status")).startswith("5 of 6 episodes ·")


async def test_the_status_lines_counts_leave_out_the_shows_left_as_the_list_does(demo: Library, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """With a show unsubscribed its listened and started episodes were still counted:
    "2 of 8 episodes · showing in progress · … · 3 in progress" on one line."""
    from tests import feeds

    (tmp_path / "a.xml").write_bytes(feeds.ATOM)
    import_sources(demo, [str(tmp_path / "a.xml")])
    other = next(sid for sid, show in demo.shows().items() if show["title"] != "The Slow Radio Hour")
    t = ids(demo)
    demo.report_progress(t[LIGHTHOUSE], 60)
    for eid, listing in demo.listings().items():
        if listing["show_id"] == other:
            demo.report_progress(eid, 30)  # started, in the show about to be left
    demo.unsubscribe(other)
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f", "f")  # in progress
        await settle(pilot)
        assert app.query_one(EpisodeList).count == 1
        assert "· 1 in progress ·" in plain(app.screen.query_one("#status"))
        await pilot.press("f", "f", "f", "2")  # every status; the Shows screen
        await settle(pilot)
        shows = app.screen.query_one(ShowList)
        shows.move_to(next(i for i, s in enumerate(shows.shows) if s.show_id == other))
        await pilot.press("enter")  # the show left, chosen: its episodes and their counts
        await settle(pilot)
        assert "· 3 in progress ·" in plain(app.screen.query_one("#status"))


def tiny_feed(title: str, guid: str) -> bytes:
    return f"""<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>
<item><title>Ep</title><guid>{guid}</guid></item></channel></rss>""".encode()


async def test_shows_are_by_title_ignoring_case_and_unsubscribed_last(tmp_path) -> None:  # type: ignore[no-untyped-def]
    library = Library(tmp_path / "lib")
    for n, title in enumerate(("zebra Talk", "apple Hour", "Mango Cast", "banana Desk")):
        (tmp_path / f"{n}.xml").write_bytes(tiny_feed(title, f"g{n}"))
        import_sources(library, [str(tmp_path / f"{n}.xml")])
    by_title = {show["title"]: sid for sid, show in library.shows().items()}
    library.unsubscribe(by_title["apple Hour"])  # first by title, but hidden: goes last
    app = make_app(library.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        shows = app.screen.query_one(ShowList)
        assert [s.title for s in shows.shows] == ["banana Desk", "Mango Cast", "zebra Talk", "apple Hour"]
        assert "banana Desk" in row(shows, 0) and "apple Hour" in row(shows, 3)



async def test_enter_on_a_show_lists_that_shows_episodes_only(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # "Radio" is in "Radio Extra", and two feeds may share a title: the one show chosen is listed
    library = Library(tmp_path / "lib")
    for n, title in enumerate(("Radio", "Radio Extra", "Radio")):
        (tmp_path / f"{n}.xml").write_bytes(tiny_feed(title, f"g{n}"))
        import_sources(library, [str(tmp_path / f"{n}.xml")])
    app = make_app(library.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        shows = app.screen.query_one(ShowList)
        chosen = shows.shows[0]
        assert chosen.title == "Radio"
        await pilot.press("enter")
        await settle(pilot)
        episodes = app.query_one(EpisodeList)
        assert episodes.count == 1
        assert library.listing(episodes.current_id or "")["show_id"] == chosen.show_id  # type: ignore[index]
        assert "show “Radio”" in plain(app.screen.query_one("#status"))
        await pilot.press("escape")  # every show again
        assert episodes.count == 3


FEED_V1 = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Tiny Feed</title>
<item><title>One</title><guid>t1</guid><pubDate>Mon, 03 Mar 2025 07:00:00 +0000</pubDate></item>
</channel></rss>"""
FEED_V2 = FEED_V1.replace(b"</channel>", b"""<item><title>Two</title><guid>t2</guid>
<pubDate>Tue, 04 Mar 2025 07:00:00 +0000</pubDate></item></channel>""")


@pytest.fixture()
def feed_server() -> Iterator[tuple[str, dict[str, bytes]]]:
    """A feed host on 127.0.0.1 serving whatever ``pages`` holds."""
    pages: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the server's name
            body = pages.get(self.path)
            tag = f'"{hash(body)}"'
            if body is not None and self.headers.get("If-None-Match") == tag:
                self.send_response(304)  # as a feed host does for a feed that has not changed
                self.end_headers()
                return
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", tag)
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", pages
    httpd.shutdown()
    httpd.server_close()


async def test_refresh_all_fetches_in_a_worker_and_new_episodes_appear(tmp_path, feed_server) -> None:  # type: ignore[no-untyped-def]
    base, pages = feed_server
    pages["/feed.xml"] = FEED_V1
    library = Library(tmp_path / "lib")
    (outcome,) = import_sources(library, [base + "/feed.xml"])
    assert outcome.ok, outcome.message
    pages["/feed.xml"] = FEED_V2
    app = make_app(library.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        shows = app.screen.query_one(ShowList)
        assert shows.shows[0].episodes == 1 and shows.shows[0].feed_url == base + "/feed.xml"
        assert shows.shows[0].refreshed  # when the feed was last fetched, in local time on screen
        await pilot.press("R")
        await settle(pilot)
        assert await until(pilot, lambda: shows.shows[0].episodes == 2)
        await pilot.press("r")  # one show: nothing new this time, and nothing breaks
        await settle(pilot)
        assert shows.shows[0].episodes == 2 and app.is_running


async def test_refresh_all_with_every_feed_unsubscribed_says_why_nothing_was_fetched(tmp_path, feed_server) -> None:  # type: ignore[no-untyped-def]
    """R with the only show that has a feed unsubscribed from said "no show has a feed URL"."""
    base, pages = feed_server
    pages["/feed.xml"] = FEED_V1
    library = Library(tmp_path / "lib")
    import_sources(library, [base + "/feed.xml"])
    (sid,) = library.shows()
    library.unsubscribe(sid)
    app = make_app(library.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "R")
        await settle(pilot)
        assert await until(pilot, lambda: len(app._notifications) >= 1)
        assert [n.message for n in app._notifications] == [
            "Refreshing every show: nothing to fetch (no show you follow has a feed URL to refresh "
            "(1 show unsubscribed from: r on its row in Shows refreshes it))"]


async def test_a_refresh_that_brings_nothing_does_not_say_imported(tmp_path, feed_server) -> None:  # type: ignore[no-untyped-def]
    """Refreshing an unchanged feed said "imported Tiny Feed: not modified", and an OPML
    list "imported lists 1 feeds": what each source did, as the CLI says it."""
    base, pages = feed_server
    pages["/feed.xml"] = FEED_V1
    pages["/list.opml"] = f"""<?xml version="1.0"?><opml version="2.0"><body>
<outline type="rss" text="Tiny" xmlUrl="{base}/feed.xml"/></body></opml>""".encode()
    library = Library(tmp_path / "lib")
    app = make_app(library.folder)
    async with app.run_test(size=SIZE) as pilot:
        app.run_import(base + "/list.opml")
        await settle(pilot)
        assert await until(pilot, lambda: len(app._notifications) >= 2)
        said = [n.message for n in app._notifications]
        assert f"{base}/list.opml: lists 1 feed" in said and "Tiny Feed: 1 new, 0 updated, 0 unchanged" in said
        app.clear_notifications()
        await pilot.press("2", "r")
        await settle(pilot)
        assert await until(pilot, lambda: len(app._notifications) >= 1)
        assert [n.message for n in app._notifications] == ["Tiny Feed: not modified"]


async def test_r_refreshes_the_show_under_the_cursor_only(tmp_path, feed_server) -> None:  # type: ignore[no-untyped-def]
    """r on "Radio" refreshed every show whose title holds "Radio" ("Radio Extra" too)."""
    base, pages = feed_server
    library = Library(tmp_path / "lib")
    for path, title in (("/radio.xml", "Radio"), ("/extra.xml", "Radio Extra")):
        pages[path] = tiny_feed(title, path)
        (outcome,) = import_sources(library, [base + path])
        assert outcome.ok, outcome.message
    app = make_app(library.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        assert app.screen.query_one(ShowList).current.title == "Radio"  # type: ignore[union-attr]
        await pilot.press("r")
        await settle(pilot)
        assert await until(pilot, lambda: len(app._notifications) >= 1)
        await settle(pilot)
        assert [n.message for n in app._notifications] == ["Radio: not modified"]


# -- Stats -----------------------------------------------------------------------------------
async def test_stats_counts_heard_time_and_marked_not_heard_apart(demo: Library) -> None:
    t = ids(demo)
    demo.report_progress(t[LIGHTHOUSE], 20 * 60)  # 20 minutes heard
    demo.mark([t[BREAD]], listened=True)  # 39 minutes marked, none heard
    app = make_app(demo.folder)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        summary = plain(app.screen.query_one("#stats-summary"))
        assert "Heard today 20 min" in summary and "in all 20 min" in summary
        assert "1 marked, not heard" in summary
        assert "The Slow Radio Hour" in plain(app.screen.query_one("#shows-bars"))
        assert "20 min" in plain(app.screen.query_one("#shows-bars"))
        assert "Heard per day" in screen_text(app)
        chapters = plain(app.screen.query_one("#numbers-shows")).splitlines()
        assert any(line.startswith("done") and line.endswith(" 2") for line in chapters)  # 2 chapters heard whole
        assert any(line.startswith("skipped") and line.endswith(" 0") for line in chapters)
        await pilot.press("1", "space")  # a change elsewhere shows on return
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert "2 listened" in plain(app.screen.query_one("#stats-summary"))


async def test_stats_with_nothing_heard_has_no_negative_time_on_its_axes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # every bar at 0: the plot centred its axis on 0 and labelled it down to -1.00 minutes
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        assert await until(pilot, lambda: "Heard per day" in screen_text(app))
        axis = [line.split("┤")[0].strip() for line in screen_text(app).splitlines() if "┤" in line]
        assert axis and not any(label.startswith("-") for label in axis), axis


async def test_stats_name_each_plot_on_a_60_column_terminal(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Under some 70 columns the plots' titles did not fit and plotext left them out: two
    bare bar charts, nothing saying one is per day and the other per week."""
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=(60, 50)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        assert await until(pilot, lambda: "30 days:" in screen_text(app))
        text = screen_text(app)
        assert "Heard per day" in text and "Heard per week" in text


# -- History, undo and redo ----------------------------------------------------------------------
async def test_history_lists_changes_undoes_and_redoes(demo: Library) -> None:
    t = ids(demo)
    demo.queue_add([t[BREAD]])
    demo.mark([t[LIGHTHOUSE]], listened=True)
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await settle(pilot)
        history = app.screen.query_one(HistoryList)
        assert [e.summary for e in history.entries][:2] == [f"marked “{LIGHTHOUSE}” listened", f"queued “{BREAD}”"]
        assert row(history, 0)[:4].isdigit()  # a local date first
        await pilot.press("u")
        await settle(pilot)
        assert history.entries[0].undone and demo.state(t[LIGHTHOUSE]).status == "new"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert not history.entries[0].undone and demo.state(t[LIGHTHOUSE]).status == "listened"
        history.move_to(1)  # the queueing: undo both, after asking
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert demo.queue() == [] and demo.state(t[LIGHTHOUSE]).status == "new"
        assert [e.undone for e in history.entries[:2]] == [True, True]


async def test_the_footer_says_enter_redoes_on_an_undone_change(demo: Library) -> None:
    """On an undone change the footer went on offering "⏎ Undo to here" while enter
    redid everything up to it."""
    t = ids(demo)
    demo.queue_add([t[BREAD]])
    demo.mark([t[LIGHTHOUSE]], listened=True)
    demo.undo(1)
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await settle(pilot)
        history = app.screen.query_one(HistoryList)
        history.move_to(0)  # the undone marking
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "Redo up to here" in footer and "Undo to here" not in footer
        await pilot.press("down")
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "Undo to here" in footer and "Redo up to here" not in footer
        await pilot.press("up", "enter")
        await settle(pilot)
        assert demo.state(t[LIGHTHOUSE]).status == "listened"


async def test_redoing_several_says_up_to_the_newest_it_put_back(demo: Library) -> None:
    # enter on the top undone change redid three, and the notice said "redid 3 changes,
    # down to: …" naming the newest: redo climbs back up, as History's help line says
    t = ids(demo)
    for title in (BREAD, LIGHTHOUSE, PAPER):
        demo.queue_add([t[title]])
    demo.undo(3)
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("4")
        await settle(pilot)
        app.screen.query_one(HistoryList).move_to(0)
        await pilot.press("enter")
        await settle(pilot)
        assert len(demo.queue()) == 3
        assert await until(pilot, lambda: any(f"redid 3 changes, up to: queued “{PAPER}”" in text
                                              for text in toasts(app)))
        await pilot.press("u", "u")
        assert await until(pilot, lambda: any(f"undid: queued “{LIGHTHOUSE}”" in text for text in toasts(app)))


async def test_enter_pressed_twice_in_a_burst_asks_once_and_undoes_once(demo: Library) -> None:
    # enter, enter in one burst (a held key, a busy app): each posted its own "undo down to
    # here" before the question opened, so two stood stacked, and a second y undid as many again
    t = ids(demo)
    for title in (BREAD, LIGHTHOUSE):
        demo.queue_add([t[title]])
        demo.mark([t[title]], listened=True)
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await settle(pilot)
        await burst(pilot, ["down", "enter", "enter"])
        await settle(pilot)
        assert [type(s) for s in app.screen_stack] == [HistoryScreen, ConfirmScreen]
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert len(demo.history(10)) == 2
        await pilot.press("1", "a")
        await settle(pilot)
        await pilot.press("tab", "tab")  # the queue: C, C asks once too
        await burst(pilot, ["C", "C"])
        assert [type(s) for s in app.screen_stack] == [LibraryScreen, ConfirmScreen]


@pytest.mark.parametrize("undone", [0, 2])
async def test_enter_twice_on_one_change_does_it_once_and_blames_no_other_tracker(demo: Library, undone: int) -> None:
    """enter, enter in a burst on the newest change (or on an undone one): the first undid
    (redid) it, the second said "the history changed meanwhile (another tracker wrote):
    nothing was undone", when no other tracker had written anything."""
    t = ids(demo)
    for title in (BREAD, LIGHTHOUSE, PAPER):
        demo.queue_add([t[title]])
    if undone:
        demo.undo(undone)
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("4")
        await settle(pilot)
        if undone:
            app.screen.query_one(HistoryList).move_to(1)  # the older undone change: redo up to it
        await burst(pilot, ["enter", "enter"])
        await settle(pilot)
        said = " ".join(toasts(app))
        assert "another tracker" not in said, said
        assert len(demo.redoable()) == (1 if not undone else undone - 1)


async def test_ctrl_r_redoes_in_the_library(demo: Library) -> None:
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert demo.queue() == []
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert len(demo.queue()) == 1


# -- listened, mark new, go to -------------------------------------------------------------------
async def test_listened_off_restores_progress_and_mark_new_asks_and_clears(demo: Library) -> None:
    eid = ids(demo)[LIGHTHOUSE]
    demo.report_progress(eid, 20 * 60)
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await settle(pilot)
        assert demo.state(eid).status == "listened"
        await pilot.press("space")  # off again: the 20 minutes come back
        await settle(pilot)
        assert demo.state(eid).status == "in_progress" and demo.resume(eid).position_s == 20 * 60
        await pilot.press("N")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert demo.state(eid).status == "in_progress"
        await pilot.press("N", "y")
        await settle(pilot)
        assert demo.state(eid).status == "new" and demo.resume(eid).position_s == 0
        await pilot.press("N")  # new already: nothing to ask (the CLI says "is already new")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        assert any("is already new" in str(n.message) for n in app._notifications)


async def test_g_takes_a_time_or_a_chapter_and_says_what_is_wrong(demo: Library) -> None:
    eid = ids(demo)[LIGHTHOUSE]
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g")
        assert isinstance(app.screen, GotoScreen)
        await paste(pilot, "12:30")
        await pilot.press("enter")
        await settle(pilot)
        assert demo.resume(eid).position_s == 12 * 60 + 30
        await pilot.press("g")
        await paste(pilot, "ch9")
        await pilot.press("enter")
        assert isinstance(app.screen, GotoScreen)  # stays open and says why
        assert "chapters 1 to 5" in plain(app.screen.query_one("#why"))
        await pilot.press("ctrl+u")
        await paste(pilot, "ch4")
        await pilot.press("enter")
        await settle(pilot)
        assert demo.resume(eid).position_s == 31 * 60 + 40


async def test_nudges_move_the_position_back_10_and_ahead_30(demo: Library) -> None:
    eid = ids(demo)[LIGHTHOUSE]
    demo.report_progress(eid, 10 * 60)
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("plus")
        await settle(pilot)
        assert demo.resume(eid).position_s == 10 * 60 + 30
        await pilot.press("minus")
        await settle(pilot)
        assert demo.resume(eid).position_s == 10 * 60 + 20


def test_go_to_a_position_with_digits_int_refuses_says_how_to_type_one() -> None:
    # "ch²": a superscript two passes str.isdigit() but not int(); the reason shown was int()'s own
    episode = Episode("e1", "s1", "Show", "Episode", None, 600.0)
    with pytest.raises(ValueError, match="type a time"):
        parse_position("ch\u00b2", episode)


def test_go_to_a_chapter_number_too_long_for_int_says_which_chapters_there_are() -> None:
    # "ch" and 5,000 nines (a paste gone wrong): int() refuses over 4,300 digits, and its own
    # reason ("use sys.set_int_max_str_digits()") was what the box showed
    episode = Episode("e1", "s1", "Show", "Episode", None, 600.0,
                      chapters=(Chapter(1, "One", 0.0, 300.0), Chapter(2, "Two", 300.0, None)))
    with pytest.raises(ValueError, match="chapters 1 to 2"):
        parse_position("ch" + "9" * 5000, episode)


@pytest.mark.parametrize("keys", [("4",), ("u",), ("ctrl+r",), ("i",)])
async def test_while_a_question_is_open_the_app_keys_wait(demo: Library, keys: tuple[str, ...]) -> None:
    # "Mark every episode shown listened?" is open: "4" switched to History under it, and
    # "u" undid the previous change, both without an answer to the question
    demo.report_progress(next(iter(demo.episodes())), 60)
    revision = demo.revision()
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("M", *keys)  # (one burst: the question opens while the keys wait)
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and app.current_mode == "library"
        assert demo.revision() == revision  # nothing undone, redone or imported
        await pilot.press("n")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)


async def test_undo_down_to_here_undoes_nothing_when_another_tracker_changed_history_meanwhile(demo: Library) -> None:
    # "Undo the 2 newest changes, down to “queued …”?" stood open while another tracker
    # (a CLI command, a phone's sync) recorded a change: y undid that change, which the
    # question never named, and the newer of the two, and left the one chosen in place
    t = ids(demo)
    demo.queue_add([t[BREAD]])
    demo.mark([t[LIGHTHOUSE]], listened=True)
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("4")
        await settle(pilot)
        app.screen.query_one(HistoryList).move_to(1)
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmScreen)
        demo.report_progress(t[PAPER], 60)  # another tracker, while the question is open
        await pilot.press("y")
        await settle(pilot)
        assert [a.summary for a in demo.history(10)][0] == f"“{PAPER}”: listened up to 1:00"
        assert demo.queue() and demo.state(t[LIGHTHOUSE]).status == "listened"
        assert await until(pilot, lambda: any("history changed" in text for text in toasts(app)))
        history = app.screen.query_one(HistoryList)
        history.move_to(2)  # asked again on the list as it is now: all three go
        await pilot.press("enter", "y")
        await settle(pilot)
        assert demo.history(10) == [] and demo.state(t[PAPER]).status == "new"
        demo.redo(1)  # another tracker puts the queueing back; the list still shows it undone
        history.move_to(1)  # redo up to the marking: from the queueing, which is done already
        await pilot.press("enter")
        await settle(pilot)
        assert demo.state(t[PAPER]).status == "new" and demo.state(t[LIGHTHOUSE]).status == "new"


async def test_stats_move_to_the_new_day_after_midnight(demo: Library) -> None:
    # counted before midnight and shown again after it, the screen said yesterday's time
    # was heard today, its plots ending on yesterday, until something changed in the library
    demo.report_progress(ids(demo)[LIGHTHOUSE], 20 * 60)
    app = make_app(demo.folder)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen) and screen.numbers is not None
        today = screen.numbers.today
        yesterday = (date.fromisoformat(today) - timedelta(days=1)).isoformat()
        # what a count made yesterday holds: today's listening is not in it
        screen.show(replace(screen.numbers, today=yesterday, heard_today_s=0, heard_all_s=0))
        screen.numbers = replace(screen.numbers, today=yesterday)
        assert "Heard today 0 min" in plain(screen.query_one("#stats-summary"))
        await pilot.press("1", "3")
        await settle(pilot)
        assert screen.numbers.today == today
        assert "Heard today 20 min" in plain(screen.query_one("#stats-summary"))


async def test_stats_name_a_cjk_show_whole(demo: Library, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # its name's column was sized by characters, not cells: "深夜ラジオの時間" (8 characters,
    # 16 cells) was cut to "深夜ラ…" though the screen had room for all of it
    from tests import feeds

    name = "深夜ラジオの時間"
    (tmp_path / "a.xml").write_bytes(feeds.rss(
        "<item><title>One</title><guid>cjk-1</guid><itunes:duration>30:00</itunes:duration></item>", title=name))
    import_sources(demo, [str(tmp_path / "a.xml")])
    one = next(eid for eid, d in demo.listings().items() if d["title"] == "One")
    demo.report_progress(one, 20 * 60)
    app = make_app(demo.folder)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        assert await until(pilot, lambda: name in plain(app.screen.query_one("#shows-bars")))


async def test_stats_count_days_with_listening_as_the_streak_does(demo: Library) -> None:
    # 30 s heard today made a streak of 1 day, yet the 30-day panel said "0 days with
    # listening": it counted only days of a minute or more
    demo.report_progress(ids(demo)[LIGHTHOUSE], 30)
    app = make_app(demo.folder)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        assert await until(pilot, lambda: "Streak 1 day" in plain(app.screen.query_one("#stats-summary")))
        assert "1 day with listening" in plain(app.screen.query_one("#numbers-days"))


async def test_the_library_shows_publication_dates_in_local_time(demo: Library,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # the demo's newest episode is out on 3 March 2025 at 07:00 UTC: 2 March, 23:00 in
    # California, where the list and the detail said 2025-03-03 (the UTC date)
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    try:
        app = make_app(demo.folder)
        async with app.run_test(size=(160, 40)) as pilot:
            await settle(pilot)
            assert "2025-03-02" in row(app.query_one(EpisodeList), 0)
            assert " · 2025-03-02 · " in plain(app.query_one("#detail-meta"))
    finally:
        monkeypatch.undo()
        time.tzset()


async def test_the_history_cursor_stays_on_its_change_when_another_tracker_records_one(demo: Library) -> None:
    """The cursor kept its row number: a change recorded elsewhere (a CLI command, a sync)
    moved the list under it, so enter on the newest change undid the new one instead, at
    once and without asking."""
    t = ids(demo)
    demo.queue_add([t[BREAD]])
    demo.mark([t[LIGHTHOUSE]], listened=True)
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await settle(pilot)
        history = app.screen.query_one(HistoryList)
        assert history.current is not None and "Lighthouse" in history.current.summary
        demo.report_progress(t[PAPER], 60)  # another tracker
        app.check_outside_changes()
        await settle(pilot)
        assert history.count == 3 and "Lighthouse" in history.current.summary
        history.move_to(2)  # the queueing
        demo.report_progress(t[PAPER], 120)
        app.check_outside_changes()
        await settle(pilot)
        assert history.current is not None and history.current.summary.startswith("queued")
        await pilot.press("u")  # undo the newest: the list changes under the cursor by our own hand
        await settle(pilot)
        assert history.current is not None and history.current.summary.startswith("queued")


async def test_an_empty_list_offers_no_enter_that_does_nothing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """An empty library: Shows' footer offered "⏎ Episodes" and "r Refresh", History's
    "⏎ Undo to here", and none of them did anything (no show, no change to undo)."""
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=(200, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "Episodes" not in footer and "r Refresh " not in footer, footer
        assert "R Refresh all" in footer  # (it says there is nothing to fetch)
        await pilot.press("4")
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "Undo to here" not in footer and "Redo up to here" not in footer, footer


async def test_esc_back_to_every_show_keeps_the_cursor_on_its_episode(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """esc after a show's enter listed every show again with the cursor on the first row,
    off the show's episode the user was on."""
    library = Library(tmp_path / "lib")
    for n, title in enumerate(("Alpha", "Beta", "Gamma")):
        feed = tiny_feed(title, f"g{n}").replace(b"<guid>", f"<pubDate>Mon, 0{3 + n} Mar 2025 07:00:00 +0000</pubDate><guid>".encode())
        (tmp_path / f"{n}.xml").write_bytes(feed)
        import_sources(library, [str(tmp_path / f"{n}.xml")])
    app = make_app(library.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        assert app.screen.query_one(ShowList).shows[0].title == "Alpha"  # the oldest episode: the last row
        await pilot.press("enter")
        await settle(pilot)
        episodes = app.query_one(EpisodeList)
        chosen = episodes.current_id
        assert episodes.count == 1 and chosen is not None
        await pilot.press("escape")  # every show again
        await settle(pilot)
        assert episodes.count == 3
        assert episodes.current_id == chosen and episodes.cursor == 2


async def test_shows_and_history_of_an_empty_library_offer_no_key_that_does_nothing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """With no show, Shows said 'enter: its episodes · r: refresh'; with no change, History
    said 'u undoes the newest · enter: undo down to here': keys with nothing to act on."""
    app = make_app(Library(tmp_path / "lib").folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        said = plain(app.screen.query_one("#shows-status"))
        assert said.startswith("No shows yet · i: import") and "enter" not in said and "refresh" not in said
        await pilot.press("4")
        await settle(pilot)
        title = plain(app.screen.query_one("#history-title"))
        assert title == "History · no changes yet"


async def test_stats_on_a_40_column_terminal_stack_the_numbers_under_each_plot(demo: Library) -> None:
    # the numbers' 30 columns beside each plot left it 10: bars with no title saying what
    # they count, and each show's name broken over four lines beside a one-cell bar
    demo.report_progress(ids(demo)[LIGHTHOUSE], 20 * 60)
    app = make_app(demo.folder)
    async with app.run_test(size=(40, 120)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        assert await until(pilot, lambda: "30 days:" in screen_text(app))
        await pilot.pause()
        text = screen_text(app)
        assert "Heard per day" in text and "Heard per week" in text
        assert all(plot.size.width >= 36 for plot in app.screen.query("PlotextPlot"))
        slow = [line for line in screen_text(app).splitlines() if "The Slow Radio" in line]
        assert len(slow) == 1 and slow[0].endswith("20 min"), slow  # its name, bar and time on one line


async def test_stats_say_under_a_minute_for_a_few_seconds_heard(demo: Library) -> None:
    # 20 s heard today: "Streak 1 day" beside "Heard today 0 min", the day listed as "0 min"
    # like every day with nothing heard, and the show's bar full beside "0 min"
    demo.report_progress(ids(demo)[LIGHTHOUSE], 20)
    app = make_app(demo.folder)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        assert await until(pilot, lambda: "Streak 1 day" in plain(app.screen.query_one("#stats-summary")))
        assert "Heard today <1 min" in plain(app.screen.query_one("#stats-summary"))
        screen = app.screen
        assert isinstance(screen, StatsScreen) and screen.numbers is not None
        today = screen.numbers.today[5:]
        assert f"{today}  <1 min" in plain(app.screen.query_one("#numbers-days"))
        assert "<1 min" in plain(app.screen.query_one("#shows-bars"))


async def test_stats_follow_a_refresh_that_renames_a_show(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # a refresh that renames a show changes the catalog only: the screen went on naming the
    # show by its old title until the next listening change
    from tests import feeds

    library = Library(tmp_path / "lib")
    feed = tmp_path / "a.xml"
    item = "<item><title>One</title><guid>r-1</guid><itunes:duration>30:00</itunes:duration></item>"
    feed.write_bytes(feeds.rss(item, title="Old Name"))
    import_sources(library, [str(feed)])
    library.report_progress(next(iter(library.listings())), 10 * 60)
    app = make_app(library.folder)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        assert await until(pilot, lambda: "Old Name" in plain(app.screen.query_one("#shows-bars")))
        feed.write_bytes(feeds.rss(item, title="New Name"))
        import_sources(library, [str(feed)])  # another tracker refreshes it
        app.check_outside_changes()
        await settle(pilot)
        bars = plain(app.screen.query_one("#shows-bars"))
        assert "New Name" in bars and "Old Name" not in bars


async def test_a_stats_count_overtaken_by_a_newer_one_does_not_show_its_older_numbers(
        demo: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each change starts a count in a thread and cancels the one running, but a thread runs
    on: the older count, ending last, posted numbers without the newer change."""
    import threading

    from tracker.tui.screens import stats as stats_module

    gate = threading.Event()
    real_stats = stats_module.stats
    calls = []

    def held_first(library: Library):  # type: ignore[no-untyped-def]
        calls.append(1)
        numbers = real_stats(library)
        if len(calls) == 2:  # the count the change below starts (the first is the screen's own)
            gate.wait(5)
        return numbers

    app = make_app(demo.folder)
    async with app.run_test(size=(160, 50)) as pilot:
        monkeypatch.setattr(stats_module, "stats", held_first)
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        screen.count()  # a count that will end late, holding the numbers of now (nothing heard)
        assert await until(pilot, lambda: len(calls) == 2)
        demo.report_progress(ids(demo)[LIGHTHOUSE], 20 * 60)
        screen.count()  # the newer count, as a change in the library starts one
        assert await until(pilot, lambda: "Heard today 20 min" in plain(screen.query_one("#stats-summary")))
        gate.set()  # the older count ends now
        await settle(pilot)
        assert "Heard today 20 min" in plain(screen.query_one("#stats-summary"))
