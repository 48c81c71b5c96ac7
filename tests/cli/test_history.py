"""Issue 11 item 7 and issue 14: undo of many steps asks on a terminal and needs --yes in
a script; history is shown in local time (see test_wording)."""

from __future__ import annotations

import json
import os
import shutil
import pty
import subprocess
import sys
import time
from pathlib import Path

from tests.cli.support import fails, ids, ok
from tracker.model.library import Library


def _twelve_changes(lib: Path) -> str:
    eid = ids(lib)["Radio Silence"]
    library = Library(lib)
    for k in range(12):
        library.mark([eid], listened=k % 2 == 0)
    return eid


def _history_length(lib: Path) -> int:
    return len(json.loads(ok(lib, "history", "--json", "--limit", "100")))


def _on_a_terminal(lib: Path, answer: bytes, *args: str) -> tuple[int, str]:
    """Run with stdin and stderr on a pseudo-terminal, as typed in a shell."""
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "TRACKER_LIBRARY"}
    proc = subprocess.Popen([sys.executable, "-m", "tracker", "--library", str(lib), *args],
                            stdin=slave, stderr=slave, stdout=subprocess.PIPE, env=env)
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 30
    while b"[y/N]" not in seen and time.monotonic() < deadline:
        seen += os.read(master, 1024)
    os.write(master, answer)
    out, _ = proc.communicate(timeout=30)
    try:
        while chunk := os.read(master, 1024):
            seen += chunk
    except OSError:  # the terminal closes with the process
        pass
    os.close(master)
    return proc.returncode, seen.decode(errors="replace") + out.decode()


def test_many_undo_steps_need_yes_in_a_script(lib: Path) -> None:
    _twelve_changes(lib)
    before = _history_length(lib)
    err = fails(lib, 2, "undo", "--steps", "11")
    assert "add --yes" in err
    assert _history_length(lib) == before
    out = ok(lib, "undo", "--steps", "11", "--yes")
    assert out.count("undid: ") == 11
    assert _history_length(lib) == before - 11
    assert ok(lib, "undo", "--steps", "10").count("undid: ") == before - 11  # 10 or fewer: no question


def test_many_undo_steps_ask_on_a_terminal(lib: Path) -> None:
    _twelve_changes(lib)
    before = _history_length(lib)
    code, said = _on_a_terminal(lib, b"n\n", "undo", "--steps", "12")
    assert "Undo the last 12 changes? [y/N]" in said
    # Answering no is not a failure: nothing is done, said, with exit status 0 (README).
    assert code == 0 and "nothing undone" in said
    assert _history_length(lib) == before
    code, said = _on_a_terminal(lib, b"y\n", "undo", "--steps", "12")
    assert code == 0 and said.count("undid: ") == 12
    assert _history_length(lib) == before - 12


def test_history_names_only_the_episodes_a_marking_changed(lib: Path) -> None:
    """`mark A B --listened` with B already listened changed A alone, yet history and
    undo said "marked 2 episodes listened" (and undo then took back one)."""
    t = ids(lib)
    ok(lib, "mark", t["Radio Silence"], "--listened")
    ok(lib, "mark", t["Radio Silence"], t["Half-lives"], "--listened")
    newest = json.loads(ok(lib, "history", "--json", "--limit", "1"))[0]
    assert newest["episodes"] == [t["Half-lives"]]
    assert newest["summary"] == "marked “Half-lives” listened"
    assert ok(lib, "undo") == "undid: marked “Half-lives” listened\n"
    ok(lib, "mark", t["Radio Silence"], t["Half-lives"], "--new")
    assert ok(lib, "history", "--limit", "1").endswith("marked “Radio Silence” new\n")


def test_undo_never_takes_heard_time_below_zero(lib: Path) -> None:
    """With state.json put back from a backup older than history.json, undoing the newest
    change took back heard time the restored day log never held: `stats` said
    "today: -1:55:00 heard" (-300 s in JSON). Such an undo is now refused whole (the state
    is not as that change left it), in one line."""
    eid = ids(lib)["Radio Silence"]
    ok(lib, "queue", "add", eid)
    state = (lib / "state.json").read_bytes()  # the backup
    ok(lib, "progress", eid, "5:00")
    (lib / "state.json").write_bytes(state)
    assert "put back from a backup" in fails(lib, 1, "undo")
    stats = json.loads(ok(lib, "stats", "--json"))
    assert (stats["heard_today_s"], stats["heard_all_s"]) == (0, 0)
    assert "-" not in ok(lib, "stats").splitlines()[0]


def test_history_json_names_the_episodes_a_queue_reorder_moved(lib: Path) -> None:
    """`queue move` listed no episodes in `history --json`, and `queue add --next` of
    episodes already queued listed only the new ones: a script looking for the changes
    to an episode missed them. Those that merely shifted along are not named."""
    t = ids(lib)
    a, b, c, d = t["The Lighthouse Keeper"], t["Radio Silence"], t["Old Namespace"], t["Half-lives"]
    ok(lib, "queue", "add", a, b, c)
    ok(lib, "queue", "move", c, "top")
    ok(lib, "queue", "add", b, d, "--next")
    ok(lib, "queue", "remove", a)
    moved, added, removed = json.loads(ok(lib, "history", "--json", "--limit", "3"))[::-1]
    assert moved["episodes"] == [c]
    assert sorted(added["episodes"]) == sorted([b, d])
    assert removed["episodes"] == [a]


def test_history_with_every_change_undone_says_redo_can_put_them_back(lib: Path) -> None:
    """After undoing every change `history` said "no changes yet", as if none had been
    made, though `redo` could put them back."""
    eid = ids(lib)["Radio Silence"]
    assert ok(lib, "history") == "no changes yet\n"
    ok(lib, "mark", eid, "--listened")
    ok(lib, "queue", "add", ids(lib)["Half-lives"])
    ok(lib, "undo", "--steps", "2")
    assert ok(lib, "history") == "no changes left: 2 undone ('tracker redo' puts them back)\n"
    ok(lib, "redo")
    ok(lib, "undo")
    ok(lib, "redo", "--steps", "2")
    assert json.loads(ok(lib, "history", "--json"))[0]["summary"].startswith("queued")


def test_history_of_an_import_names_the_episodes_it_changed(lib: Path, tmp_path: Path) -> None:
    """An export holding two listened episodes, imported where one of them was listened
    already, changed the other alone, yet history and undo said "imported listening
    state of 2 episodes"."""
    t = ids(lib)
    here = tmp_path / "here"
    shutil.copytree(lib, here)
    ok(lib, "mark", t["Radio Silence"], t["Half-lives"], "--listened")
    ok(lib, "export", "--format", "json", "-o", str(tmp_path / "export.json"))
    ok(here, "mark", t["Radio Silence"], "--listened")  # (later: the import leaves it as it is)
    # and so did the import's own line, and again when the same file came a second time
    assert ok(here, "import", str(tmp_path / "export.json")).endswith("state of 2 episodes (1 changed)\n")
    assert ok(here, "import", str(tmp_path / "export.json")).endswith("state of 2 episodes (0 changed)\n")
    assert ok(here, "undo") == "undid: imported listening state of 1 episode\n"


def test_queueing_an_episode_with_one_already_queued_names_the_one_queued(lib: Path) -> None:
    """`queue add A B` with A queued already said "queued 2 episodes" (and so did history
    and undo), though only B was queued."""
    t = ids(lib)
    ok(lib, "queue", "add", t["Radio Silence"])
    said = "queued “Half-lives” (“Radio Silence” was already queued)"
    assert ok(lib, "queue", "add", t["Radio Silence"], t["Half-lives"]) == said + "\n"
    assert ok(lib, "undo") == f"undid: {said}\n"
    assert ok(lib, "queue").count("Radio Silence") == 1 and "Half-lives" not in ok(lib, "queue")
