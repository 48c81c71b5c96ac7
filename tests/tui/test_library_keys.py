"""Every action of the Library screen, from the keyboard, as a user would."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.model.library import Library
from tracker.model.search import Search
from tracker.tui.run import make_app
from tracker.tui.view import CatalogView
from tracker.tui.screens.confirm import ConfirmScreen
from tracker.tui.screens.import_source import ImportScreen
from tracker.tui.widgets.chapter_list import ChapterList
from tracker.tui.widgets.episode_list import EpisodeList
from tracker.tui.widgets.queue_list import QueueList
from tracker.tui.widgets.status_line import StatusLine
from tracker.tui.widgets.welcome import Welcome

from .conftest import ids, paste, plain, row, screen_text, settle, toasts, until

SIZE = (160, 24)  # wide enough for every title; short: fewer lines to draw
LIGHTHOUSE = "How a Lighthouse Keeps Time"  # newest: the first row
BREAD = "The Secret Life of Bread Starters"
TRAINS = "Why Trains Run on Time (Mostly)"
MAPS = "Paper Maps in a Phone World"


def status_of(library: Library, title: str) -> str:
    return library.state(ids(library)[title]).status


async def test_first_screen_lists_the_catalog_newest_first(demo: Library) -> None:
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        episodes = app.query_one(EpisodeList)
        assert episodes.count == 6
        assert LIGHTHOUSE in row(episodes, 0) and "48:20" in row(episodes, 0)
        assert "6 episodes" in plain(app.query_one(StatusLine))
        assert plain(app.query_one("#detail-title")) == LIGHTHOUSE
        assert "Clockwork lenses" in plain(app.query_one("#detail-description"))


async def test_space_toggles_listened(demo: Library) -> None:
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await settle(pilot)
        assert status_of(demo, LIGHTHOUSE) == "listened"
        assert row(app.query_one(EpisodeList), 0).startswith("●")
        await pilot.press("space")
        await settle(pilot)
        assert status_of(demo, LIGHTHOUSE) == "new"


async def test_a_queues_at_the_end_and_n_plays_next(demo: Library) -> None:
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "down", "a", "down", "n")
        await settle(pilot)
        titles = {v: k for k, v in ids(demo).items()}
        assert [titles[q.id] for q in demo.queue()] == [TRAINS, LIGHTHOUSE, BREAD]
        assert "3 episodes" in plain(app.query_one("#queue-title"))
        assert row(app.query_one(EpisodeList), 0).rstrip().endswith("Q")


async def test_chapters_done_skip_clear_and_resume_here(demo: Library) -> None:
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        chapters = app.query_one(ChapterList)
        assert chapters.has_focus and chapters.count == 5
        await pilot.press("d", "down", "s", "down", "d", "c")
        await settle(pilot)
        eid = ids(demo)[LIGHTHOUSE]
        assert demo.chapter_states(eid) == ["done", "skipped", "new", "new", "new"]
        assert chapters.cursor == 2  # the cursor stayed where the keys left it
        await pilot.press("down", "enter")  # chapter 4 becomes the resume point
        await settle(pilot)
        assert demo.resume(eid).chapter == 4 and demo.resume(eid).position_s == 31 * 60 + 40
        assert "Resume: chapter 4" in plain(app.query_one("#detail-resume"))
        await pilot.press("escape")
        assert app.query_one(EpisodeList).has_focus


async def test_enter_on_a_done_chapter_that_cannot_play_says_resume_passes_over_it(demo: Library) -> None:
    """Without audio, enter on a done chapter said "the resume point is set to chapter 2
    instead" while resume, the queue and play went on from chapter 3 (resume passes over
    a done chapter); it now says so and how to clear it, as 'queue add --chapter' does."""
    eid = ids(demo)[LIGHTHOUSE]
    demo.mark_chapter(eid, 2, "done")
    before = demo.resume(eid)
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("enter", "down", "enter")
        await settle(pilot)
        said = " ".join(toasts(app))
        assert "chapter 2 is done" in said and "c clears it" in said, said
        assert "set to chapter 2" not in said
        assert demo.resume(eid) == before


async def test_chapters_show_heard_time_over_length(demo: Library) -> None:
    demo.report_progress(ids(demo)[LIGHTHOUSE], 20 * 60)
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        chapters = app.query_one(ChapterList)
        assert "4:30 / 4:30" in row(chapters, 0)  # chapter 1, heard whole
        assert "2:54 / 14:34" in row(chapters, 2)  # chapter 3: 17:05.5 to 31:40, heard up to 20:00


async def test_r_selects_the_resume_chapter(demo: Library) -> None:
    eid = ids(demo)[LIGHTHOUSE]
    demo.report_progress(eid, 20 * 60)
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause()
        chapters = app.query_one(ChapterList)
        assert chapters.has_focus and chapters.cursor == 2
        assert row(chapters, 2).startswith("▶")


async def test_u_undoes_the_last_change(demo: Library) -> None:
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "a", "down", "a")
        await settle(pilot)
        assert len(demo.queue()) == 1
        await pilot.press("u")
        await settle(pilot)
        assert demo.queue() == []
        await pilot.press("u")
        await settle(pilot)
        assert status_of(demo, LIGHTHOUSE) == "new"


async def test_filter_as_you_type_by_title_and_description(demo: Library) -> None:
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"bread")
        episodes = app.query_one(EpisodeList)
        assert episodes.count == 1 and BREAD in row(episodes, 0)
        await paste(pilot, "x")
        await pilot.press("ctrl+u")  # the box's own key: clear to the start
        await paste(pilot, "counterweights")  # only in a description
        assert episodes.count == 1 and "Elevators" in row(episodes, 0)
        assert "filter “counterweights”" in plain(app.query_one(StatusLine))
        await pilot.press("escape")
        await pilot.pause()
        assert episodes.count == 6 and episodes.has_focus


async def test_status_filter_and_sort_cycle(demo: Library) -> None:
    demo.mark([ids(demo)[BREAD]], listened=True)
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        episodes = app.query_one(EpisodeList)
        await pilot.press("f")  # new
        assert episodes.count == 5
        await pilot.press("f", "f")  # in progress, then listened
        assert episodes.count == 1 and BREAD in row(episodes, 0)
        await pilot.press("f", "o")  # all again; oldest first (ordered in a thread)
        await settle(pilot)
        assert episodes.count == 6 and "Welcome to Slow Radio" in row(episodes, 0)
        await pilot.press("o")  # shortest first
        await settle(pilot)
        assert "12:00" in row(episodes, 0)
        await pilot.press("o")  # by title
        await settle(pilot)
        assert LIGHTHOUSE in row(episodes, 0) and "Why Trains" in row(episodes, 5)


async def test_the_detail_follows_the_row_a_filter_puts_under_the_cursor(demo: Library) -> None:
    """The detail pane once kept the episode shown before the filter or the status changed
    the rows: it described one episode while space marked another."""
    demo.mark([ids(demo)[BREAD]], listened=True)
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert plain(app.query_one("#detail-title")) == LIGHTHOUSE
        await pilot.press("slash", *"maps")
        await settle(pilot)
        assert plain(app.query_one("#detail-title")) == MAPS
        await pilot.press("escape", "f", "f", "f")  # listened only
        await settle(pilot)
        assert plain(app.query_one("#detail-title")) == BREAD
        await pilot.press("f")  # all: the cursor stays on Bread, shown still
        await settle(pilot)
        assert plain(app.query_one("#detail-title")) == BREAD
        await pilot.press("f", "f")  # in progress: none
        await settle(pilot)
        assert "Nothing matches" in plain(app.query_one("#detail-title"))


async def test_the_status_line_says_what_is_shown_before_it_is_cut(demo: Library) -> None:
    """At 100 to 140 columns the catalog's status line is cut: the status, filter and sort
    came after the library's counts and were cut off, so f changed the list and nothing
    on screen said to what."""
    demo.mark([ids(demo)[BREAD]], listened=True)
    app = make_app(demo.folder)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.press("f", "f", "f")  # listened only
        await settle(pilot)
        line = next(line for line in screen_text(app).splitlines() if "episodes" in line)
        assert "1 of 6 episodes · showing listened ·" in line


async def test_queue_reorder_and_remove_from_the_keyboard(demo: Library) -> None:
    t = ids(demo)
    demo.queue_add([t[LIGHTHOUSE], t[BREAD], t[MAPS]])
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")  # no chapters shown yet? the lighthouse has: chapters, then queue
        await pilot.press("tab")
        assert app.query_one(QueueList).has_focus
        await pilot.press("J")  # Lighthouse down
        await settle(pilot)
        assert [e.id for e in demo.queue()] == [t[BREAD], t[LIGHTHOUSE], t[MAPS]]
        await pilot.press("down", "t")  # Paper Maps to the top
        await settle(pilot)
        assert demo.queue()[0].id == t[MAPS]
        await pilot.press("x")
        await settle(pilot)
        assert len(demo.queue()) == 2


async def test_keys_in_the_queue_act_on_the_queue_entry(demo: Library) -> None:
    t = ids(demo)
    demo.queue_add([t[MAPS], t[TRAINS], t[BREAD]])
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.query_one(QueueList).focus()
        await pilot.press("down")  # Trains, while the catalog's cursor stays on Lighthouse
        await pilot.pause()
        assert plain(app.query_one("#detail-title")) == TRAINS  # the detail follows the queue
        await pilot.press("n")  # play next: Trains to the top, not Lighthouse queued
        await settle(pilot)
        assert [e.id for e in demo.queue()] == [t[TRAINS], t[MAPS], t[BREAD]]
        assert app.query_one(QueueList).current_id == t[TRAINS]  # the cursor went with it
        await pilot.press("enter")  # the highlighted entry's chapters
        await pilot.pause()
        chapters = app.query_one(ChapterList)
        assert chapters.has_focus and chapters.episode_id == t[TRAINS]
        await pilot.press("tab", "down", "down", "space")  # back in the queue, on Bread
        await settle(pilot)
        assert status_of(demo, BREAD) == "listened" and status_of(demo, LIGHTHOUSE) == "new"


async def test_clearing_the_queue_asks_first(demo: Library) -> None:
    t = ids(demo)
    demo.queue_add([t[LIGHTHOUSE], t[BREAD]])
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        app.query_one(QueueList).focus()
        await pilot.press("C")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert len(demo.queue()) == 2
        await pilot.press("C")
        await pilot.press("y")
        await settle(pilot)
        assert demo.queue() == []


async def test_queueing_a_queued_episode_says_so_as_the_cli_does(demo: Library) -> None:
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("a")
        assert await until(pilot, lambda: any(f"“{LIGHTHOUSE}” is already queued" in m for m in toasts(app))), \
            toasts(app)
        assert not any("nothing changed" in m for m in toasts(app))
        assert [e.id for e in demo.queue()].count(ids(demo)[LIGHTHOUSE]) == 1


async def test_mark_one_filtered_episode_asks_in_the_singular(demo: Library) -> None:
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"starters", "enter")
        await pilot.pause()
        assert len(app.main.view.rows) == 1
        await pilot.press("M")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Mark 1 episode listened?" in plain(app.screen.query_one(".question"))
        await pilot.press("escape")


async def test_mark_every_filtered_episode_listened_asks_first(demo: Library) -> None:
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"time", "enter")  # titles and descriptions with "time"
        await pilot.pause()
        shown = set(app.main.view.rows)
        assert 1 < len(shown) < 6
        await pilot.press("M")
        assert isinstance(app.screen, ConfirmScreen)
        assert f"Mark {len(shown)} episodes listened?" in plain(app.screen.query_one(".question"))
        await pilot.press("escape")
        await settle(pilot)
        assert all(status_of(demo, title) == "new" for title in ids(demo))
        await pilot.press("M")
        await pilot.click("#yes")
        await settle(pilot)
        listened = {eid for eid in demo.listings() if demo.state(eid).status == "listened"}
        assert listened == shown


async def test_import_runs_in_a_worker_and_the_list_grows(tmp_path: Path) -> None:
    from tests import feeds

    (tmp_path / "a.xml").write_bytes(feeds.ATOM)
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        assert app.query_one(Welcome).display
        await pilot.press("i")
        await paste(pilot, str(tmp_path / "a.xml"))
        await pilot.press("enter")
        await settle(pilot)
        episodes = app.query_one(EpisodeList)
        assert await until(pilot, lambda: episodes.count == 2)
        assert not app.query_one(Welcome).display
        assert "Half-lives" in row(episodes, 1) or "Half-lives" in row(episodes, 0)


async def test_a_pasted_show_page_is_imported_in_a_child_process(tmp_path: Path) -> None:
    page = (Path(__file__).parents[1] / "data" / "show-page.txt").read_text()
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await paste(pilot, page)  # many lines: kept whole, not cut to the first
        await pilot.press("enter")
        await settle(pilot)
        episodes = app.query_one(EpisodeList)
        assert await until(pilot, lambda: episodes.count > 1)
        assert not app.query_one(Welcome).display


async def test_a_show_page_pasted_with_carriage_returns_is_kept_whole(tmp_path: Path) -> None:
    """iTerm2 and other terminals send a paste's line breaks as "\r": the dialog saw one
    line, and Input kept its first (the show's name), "no such file"."""
    page = (Path(__file__).parents[1] / "data" / "show-page.txt").read_text()
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await paste(pilot, page.replace("\n", "\r"))
        await pilot.press("enter")
        await settle(pilot)
        episodes = app.query_one(EpisodeList)
        assert await until(pilot, lambda: episodes.count == 10)


async def test_a_failed_import_says_why_and_the_app_goes_on(tmp_path: Path) -> None:
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("i")
        await paste(pilot, str(tmp_path / "missing.xml"))
        await pilot.press("enter")
        await settle(pilot)
        assert await until(pilot, lambda: any("no such file" in m for m in toasts(app))), toasts(app)
        assert app.is_running


async def test_changes_made_elsewhere_appear(demo: Library) -> None:
    app = make_app(demo.folder, watch_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        other = Library(demo.folder)  # another process's view of the same library
        other.mark([ids(other)[LIGHTHOUSE]], listened=True)
        other.queue_add([ids(other)[BREAD]])
        episodes = app.query_one(EpisodeList)
        assert await until(pilot, lambda: row(episodes, 0).startswith("●") and bool(app.main.view.queue_ids))
        assert "1 episode" in plain(app.query_one("#queue-title"))


async def test_empty_library_welcomes(tmp_path: Path) -> None:
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.query_one(Welcome).display and not app.query_one(EpisodeList).display
        assert "import" in plain(app.query_one(Welcome))
        await pilot.press("space", "a", "r", "enter", "g")  # nothing selected: no crash
        assert app.is_running


async def test_enter_right_after_a_cursor_move_opens_that_episodes_chapters(demo: Library, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tracker.tui.screens.library import LibraryScreen

    monkeypatch.setattr(LibraryScreen, "DETAIL_DELAY_S", 5.0)  # the pane has not caught up yet
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter")
        chapters = app.query_one(ChapterList)
        assert chapters.has_focus and chapters.count == 5
        assert chapters.chapters[0]["title"] == "Feeding the jar"  # the bread episode's, not the first's


async def test_episodes_imported_elsewhere_appear_and_their_descriptions_are_searchable(tmp_path: Path) -> None:
    from tests import feeds
    from tracker.importers.service import import_sources

    (tmp_path / "a.xml").write_bytes(feeds.ATOM)
    library = Library(tmp_path / "lib")
    app = make_app(library.folder, watch_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        import_sources(Library(library.folder), [str(tmp_path / "a.xml")])  # a CLI import, say
        episodes = app.query_one(EpisodeList)
        assert await until(pilot, lambda: episodes.count == 2)
        await settle(pilot)
        await pilot.press("slash", *"decay")  # only in a description
        assert episodes.count == 1 and "Half-lives" in row(episodes, 0)
        assert "descriptions loading" not in plain(app.query_one(StatusLine))


async def test_chapters_a_refresh_elsewhere_renamed_show_without_moving_the_cursor(tmp_path: Path) -> None:
    # the feed renamed a chapter and another tracker (or this one's own refresh) fetched it:
    # only the episode's details file changed, which the watch did not look at, so the
    # detail pane showed the old chapter titles until the cursor moved away and back
    from tracker.importers.service import import_sources

    feed = tmp_path / "show.xml"
    demo = (Path(__file__).resolve().parents[2] / "tracker" / "demo" / "sample-show.xml").read_text()
    feed.write_text(demo)
    library = Library(tmp_path / "lib")
    import_sources(library, [str(feed)], remote_chapters=False)
    app = make_app(library.folder, watch_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Cold open: a night on the rock" in screen_text(app)
        feed.write_text(demo.replace("Cold open: a night on the rock", "A renamed first chapter"))
        import_sources(Library(library.folder), [str(feed)], remote_chapters=False)
        assert await until(pilot, lambda: "A renamed first chapter" in screen_text(app), deadline_s=3)


async def test_a_chapter_key_marks_the_chapter_shown_even_if_a_refresh_renumbered_them(demo: Library) -> None:
    # The feed gained a chapter before the one under the cursor (another tracker's refresh)
    # and the screen had not caught up: `d` marked chapter 3 of the new list, a chapter
    # the user never pointed at, instead of the one its row showed.
    from tracker.model.catalog import merge_show

    eid = ids(demo)[LIGHTHOUSE]
    app = make_app(demo.folder, watch_interval=3600)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "down", "down")
        chapters = app.query_one(ChapterList)
        assert chapters.current is not None and chapters.current["title"] == "Fog signals, from cannon to horn"
        doc = demo.episode_doc(eid)
        assert doc is not None
        doc["chapters"][1:1] = [{"title": "A new ad break", "start_s": 200, "end_s": 270}]
        doc["chapters"][0]["end_s"] = 200
        merge_show(Library(demo.folder), doc["show_id"], {}, {eid: doc}, {eid: ""})
        await pilot.press("d")
        await settle(pilot)
        assert demo.chapter_states(eid) == ["new", "new", "new", "done", "new", "new"]


async def test_mark_every_filtered_episode_while_the_filter_still_counts_takes_them_all(
        demo: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    """M pressed while the filter was still counting (a large library: "41+ of 100,000
    episodes (counting…)") asked to mark, and marked, only the matches found so far."""
    monkeypatch.setattr(Search, "CHUNK", 1)  # scan steps of one row: the demo's six rows count as 100k do
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.main.view
        full = CatalogView(demo)
        full.load()
        full.set_search("the")
        view.set_search("the", first=1)  # as a keystroke leaves it: the first match, the rest pending
        assert view.pending is not None and len(full.rows) > 1
        app.main.action_mark_filtered()
        await pilot.pause()
        assert f"Mark {len(full.rows)} episodes listened?" in plain(app.screen.query_one(".question"))
        await pilot.click("#yes")
        await settle(pilot)
        assert {eid for eid in demo.listings() if demo.state(eid).status == "listened"} == set(full.rows)


async def test_pasted_text_that_is_no_show_page_is_named_as_pasted_and_a_typed_dash_is_refused(
        tmp_path: Path) -> None:
    """A paste that was no show page failed as "-: unrecognised format", a source the user
    never typed; "-" typed read the TUI's standard input (nothing) and said "-: the
    source is empty"."""
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("i")
        await pilot.pause()
        await paste(pilot, "line one\nline two\nnot a show page")
        await pilot.press("enter")
        await settle(pilot)
        assert await until(pilot, lambda: any(m.startswith("the pasted text: unrecognised format")
                                              for m in toasts(app))), toasts(app)
        assert not [m for m in toasts(app) if m.startswith("-:")]
        await pilot.press("i")
        await pilot.pause()
        await paste(pilot, "-")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        assert "paste" in plain(app.screen.query_one("#why"))


async def test_mark_all_with_nothing_shown_does_not_say_everything_shown_is_listened(demo: Library) -> None:
    """M after a filter that matches nothing said 'every episode shown is already listened'."""
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"zzzqqq", "enter")
        await settle(pilot)
        assert app.main.view.rows == []
        await pilot.press("M")
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert said == ["no episode is shown: nothing to mark"]
        assert not isinstance(app.screen, ConfirmScreen)


async def test_status_filter_keeps_the_cursor_on_its_episode(listening: Library) -> None:
    """f (show new only) put the cursor back on the first row, off the new episode it was on."""
    app = make_app(listening.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        episodes = app.query_one(EpisodeList)
        await pilot.press("down", "down", "down")
        assert episodes.current_id == ids(listening)[MAPS]
        await pilot.press("f")  # new only: Paper Maps is new, still shown
        await settle(pilot)
        assert app.main.view.selection.status == "new"
        assert episodes.current_id == ids(listening)[MAPS]
        await pilot.press("f")  # in progress only: Paper Maps is gone, the top row it is
        await settle(pilot)
        assert episodes.cursor == 0


async def test_clearing_the_filter_keeps_the_cursor_on_the_episode_it_found(demo: Library) -> None:
    """esc in the filter box put the cursor on the first row of the whole list, off the
    episode the filter had found (space then marked another one)."""
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        episodes = app.query_one(EpisodeList)
        await pilot.press("slash", *"maps")
        await settle(pilot)
        assert episodes.current_id == ids(demo)[MAPS]
        await pilot.press("escape")
        await settle(pilot)
        assert app.main.view.selection.search is None and episodes.count == 6
        assert episodes.current_id == ids(demo)[MAPS]
        assert plain(app.query_one("#detail-title")) == MAPS


async def test_the_empty_queue_focused_does_not_blame_a_filter(demo: Library) -> None:
    """x on the queue's last entry left the detail saying 'Nothing matches the filter.'
    with no filter on: the queue was empty."""
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "a")
        await settle(pilot)
        await pilot.press("tab", "tab")
        assert isinstance(app.focused, QueueList)
        await pilot.press("x")
        await settle(pilot)
        assert demo.queue() == []
        assert plain(app.query_one("#detail-title")) == "The queue is empty."


async def test_an_empty_queue_offers_no_move_or_remove(demo: Library) -> None:
    """The empty queue's footer offered 'K Move up J Move down t To top x Remove', keys that
    did nothing there and said nothing; they are offered again once an entry is queued."""
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "tab", "tab")
        assert isinstance(app.focused, QueueList)
        footer = screen_text(app).splitlines()[-1]
        assert "Move up" not in footer and "Remove" not in footer
        await pilot.press("escape", "a", "tab", "tab")
        await settle(pilot)
        assert isinstance(app.focused, QueueList) and app.focused.count == 1
        footer = screen_text(app).splitlines()[-1]
        assert "K Move up" in footer and "x Remove" in footer


async def test_tab_right_after_a_move_onto_an_episode_without_chapters_keeps_a_focus(
        demo: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    """down then tab before the detail pane caught up (it follows once keys pause): tab
    went by the chapters of the row left and focused the hidden chapter list of one that
    has none, so no pane had the keys and the arrows did nothing."""
    from tracker.tui.screens.library import LibraryScreen

    monkeypatch.setattr(LibraryScreen, "DETAIL_DELAY_S", 60.0)  # the detail waits: as in a burst
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main.detail_now()
        await pilot.press("down", "down")  # Trains: chapters
        app.main.detail_now()
        await pilot.press("down", "tab")  # Paper Maps: none
        await settle(pilot)
        assert app.query_one(EpisodeList).current_id == ids(demo)[MAPS]
        assert isinstance(app.focused, QueueList)  # past the chapters it has not
        await pilot.press("escape", "down")
        assert app.query_one(EpisodeList).cursor == 4


@pytest.mark.parametrize("key", ["f", "o"])
async def test_status_and_sort_under_the_chapters_at_80_columns_show_the_catalog(demo: Library, key: str) -> None:
    """At 80 columns the chapters (or the queue) cover the catalog: f and o there changed
    the catalog out of sight, and nothing on screen moved."""
    app = make_app(demo.folder)
    async with app.run_test(size=(80, 20)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        assert isinstance(app.focused, ChapterList)
        await pilot.press(key)
        await settle(pilot)
        assert app.focused is app.query_one(EpisodeList)
        said = "showing new" if key == "f" else "oldest first"
        assert said in screen_text(app)


async def test_tab_from_the_filter_box_goes_to_the_episodes_it_found(demo: Library) -> None:
    """tab typed in the filter box skipped the catalog of matches it sits above and went
    on to the chapters of the first one (at 80 columns covering the list)."""
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"time", "tab")
        await settle(pilot)
        assert app.focused is app.query_one(EpisodeList)
        assert app.main.view.selection.search == "time"
        await pilot.press("slash", "shift+tab")
        assert isinstance(app.focused, QueueList)


async def test_x_twice_in_a_burst_removes_two_queue_entries(demo: Library) -> None:
    """x x (fast, or while another tracker held the library) both aimed at the entry still
    under the cursor: one was removed and the second said it 'is not in the queue'."""
    from .conftest import burst

    queued = list(demo.listings())[:4]
    demo.queue_add(queued)
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.query_one(QueueList).focus()
        await pilot.pause()
        await burst(pilot, ["x", "x"])
        await settle(pilot)
        assert [e.id for e in demo.queue()] == queued[2:]
        assert not any("not in the queue" in n.message for n in app._notifications)
        await pilot.press("end")
        await burst(pilot, ["x", "x"])  # from the last entry: up the queue
        await settle(pilot)
        assert demo.queue() == []


async def test_o_keeps_the_cursor_on_its_episode_through_every_sort(demo: Library) -> None:
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        episodes = app.query_one(EpisodeList)
        await pilot.press("down", "down")  # Trains
        trains = ids(demo)[TRAINS]
        for words in (["Welcome", "Elevators", "Maps", "Trains", "Bread", "Lighthouse"],  # oldest first
                      ["Welcome", "Maps", "Bread", "Elevators", "Lighthouse", "Trains"],  # shortest first
                      ["Lighthouse", "Maps", "Elevators", "Bread", "Welcome", "Trains"]):  # by title
            await pilot.press("o")
            await settle(pilot)
            assert all(word in row(episodes, y) for y, word in enumerate(words))
            assert episodes.current_id == trains and "Trains" in row(episodes, episodes.cursor)
            assert plain(app.query_one("#detail-title")) == TRAINS


async def test_a_second_quick_o_wins_over_the_first_still_sorting(demo: Library,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """o computes a sort's order in a thread (at 100k episodes the screen froze up to 370 ms):
    the keys go on meanwhile, a second o goes one sort further, and the first's order, done
    late, must not replace the second's."""
    import threading

    from tracker.tui import view as view_module

    gate = threading.Event()
    real_order = view_module.order

    def slow_oldest_first(listings: dict, sort: str) -> list[str]:
        if sort == "published":
            gate.wait(5)
        return real_order(listings, sort)

    monkeypatch.setattr(view_module, "order", slow_oldest_first)
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        episodes = app.query_one(EpisodeList)
        bread = ids(demo)[BREAD]
        await pilot.press("down")
        await pilot.press("o")  # oldest first: held
        assert "oldest first (sorting…)" in plain(app.query_one(StatusLine))
        assert LIGHTHOUSE in row(episodes, 0)  # still newest first
        await pilot.press("down", "up")  # the keys still work meanwhile
        assert episodes.current_id == bread
        await pilot.press("o")  # shortest first: done at once
        assert await until(pilot, lambda: app.main.view.selection.sort == "duration")
        assert "Welcome" in row(episodes, 0) and episodes.current_id == bread and episodes.cursor == 2
        gate.set()  # the first order arrives late
        await settle(pilot)
        assert app.main.view.selection.sort == "duration" and app.main.view.sorting is None
        assert "Welcome" in row(episodes, 0) and episodes.current_id == bread
        assert "shortest first" in plain(app.query_one(StatusLine))
        await pilot.press("o", "o")  # by title, then newest first again (known: at once)
        await settle(pilot)
        assert LIGHTHOUSE in row(episodes, 0) and episodes.current_id == bread
