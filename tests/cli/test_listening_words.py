"""Issue 14 items 3, 4 and 5, and redo (issue 11 item 7), as the CLI says them: one truth
for where an episode resumes, heard time in stats, positions as clocks."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.support import fails, ids, ok


def test_queue_chapter_is_where_every_command_says_it_resumes(lib: Path) -> None:
    keeper = ids(lib)["The Lighthouse Keeper"]  # 1:05:09; chapter 3 "The storm" starts at 10:00.5
    assert ok(lib, "queue", "add", keeper, "--chapter", "3") == "queued “The Lighthouse Keeper” from chapter 3\n"
    assert ok(lib, "resume", keeper) == "chapter 3 “The storm” at 10:00\n"
    text = ok(lib, "show", keeper)
    assert "resume: chapter 3 “The storm” at 10:00" in text and "queued #1" in text
    row = ok(lib, "queue").splitlines()[1]
    assert "55:08" in row and row.endswith("The Lighthouse Keeper  (from chapter 3)")  # left from 10:00.5
    assert json.loads(ok(lib, "show", keeper, "--json"))["resume"] == {"chapter": 3, "position_s": 600.5}
    # only the start chapter changes: it says so, rather than "queued"
    again = ok(lib, "queue", "add", keeper, "--chapter", "4")
    assert again == "“The Lighthouse Keeper” (already queued) now resumes at chapter 4 “Dawn” (1:00:02)\n", again
    assert ok(lib, "history").splitlines()[0].endswith("“The Lighthouse Keeper” (already queued) now resumes "
                                                       "at chapter 4 “Dawn” (1:00:02)")
    assert ok(lib, "resume", keeper) == "chapter 4 “Dawn” at 1:00:02\n"
    assert ok(lib, "queue").splitlines()[-1] == "1 episode, 5:07 left"
    assert ok(lib, "queue", "add", keeper) == "“The Lighthouse Keeper” is already queued\n"


def test_positions_are_clocks_and_the_end_is_said(lib: Path) -> None:
    silence = ids(lib)["Radio Silence"]  # 29:00
    assert ok(lib, "progress", silence, "7:30") == "“Radio Silence”: listened up to 7:30\n"
    assert ok(lib, "progress", silence, "450") == "“Radio Silence” is already at 7:30\n"
    err = fails(lib, 2, "progress", silence, "45:00")
    assert "position 45:00 is past the episode's end (29:00)" in err
    ok(lib, "queue", "add", silence)
    out = ok(lib, "progress", silence, "29:00")
    assert out == "“Radio Silence”: listened up to 29:00; it is now listened and left the queue\n"
    history = ok(lib, "history").splitlines()
    assert history[0].endswith("“Radio Silence”: listened up to 29:00")
    assert " s" not in "".join(history)


def test_stats_count_heard_time_and_list_marked_apart(lib: Path) -> None:
    e = ids(lib)
    ok(lib, "mark", e["Radio Silence"], e["Half-lives"], "--listened")  # marked, never heard
    ok(lib, "progress", e["The Lighthouse Keeper"], "37:00")
    ok(lib, "queue", "add", e["The Lighthouse Keeper"], e["Date only"])  # Date only: no known length
    lines = ok(lib, "stats").splitlines()
    said = {ln.split(":", 1)[0].strip(): ln.split(":", 1)[1].strip() for ln in lines[:9]}
    assert said["today"] == said["all time"] == "37:00 heard"
    assert said["listened"] == ("2 episodes, 2 of them marked listened without listening "
                                "(not in the time heard)")
    assert said["started"] == "1 episode in progress"
    assert said["queue"] == "2 episodes, 28:09 left (1 of unknown length)"
    assert said["streak"] == "1 day in a row (longest 1 day)"
    assert lines[-2].split() == ["SHOW", "HEARD"]
    assert lines[-1].split() == ["Night", "Shift", "Radio", "37:00"]


def test_redo_after_undo(lib: Path) -> None:
    silence = ids(lib)["Radio Silence"]
    ok(lib, "mark", silence, "--listened")
    assert ok(lib, "redo") == "nothing to redo\n"
    assert ok(lib, "undo") == "undid: marked “Radio Silence” listened\n"
    assert json.loads(ok(lib, "show", silence, "--json"))["status"] == "new"
    assert ok(lib, "redo") == "redid: marked “Radio Silence” listened\n"
    assert json.loads(ok(lib, "show", silence, "--json"))["status"] == "listened"
    assert "add --yes" in fails(lib, 2, "redo", "--steps", "11")
    assert ok(lib, "redo", "--steps", "11", "--yes") == "nothing to redo\n"
