"""``tracker play`` as a user runs it: a subprocess, real mpv, real signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tracker.model.library import Library

from .conftest import BARE, FAST, FASTER, LOCAL, MISSING, NEXT, SILENT, TEXT
from .listen import heard, poll

ENV = {"TRACKER_MPV_OPTIONS": FAST}


def start(library: Library, *args: str, options: str = FAST) -> subprocess.Popen[str]:
    """``tracker play`` in a process group of its own, as a shell runs a foreground job."""
    env = {**os.environ, "TRACKER_MPV_OPTIONS": options}
    env.pop("TRACKER_LIBRARY", None)
    return subprocess.Popen(
        [sys.executable, "-m", "tracker", "--library", str(library.folder), "play", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True,
    )


def read_until(proc: subprocess.Popen[str], words: str) -> list[str]:
    """Lines of stdout up to and including the first holding ``words`` (fails at EOF)."""
    assert proc.stdout is not None
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if words in line:
            return seen
    raise AssertionError(f"the player ended before saying {words!r}: {seen}; stderr {proc.stderr.read() if proc.stderr else ''}")


def mpv_running(tag: str) -> bool:
    """Whether an mpv started with ``--title=TAG`` still runs (Linux /proc)."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if tag.encode() in cmdline.read_bytes():
                return True
        except OSError:
            continue
    return False


def test_plays_to_the_end_with_a_line_per_chapter(library: Library) -> None:
    got = run_cli(library.folder, "play", LOCAL, "--no-advance", env={"TRACKER_MPV_OPTIONS": FASTER})
    assert got.returncode == 0, got.stderr
    assert got.stdout.splitlines() == [
        "chapter 1/3 “Opening”", "chapter 2/3 “Middle part”", "chapter 3/3 “Closing”", "finished “Local episode”",
    ]
    assert Library(library.folder).state(LOCAL).status == "listened"


def test_the_next_queued_episode_follows(library: Library) -> None:
    library.queue_add([LOCAL, NEXT])
    got = run_cli(library.folder, "play", LOCAL, "--chapter", "3", env={"TRACKER_MPV_OPTIONS": FASTER})
    assert got.returncode == 0, got.stderr
    assert "finished “Local episode”" in got.stdout and "finished “Next episode”" in got.stdout
    lib = Library(library.folder)
    assert lib.queue() == [] and lib.state(NEXT).status == "listened"


@pytest.mark.parametrize("nxt, words", [
    (SILENT, "“Silent episode” has no audio"),
    (MISSING, "cannot play “Missing episode”"),
])
def test_a_next_queued_episode_that_cannot_play_is_one_line_and_exit_0(library: Library, nxt: str, words: str) -> None:
    """The episode asked for played and was saved: the exit status was 1 all the same, and the
    line did not say it was about the next one in the queue."""
    library.queue_add([LOCAL, nxt])
    got = run_cli(library.folder, "play", LOCAL, "--chapter", "3", env={"TRACKER_MPV_OPTIONS": FASTER})
    assert got.returncode == 0, got.stderr
    assert "finished “Local episode”" in got.stdout
    assert got.stderr.count("\n") == 1 and got.stderr.startswith("tracker: next in the queue: ") and words in got.stderr
    lib = Library(library.folder)
    assert lib.state(LOCAL).status == "listened" and [e.id for e in lib.queue()] == [nxt]


# mpv loops over 12-18 s, inside chapter 2, until it is stopped: the signal may come at any
# time after chapter 2 begins (a test process slow to read its pipe can no longer let the
# episode play on into chapter 3 or to its end first).
LOOP_IN_CHAPTER_2 = f"{FAST} --ab-loop-a=12 --ab-loop-b=18"


@pytest.mark.parametrize("sig, group", [(signal.SIGTERM, False), (signal.SIGINT, True), (signal.SIGHUP, True)],
                         ids=["kill-pid", "ctrl-c-to-the-group", "terminal-closed"])
def test_a_signal_stops_and_saves(library: Library, sig: signal.Signals, group: bool) -> None:
    """``kill PID`` reaches the tracker alone; Ctrl-C on a terminal reaches its whole process
    group (the library worker too), and what was heard must be saved all the same."""
    proc = start(library, LOCAL, "--no-advance", options=LOOP_IN_CHAPTER_2)
    read_until(proc, "chapter 2/3")
    if group:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert err == ""
    lib = Library(library.folder)
    one, two, three = heard(lib, LOCAL)
    state = lib.state(LOCAL)
    # "chapter 2/3" is said from 0.3 s before chapter 2 begins: the signal may come there.
    assert state.status != "listened" and 9.7 <= state.position_s <= 18.0
    assert one >= 9.7 and two <= 8.0 and three == 0.0
    assert one + two >= state.position_s - 0.1  # everything up to where it stopped is saved
    assert "finished" not in out


def test_sigkilled_mid_play_loses_little_and_the_library_opens_clean(library: Library) -> None:
    tag = f"tracker-test-{uuid.uuid4().hex}"
    proc = start(library, LOCAL, "--no-advance", options=f"{FAST} --title={tag}")
    read_until(proc, "chapter 2/3")
    watcher = Library(library.folder)
    poll(lambda: heard(watcher, LOCAL)[0] == 10.0, about="the save at the chapter change")
    proc.kill()  # mid-play, maybe mid-write of the next save
    proc.wait(timeout=10)
    lib = Library(library.folder)
    assert heard(lib, LOCAL)[0] == 10.0
    assert lib.notices == []
    got = run_cli(library.folder, "show", LOCAL)
    assert got.returncode == 0 and got.stderr == ""
    poll(lambda: not mpv_running(tag), about="mpv quits once its end of the socket closes")


@pytest.mark.parametrize("ref, words", [
    (SILENT, "has no audio"),
    (MISSING, "cannot play “Missing episode”"),
    (TEXT, "cannot play “Text episode”"),
])
def test_what_cannot_play_is_one_line_exit_1_and_nothing_recorded(library: Library, ref: str, words: str) -> None:
    got = run_cli(library.folder, "play", ref, env=ENV)
    assert got.returncode == 1
    assert got.stderr.count("\n") == 1 and words in got.stderr and "Traceback" not in got.stderr
    assert Library(library.folder).history() == []


def test_without_mpv_it_says_what_to_install(library: Library, tmp_path: Path) -> None:
    env = {**ENV, "PATH": str(tmp_path)}
    got = subprocess.run([sys.executable, "-m", "tracker", "--library", str(library.folder), "play", LOCAL],
                         capture_output=True, text=True, env={**os.environ, **env}, timeout=30)
    assert got.returncode == 1
    assert got.stderr.startswith("tracker: mpv is needed to play: install it") and got.stderr.count("\n") == 1


@pytest.mark.parametrize("args, words", [
    (["--chapter", "9"], "has chapters 1 to 3, not 9"),
    (["--chapter", "0"], "below 1"),
    (["--speed", "5"], "speed 5 is outside 0.5 to 3"),
    (["--speed", "nan"], "speed nan is outside"),
])
def test_bad_usage_is_exit_2(library: Library, args: list[str], words: str) -> None:
    got = run_cli(library.folder, "play", LOCAL, *args, env=ENV)
    assert got.returncode == 2 and words in got.stderr and got.stderr.count("\n") == 1


def test_mpv_options_that_do_not_split_are_bad_usage(library: Library) -> None:
    bad = run_cli(library.folder, "play", LOCAL, env={"TRACKER_MPV_OPTIONS": "--title='open"})
    assert bad.returncode == 2 and "TRACKER_MPV_OPTIONS" in bad.stderr and bad.stderr.count("\n") == 1


def on_a_terminal(library: Library, *args: str, columns: int = 100) -> tuple[int, str]:
    """``tracker play ARGS`` on a pseudo-terminal ``columns`` wide: its status and all it wrote."""
    import pty
    import select

    main_fd, child_fd = pty.openpty()
    env = {**os.environ, "TRACKER_MPV_OPTIONS": FASTER, "COLUMNS": str(columns)}
    env.pop("TRACKER_LIBRARY", None)
    proc = subprocess.Popen([sys.executable, "-m", "tracker", "--library", str(library.folder), "play", *args],
                            stdin=child_fd, stdout=child_fd, stderr=child_fd, env=env)
    os.close(child_fd)
    out = b""
    try:
        while True:
            ready, _, _ = select.select([main_fd], [], [], 20)
            assert ready, f"no output for 20 s: {out[-300:]!r}"
            try:
                chunk = os.read(main_fd, 65536)
            except OSError:  # the child closed the terminal: it ended
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(main_fd)
        proc.wait(timeout=20)
    return proc.returncode, out.decode("utf-8", "replace")


def test_on_a_terminal_the_status_line_is_redrawn_in_place(library: Library) -> None:
    code, text = on_a_terminal(library, LOCAL, "--chapter", "3", "--no-advance")
    assert code == 0, text[-500:]
    assert "\r\x1b[2K▶ Local episode · ch 3/3 “Closing”" in text  # redrawn in place
    assert " / 0:40 · 40x" in text
    assert "finished “Local episode”" in text


def test_a_feed_file_with_a_relative_enclosure_plays_after_import(tmp_path: Path, audio: Path) -> None:
    import shutil

    folder = tmp_path / "podcast"
    folder.mkdir()
    shutil.copy(audio, folder / "ep1.mp3")
    (folder / "feed.xml").write_text("""<?xml version="1.0"?>
<rss version="2.0" xmlns:psc="http://podlove.org/simple-chapters"><channel><title>Files Show</title>
<item><title>Relative one</title><guid>rel-1</guid><pubDate>Mon, 03 Mar 2025 07:00:00 +0000</pubDate>
<enclosure url="ep1.mp3" length="1" type="audio/mpeg"/>
<psc:chapters><psc:chapter start="0" title="A"/><psc:chapter start="10" title="B"/><psc:chapter start="20" title="C"/></psc:chapters>
</item></channel></rss>""")
    lib = tmp_path / "lib"
    assert run_cli(lib, "import", str(folder / "feed.xml")).returncode == 0
    (eid,) = Library(lib).listings()
    got = run_cli(lib, "play", eid, "--chapter", "3", "--no-advance", env={"TRACKER_MPV_OPTIONS": FASTER})
    assert got.returncode == 0, got.stderr
    assert got.stdout.splitlines()[-1] == "finished “Relative one”"


def test_output_closed_mid_play_stops_and_saves_quietly(library: Library) -> None:
    """``tracker play REF | head -1``: the next line used to break mpv's connection, and
    "mpv stopped unexpectedly" was said of an mpv that was fine."""
    proc = start(library, LOCAL, "--no-advance")
    read_until(proc, "chapter 1/3")
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader went away; the next line finds no one
    proc.wait(timeout=20)
    assert proc.stderr.read() == ""
    assert proc.returncode == 1  # as any command whose output is closed
    one, _, _ = heard(Library(library.folder), LOCAL)
    assert one == 10.0  # played on to the line that found no reader, and saved


def test_mpv_options_that_mpv_refuses_are_named_in_the_one_line(library: Library) -> None:
    """It said only "mpv exited" (mpv says why nowhere: it runs without a terminal)."""
    got = run_cli(library.folder, "play", LOCAL, env={"TRACKER_MPV_OPTIONS": "--no-such-option"})
    assert got.returncode == 1
    assert got.stderr == ("tracker: mpv would not start with TRACKER_MPV_OPTIONS '--no-such-option' (it exited "
                          "with status 1): run mpv with them to see why\n")


def test_the_status_line_of_a_wide_title_fits_the_terminal(library: Library, audio: Path) -> None:
    """It was cut at a number of characters: a CJK title (two cells each) wrapped, and each
    redraw left a line behind."""
    from tracker.cli.columns import width
    from tracker.model.catalog import merge_show

    from .conftest import episode_doc

    eid = "abce00000013"
    merge_show(library, "s1", {"title": "Test Show"}, {eid: episode_doc("播客" * 30, str(audio))}, {eid: ""})
    code, text = on_a_terminal(library, eid, "--chapter", "3", "--no-advance", columns=60)
    assert code == 0, text[-500:]
    drawn = [piece.split("\r\n")[-1] for piece in text.split("\r\x1b[2K")[1:]]
    status = [piece for piece in drawn if piece[:1] in "▶■"]  # the status lines, not the messages
    assert status and max(width(piece) for piece in status) <= 59
    assert any(piece.startswith("▶ 播客") and piece.endswith(" / 0:40 · 40x") for piece in status)  # the title gives way


def test_a_library_that_cannot_record_is_refused_before_playing(library: Library) -> None:
    """A library written by a newer tracker opens read-only: it played the whole episode,
    said "could not save the progress" at each save, and exited 0 with nothing recorded."""
    import json

    library.mark_listened([NEXT])  # state.json exists
    state = library.folder / "state.json"
    doc = json.loads(state.read_text())
    doc["_meta"]["schema"]["version"] = 99
    state.write_text(json.dumps(doc))
    got = run_cli(library.folder, "play", LOCAL, env=ENV)
    assert got.returncode == 1
    assert got.stdout == ""
    assert got.stderr == ("tracker: state.json was written by a newer tracker (schema 99; this one knows 2): "
                          "it is open read-only\n")


def test_saves_that_fail_mid_play_are_said_once_and_the_exit_status_is_1(library: Library) -> None:
    """A newer tracker rewrote the library while this one played: every later save failed,
    each said so again, and the command still exited 0 as if all was recorded."""
    import json

    library.mark_listened([NEXT])  # state.json exists
    proc = start(library, LOCAL, "--no-advance", options=LOOP_IN_CHAPTER_2)
    read_until(proc, "chapter 1/3")  # it started on a library it could write
    watcher = Library(library.folder)
    state = library.folder / "state.json"
    doc = json.loads(state.read_text())
    doc["_meta"]["schema"]["version"] = 99
    state.write_text(json.dumps(doc))
    read_until(proc, "chapter 2/3")  # a save at the change, which fails
    assert proc.stderr is not None
    first = proc.stderr.readline()
    assert first.startswith("tracker: could not save the progress: state.json was written by a newer tracker")
    proc.send_signal(signal.SIGTERM)  # the stop's save fails too
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 1
    assert "could not save" not in err  # said once
    assert watcher.state(NEXT).status == "listened"  # nothing else was touched


def test_a_chapter_marked_skipped_is_not_said_as_it_is_jumped(library: Library) -> None:
    """The log said "chapter 2/3" for a chapter skipped and never played."""
    library.mark_chapter(LOCAL, 2, "skipped")
    got = run_cli(library.folder, "play", LOCAL, "--no-advance", env={"TRACKER_MPV_OPTIONS": FASTER})
    assert got.returncode == 0, got.stderr
    assert got.stdout.splitlines() == ["chapter 1/3 “Opening”", "chapter 3/3 “Closing”", "finished “Local episode”"]


def test_resumed_in_chapters_read_from_the_audio_only_the_chapter_playing_is_said(library: Library) -> None:
    """Resumed at 0:25 of an episode whose chapters come from its file, the log said chapters
    1 and 2 as well, never played, once the file's chapters were adopted."""
    library.report_progress(BARE, 25)
    got = run_cli(library.folder, "play", BARE, "--no-advance", env=ENV)  # 16x: adopted long before the end
    assert got.returncode == 0, got.stderr
    assert got.stdout.splitlines() == ["chapter 3/3 “Closing”", "finished “Bare episode”"]


def test_the_status_line_of_a_long_chapter_title_keeps_the_position_and_speed(library: Library, audio: Path) -> None:
    """Only the episode's title gave way: a chapter title of a sentence pushed the position
    and speed off the cut end of the line."""
    from tracker.cli.columns import width
    from tracker.model.catalog import merge_show

    from .conftest import episode_doc

    eid = "abcf00000015"
    doc = episode_doc("Short", str(audio))
    doc["chapters"][2]["title"] = "The closing words, " + "and then some more of them " * 6
    merge_show(library, "s1", {"title": "Test Show"}, {eid: doc}, {eid: ""})
    code, text = on_a_terminal(library, eid, "--chapter", "3", "--no-advance", columns=60)
    assert code == 0, text[-500:]
    drawn = [piece.split("\r\n")[-1] for piece in text.split("\r\x1b[2K")[1:]]
    status = [piece for piece in drawn if piece[:1] in "▶■"]
    assert status and max(width(piece) for piece in status) <= 59
    assert any(piece.startswith("▶ Short · ch 3/3 “The clos") and piece.endswith(" / 0:40 · 40x") for piece in status)
