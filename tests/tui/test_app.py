"""The app as a whole: keys that never leak, the palette and help generated from the
bindings, a user keymap, and libraries that cannot be opened (one line, exit 1)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tracker.model.library import Library
from tracker.tui.run import make_app
from tracker.tui.screens.help import HelpScreen
from tracker.tui.widgets.chapter_list import ChapterList
from tracker.tui.widgets.episode_list import EpisodeList
from tracker.tui.widgets.filter_box import FilterBox
from tracker.tui.widgets.queue_list import QueueList

from .conftest import burst, ids, plain, screen_text, settle, toasts

SIZE = (160, 24)  # wide enough for every title; short: fewer lines to draw


async def test_a_burst_after_slash_goes_entirely_to_the_filter(demo: Library) -> None:
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await burst(pilot, ["slash", *"banana"])  # a: queue, n: play next if they leaked
        await settle(pilot)
        assert app.query_one(FilterBox).value == "banana"
        assert demo.queue() == []
        await burst(pilot, ["escape", "slash", *"zeppelin"])  # i: the import dialog if it leaked
        await settle(pilot)
        assert app.query_one(FilterBox).value == "zeppelin"
        assert app.screen is app.main


async def test_keys_after_enter_in_the_filter_in_one_burst_go_to_the_list(demo: Library) -> None:
    # "/bread", enter, a typed fast (a busy app queues them): "a" was typed into the filter
    # ("breada": nothing matched) instead of queueing the episode found
    t = ids(demo)
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await burst(pilot, ["slash", *"bread", "enter", "a"])
        await settle(pilot)
        assert app.query_one(FilterBox).value == "bread"
        assert [e.id for e in demo.queue()] == [t["The Secret Life of Bread Starters"]]


async def test_the_palette_lists_the_focused_panes_actions_and_keys_once(demo: Library) -> None:
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles.count("Keys") == 1
        assert {"Listened", "Queue", "Play next", "Filter", "Undo", "Chapters"} <= set(titles)
        await pilot.press("enter")  # into the chapters
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Done", "Skip", "Clear", "Play here"} <= set(titles)
        await pilot.press("a")  # (an empty queue offers no move or remove)
        await settle(pilot)
        app.query_one(QueueList).focus()
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Move up", "Move down", "To top", "Remove", "Clear queue"} <= set(titles)
        assert "Done" not in titles


async def test_the_palette_names_the_apps_keys_by_their_id_never_none(demo: Library) -> None:
    """The palette listed Textual's own bindings as "(ctrl+q · id None)", "Scroll Left
    (left · id None)": an id no keymap takes, quit shown as ctrl+q instead of q, and
    sideways scrolling of lists that do not scroll sideways."""
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        helps = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert not [h for h in helps.values() if "id None" in h]
        assert helps["Quit"] == "Quit tracker (q · id app.quit)"
        assert "Scroll Left" not in helps


async def test_a_palette_command_runs_its_action(demo: Library) -> None:
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"listened")
        await pilot.pause(0.3)  # the palette searches its commands in a worker
        await pilot.press("enter")
        await settle(pilot)
        assert demo.state(ids(demo)["How a Lighthouse Keeps Time"]).status == "listened"


async def test_help_lists_every_key_and_explains_the_symbols(demo: Library) -> None:
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = plain(app.screen.query_one("#help-text"))
        for word in ("Filter", "Listened", "Play next", "Done", "Skip", "Move up", "Undo", "Redo", "Import", "Quit",
                     "Go to", "m:ss or chN"):
            assert word.lower() in text.lower(), word
        for symbol, meaning in (("○", "new"), ("◐", "in progress"), ("●", "listened"), ("»", "skipped"),
                                ("▶", "resumes"), ("Q", "queue")):
            assert any(line.strip().startswith(symbol) and meaning in line for line in text.splitlines()), symbol
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_a_user_keymap_rebinds_by_id_and_help_shows_it(demo: Library) -> None:
    app = make_app(demo.folder, keymap={"episode.listened": "x"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert demo.state(ids(demo)["How a Lighthouse Keeps Time"]).status == "listened"
        await pilot.press("question_mark")
        assert any(line.split()[:1] == ["x"] and "Mark listened" in line
                   for line in plain(app.screen.query_one("#help-text")).splitlines())


async def test_the_first_screens_footer_shows_the_keys_of_the_users_keymap(demo: Library) -> None:
    """The keymap was applied once the app had mounted, too late for the first screen's
    footer: it said "space Listened" where space did nothing and x marked listened."""
    app = make_app(demo.folder, keymap={"episode.listened": "x", "app.undo": "ctrl+z,u"})
    async with app.run_test(size=(200, 24)) as pilot:
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "x Listened" in footer and "space Listened" not in footer
        assert "^z Undo" in footer


def test_a_keymap_file_with_an_unknown_id_is_refused_with_its_name(tmp_path: Path) -> None:
    import pytest

    from tracker.tui.keys import KeymapError, load_keymap

    path = tmp_path / "keymap.toml"
    path.write_text('[keymap]\n"episode.listened" = "x"\n')
    assert load_keymap(path) == {"episode.listened": "x"}
    path.write_text('[keymap]\n"episode.nope" = "x"\n')
    with pytest.raises(KeymapError, match="episode.nope"):
        load_keymap(path)
    assert load_keymap(tmp_path / "missing.toml") == {}


async def test_the_footer_keeps_help_quit_and_undo_at_every_width(demo: Library) -> None:
    for size in ((40, 12), (80, 24), (160, 40)):
        app = make_app(demo.folder)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            footer = screen_text(app).splitlines()[-1]
            for key in ("? Help", "q Quit", "u Undo", "1-4 Screens"):
                assert key in footer, (size, footer)
            assert len(footer.rstrip()) <= size[0]


async def test_one_pane_at_a_time_under_100_columns(demo: Library) -> None:
    app = make_app(demo.folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.query_one("#left").display and not app.query_one("#right").display
        await pilot.press("enter")  # the chapters open over the catalog
        await pilot.pause()
        assert app.query_one(ChapterList).has_focus
        assert app.query_one("#right").display and not app.query_one("#left").display
        await pilot.press("escape")
        await pilot.pause()
        assert app.query_one("#left").display and not app.query_one("#right").display
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        assert app.query_one("#left").display and app.query_one("#right").display


async def test_the_catalog_stays_usable_at_40_by_12(demo: Library) -> None:
    app = make_app(demo.folder)
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "How a Lighthouse" in text and "48:20" in text
        episodes = app.query_one(EpisodeList)
        assert episodes.size.height >= 5


async def test_the_queue_pane_is_as_tall_as_the_queue(demo: Library) -> None:
    t = ids(demo)
    app = make_app(demo.folder)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        queue = app.query_one(QueueList)
        assert queue.size.height == 3  # empty: three rows
        demo.queue_add(list(t.values()))
        app.check_outside_changes()
        await settle(pilot)
        assert queue.size.height == 6
        assert app.query_one("#right").size.height // 2 >= queue.size.height


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tracker", *args], capture_output=True, text=True, timeout=60)


def test_library_pointing_at_a_file_is_one_line_and_status_1(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    out = run_cli("--library", str(path))
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1 and "not a library folder" in out.stderr
    assert "Traceback" not in out.stderr


def test_a_damaged_library_with_no_backup_is_one_line_and_status_1(demo: Library) -> None:
    (demo.folder / "state.json").write_text("{garbage")
    for backup in (demo.folder / "backups").glob("*"):
        backup.unlink()
    out = run_cli("--library", str(demo.folder))
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1 and "damaged" in out.stderr


def test_without_a_terminal_the_tui_says_so_instead_of_writing_escape_codes(demo: Library) -> None:
    out = run_cli("--library", str(demo.folder))  # output captured: not a terminal
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr.count("\n") == 1 and "the TUI needs a terminal" in out.stderr


def test_with_its_input_closed_the_tui_says_it_needs_a_terminal(demo: Library) -> None:
    """``tracker <&-`` (a service, a cron job): Python has no sys.stdin at all."""
    out = subprocess.run([sys.executable, "-m", "tracker", "--library", str(demo.folder)], stdin=subprocess.DEVNULL,
                         capture_output=True, text=True, timeout=60, preexec_fn=lambda: os.close(0))
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "the TUI needs a terminal" in out.stderr


async def test_a_failed_background_reload_is_a_notice_and_the_app_goes_on(demo: Library) -> None:
    from tracker.tui.screens.library import LibraryScreen
    from tracker.tui.view import CatalogView

    from .conftest import toasts, until

    app = make_app(demo.folder, watch_interval=0.05)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)

        def damaged(view: CatalogView) -> bool:
            raise OSError("disk error (injected)")

        app.main.view.load = damaged.__get__(app.main.view)  # type: ignore[method-assign]
        Library(demo.folder).mark([ids(demo)["How a Lighthouse Keeps Time"]], listened=True)  # another process
        assert await until(pilot, lambda: any("could not read the library: disk error" in t for t in toasts(app)))
        assert app.is_running and isinstance(app.screen, LibraryScreen)


async def test_a_crash_ends_with_status_1_never_0(demo: Library) -> None:
    import pytest

    app = make_app(demo.folder)

    def boom() -> None:
        raise RuntimeError("a bug")

    with pytest.raises(RuntimeError):
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.call_later(boom)
            await pilot.pause()
    assert app.return_code == 1 and app.failure is None


async def test_the_hints_on_screen_name_the_keys_of_the_users_keymap(demo: Library, tmp_path: Path) -> None:
    """With undo on z and queueing on e, the screens still said "u undoes it", "(a: add,
    n: play next)", "enter: undo down to here": keys that did something else, or nothing."""
    keymap = {"episode.queue": "e", "episode.play_next": "w", "app.undo": "z", "app.redo": "ctrl+y",
              "catalog.open": "l", "history.undo_to": "U", "app.help": "h"}
    app = make_app(demo.folder, keymap=keymap)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "(e: add, w: play next)" in text and "a: add" not in text
        assert "l to work with them" in text
        await pilot.press("e")
        await settle(pilot)
        app.query_one(QueueList).focus()
        await pilot.press("C")  # clear the queue: asks first
        await pilot.pause()
        assert "(z undoes it)" in screen_text(app)
        await pilot.press("escape", "z", "4")
        await settle(pilot)
        title = screen_text(app).splitlines()[0]
        assert "(ctrl+y redoes)" in title  # (its only change undone: nothing for z to undo)
        await pilot.press("ctrl+y")
        await settle(pilot)
        title = screen_text(app).splitlines()[0]
        assert "z undoes the newest" in title and "U: undo down to here" in title
    empty = make_app(tmp_path / "empty", keymap=keymap)
    async with empty.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "e queues, l opens the chapters, h lists every key" in screen_text(empty)


async def test_keymap_keys_are_read_as_textual_names_them(demo: Library) -> None:
    """"Ctrl+L" and "shift+x" in keymap.toml showed in the footer and help, and the keys
    did nothing: Textual names them "ctrl+l" and "X"."""
    t = ids(demo)
    app = make_app(demo.folder, keymap={"episode.listened": "Ctrl+L", "episode.queue": "shift+e"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+l", "E")
        await settle(pilot)
        assert demo.state(t["How a Lighthouse Keeps Time"]).status == "listened"
        assert [e.id for e in demo.queue()] == []  # listened episodes leave the queue: queue the next
        await pilot.press("j", "E")
        await settle(pilot)
        assert [e.id for e in demo.queue()] == [t["The Secret Life of Bread Starters"]]
        footer = screen_text(app).splitlines()[-1]
        assert "^l Listened" in footer and "E Queue" in footer


async def test_a_keymap_key_another_action_takes_first_is_said_at_start(demo: Library) -> None:
    """Space given to "queue" (listened keeps it too), ctrl+p (Textual's palette) given to
    help: one of the two never ran, and nothing said why."""
    app = make_app(demo.folder, keymap={"episode.queue": "space", "app.help": "ctrl+p"})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        said = " ".join(toasts(app))
        assert "space is both episode.listened and episode.queue in the catalog" in said
        assert "ctrl+p is the command palette's, never app.help's" in said
    quiet = make_app(demo.folder, keymap={"episode.listened": "l", "app.quit": "ctrl+q,q", "app.undo": "ctrl+z,u"})
    async with quiet.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert not [t for t in toasts(quiet) if "keymap" in t]


async def test_the_shows_and_filter_hints_name_the_keys_of_the_users_keymap(demo: Library) -> None:
    """Shows said "enter: its episodes · r: refresh · R: refresh all" and the filter "(esc:
    clear)" whatever the keymap made of those keys."""
    keymap = {"shows.open": "o", "shows.refresh": "f5", "shows.refresh_all": "ctrl+f5", "filter.clear": "ctrl+g"}
    app = make_app(demo.folder, keymap=keymap)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "(ctrl+g: clear)" in app.query_one(FilterBox).placeholder
        await pilot.press("2")
        await settle(pilot)
        assert "o: its episodes · f5: refresh · ctrl+f5: refresh all" in screen_text(app)


async def test_a_keymap_key_that_is_no_key_name_is_said_and_the_default_kept(demo: Library) -> None:
    """"spacebar" for listened: the footer showed "spacebar Listened", space no longer
    marked listened and no key did; nothing said why."""
    t = ids(demo)
    app = make_app(demo.folder, keymap={"episode.listened": "spacebar", "episode.queue": "e, ctrl+"})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        said = " ".join(toasts(app))
        assert "'spacebar' is no key name (episode.listened keeps space)" in said
        assert "'ctrl+' is no key name (episode.queue keeps e)" in said
        await pilot.press("space", "j", "e")
        await settle(pilot)
        assert demo.state(t["How a Lighthouse Keeps Time"]).status == "listened"
        assert [e.id for e in demo.queue()] == [t["The Secret Life of Bread Starters"]]
        assert "spacebar" not in screen_text(app).splitlines()[-1]  # the footer


async def test_a_keymap_file_with_a_name_that_is_no_key_is_said(demo: Library, tmp_path: Path) -> None:
    (tmp_path / "config").mkdir(exist_ok=True)
    keymap = '[keymap]\n"episode.listened" = "spacebar"\n"episode.queue" = "Shift+E"\n'
    (tmp_path / "config" / "keymap.toml").write_text(keymap)
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert "'spacebar' is no key name (episode.listened keeps space)" in " ".join(toasts(app))
        assert app.keymap == {"episode.queue": "E"}


def test_every_default_key_is_a_key_name() -> None:
    import tracker.tui.app  # noqa: F401  (the playing keys are declared with the app)
    from tracker.tui import keys

    assert [b.key for b in keys.BY_ID.values() if not all(keys.is_key(k) for k in b.key.split(","))] == []


async def test_the_footer_names_the_screen_keys_a_keymap_gives_as_they_are(demo: Library) -> None:
    """History moved to h: the footer said "1-h Screens", a range of keys that does not exist."""
    for keymap, shown in (({"app.history": "h"}, "1/2/3/h Screens"),
                          ({"app.library": "f1", "app.shows": "f2", "app.stats": "f3", "app.history": "f4"},
                           "f1-f4 Screens"), ({}, "1-4 Screens")):
        app = make_app(demo.folder, keymap=keymap)
        async with app.run_test(size=(200, 24)) as pilot:
            await settle(pilot)
            assert shown in screen_text(app).splitlines()[-1]


async def test_a_keymap_file_not_in_utf8_is_said_and_the_defaults_kept(demo: Library, tmp_path: Path) -> None:
    """A keymap.toml saved as UTF-16 (Windows Notepad) or Latin-1 (an accent in a comment)
    ended the TUI at start with a UnicodeDecodeError traceback."""
    (tmp_path / "config").mkdir(exist_ok=True)
    (tmp_path / "config" / "keymap.toml").write_bytes('# clé\n[keymap]\n"episode.listened" = "l"\n'.encode("latin-1"))
    app = make_app(demo.folder)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        said = " ".join(toasts(app))
        assert "keymap not used: keymap.toml" in said and "UTF-8" in said
        assert app.keymap == {}


def test_a_keymap_file_without_its_keymap_table_is_refused_saying_so(tmp_path: Path) -> None:
    """Keys written without the "[keymap]" line above them were silently ignored: the
    TUI opened with the default keys and said nothing of the file."""
    import pytest

    from tracker.tui.keys import KeymapError, load_keymap

    path = tmp_path / "keymap.toml"
    path.write_text('"episode.listened" = "l"\n')
    with pytest.raises(KeymapError, match=r"no \[keymap\] table"):
        load_keymap(path)
    path.write_text("# nothing rebound yet\n")
    assert load_keymap(path) == {}


async def test_a_keymap_giving_the_filter_box_a_typed_key_is_said_and_the_default_kept(demo: Library) -> None:
    """"filter.done" = "x" made x end the filter instead of being typed: "/box" left the
    filter at "bo", said nowhere. A key that types a character cannot be a text box's key."""
    app = make_app(demo.folder, keymap={"filter.done": "x", "filter.clear": "minus,ctrl+g"})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        said = " ".join(toasts(app))
        assert "'x' is typed in the filter box (filter.done keeps enter)" in said, said
        assert "'minus' is typed in the filter box (filter.clear keeps ctrl+g)" in said, said
        await pilot.press("slash", "b", "o", "x", "minus")
        await settle(pilot)
        assert app.main.query_one(FilterBox).value == "box-"
        await pilot.press("ctrl+g")
        assert app.main.query_one(FilterBox).value == ""


def test_a_keymap_key_shared_by_design_is_no_clash() -> None:
    """"catalog.open" = "enter" (as it is) was said to clash with the list's own enter, which
    does the same; so was "shows.subscribe" = "U", which U does on an unsubscribed show
    only, where "Unsubscribe" is off. Only keys two different actions fight over are said."""
    import tracker.tui.app  # noqa: F401  (the playing keys are declared with the app)
    from tracker.tui.keys import keymap_clashes, normal_keymap

    same = {"catalog.open": "enter", "shows.subscribe": "U", "history.redo_to": "enter", "shows.unsubscribe": "U"}
    assert keymap_clashes(normal_keymap(same)) == []
    assert keymap_clashes(normal_keymap({"shows.subscribe": "r"})) == [
        "r is both shows.refresh and shows.subscribe in Shows: only one of them gets it"]


async def test_the_users_help_key_closes_help_as_it_opened_it(demo: Library) -> None:
    """? opens help and ? closes it; with help moved to h by the keymap, h opened help and
    did nothing there (while ?, no longer help's key, still closed it)."""
    app = make_app(demo.folder, keymap={"app.help": "h"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("h")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("h")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
