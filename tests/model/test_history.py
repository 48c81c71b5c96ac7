"""A long history stays cheap to write, and undo still reaches all of it."""

from __future__ import annotations

import time
from pathlib import Path
from collections.abc import Iterator
from typing import Callable

import pytest

from tracker.model import history
from tracker.model.library import Library

from .conftest import CHAPTERED, PLAIN, add_episodes, user_states


@pytest.fixture()
def small_history(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(history, "RECENT_MAX", 6)
    monkeypatch.setattr(history, "RECENT_KEEP", 3)


def test_old_actions_move_to_the_archive_and_undo_reaches_them(library: Library, small_history: None) -> None:
    start = user_states(library)
    for k in range(20):
        library.report_progress(PLAIN if k % 2 else CHAPTERED, float(10 * (k + 1)))
    recent = library.store.table("history", "actions")
    archived = sum(len(library.store.table(name, "actions")) for name in history.segments(library.store))
    assert len(recent) <= 6 and len(recent) + archived == 20
    assert [a.seq for a in library.history()] == list(range(20, 0, -1))
    assert [a.seq for a in library.history(limit=8)] == list(range(20, 12, -1))
    undone = library.undo(20)
    assert [a.seq for a in undone] == list(range(20, 0, -1))
    assert user_states(library) == start
    assert library.history() == [] and library.undo() == []


def test_undo_then_new_actions_keep_numbering_straight(library: Library, small_history: None) -> None:
    for k in range(10):
        library.report_progress(PLAIN, float(10 * (k + 1)))
    library.undo(8)  # crosses into the archive
    assert library.state(PLAIN).position_s == 20
    library.report_progress(PLAIN, 500)
    assert [a.seq for a in library.history()] == [3, 2, 1]
    library.undo(3)
    assert library.state(PLAIN).status == "new"


def test_redo_reapplies_what_undo_took_back(library: Library) -> None:
    library.report_progress(PLAIN, 100)
    library.mark_chapter(CHAPTERED, 2, "done")
    library.queue_add([PLAIN])
    after = user_states(library), library.queue()
    library.undo(3)
    assert user_states(library) == {} and library.queue() == []
    assert [a.kind for a in library.redoable()] == ["progress", "chapter_done", "queue_add"]
    assert [a.kind for a in library.redo(2)] == ["progress", "chapter_done"]
    assert [a.kind for a in library.redo()] == ["queue_add"]
    assert (user_states(library), library.queue()) == after
    assert library.redo() == []
    assert [a.seq for a in library.history()] == [3, 2, 1]


def test_a_new_change_clears_what_could_be_redone(library: Library) -> None:
    library.report_progress(PLAIN, 100)
    library.undo()
    library.report_progress(PLAIN, 50)
    assert library.redo() == [] and library.state(PLAIN).position_s == 50


def test_redo_works_across_processes(library: Library) -> None:
    library.report_progress(PLAIN, 100)
    library.undo()
    other = Library(library.folder)
    assert [a.kind for a in other.redo()] == ["progress"]
    assert library.state(PLAIN).position_s == 100


def test_undo_and_redo_take_heard_time_out_of_the_day_log_and_back(library: Library) -> None:
    library.report_progress(PLAIN, 100)
    (day,) = library.day_log()
    assert library.day_log() == {day: {"s1": 100}}
    library.undo()
    assert library.day_log() == {}
    library.redo()
    assert library.day_log() == {day: {"s1": 100}}


def test_bulk_actions_roll_over_by_size_and_still_undo(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    eids = add_episodes(library, 300)
    monkeypatch.setattr(history, "RECENT_MAX_BYTES", 60_000)  # one "mark all" of 300 is ~50 KB
    for k in range(6):
        (library.mark_listened if k % 2 == 0 else library.mark_new)(eids)
        library.report_progress(PLAIN, float(10 * (k + 1)))
    recent = library.store.table("history", "actions")
    sizes = [doc["bytes"] for doc in recent.values()]
    assert len(recent) < 12 and sum(sizes[:-1]) <= 60_000  # only the newest may exceed the budget
    assert len(library.history()) == 12
    undone = library.undo(12)
    assert len(undone) == 12 and user_states(library) == {}


def test_the_archive_grows_in_segments_so_a_change_never_rewrites_all_of_it(
        library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    eids = add_episodes(library, 300)
    monkeypatch.setattr(history, "RECENT_MAX_BYTES", 60_000)
    monkeypatch.setattr(history, "SEGMENT_BYTES", 120_000)  # about two bulk actions a segment
    for k in range(10):
        (library.mark_listened if k % 2 == 0 else library.mark_new)(eids)
    names = history.segments(library.store)
    assert len(names) >= 3
    sizes = [sum(d["bytes"] for d in library.store.table(n, "actions").values()) for n in names]
    assert all(size <= 120_000 for size in sizes[:-1])
    library.report_progress(PLAIN, 30)
    before = {n: library.store.stamp(n) for n in names[:-1]}
    library.report_progress(PLAIN, 60)  # an ordinary change after years of bulk ones
    assert {n: library.store.stamp(n) for n in names[:-1]} == before  # no old segment rewritten
    assert len(library.undo(12)) == 12 and user_states(library) == {}
    assert history.segments(library.store) == []


def test_an_old_single_archive_is_read_as_the_oldest_segment(library: Library, small_history: None) -> None:
    with library.store.transaction("history", "history-archive") as tx:  # as an older tracker left it
        for k in range(1, 4):
            library_action = {"at": "2025-01-01T00:00:00+00:00", "kind": "progress", "episodes": [PLAIN],
                              "summary": f"old {k}", "before": {PLAIN: None}, "after": {PLAIN: None},
                              "queue_before": None, "queue_after": None}
            tx.put("history-archive", "actions", str(k), library_action)
        tx.put("history", "seq", "next", {"n": 4})
    for k in range(8):
        library.report_progress(PLAIN, float(10 * (k + 1)))
    assert [a.seq for a in library.history()] == list(range(11, 0, -1))
    assert history.segments(library.store)[0] == "history-archive"
    assert [a.summary for a in library.history_since(0)[:3]] == ["old 1", "old 2", "old 3"]
    assert len(library.undo(11)) == 11


def test_history_since_reads_the_archive_when_undo_emptied_the_recent_file(library: Library,
                                                                           small_history: None) -> None:
    for k in range(10):
        library.report_progress(PLAIN, float(10 * (k + 1)))
    library.undo(len(library.store.table("history", "actions")))  # every recent action: the rest is archived
    left = [a.seq for a in library.history()]
    assert left and library.store.table("history", "actions") == {}
    assert [a.seq for a in library.history_since(0)] == sorted(left)
    assert [a.seq for a in library.history_since(2)] == sorted(left)[2:]


def test_undo_and_redo_of_the_actions_shown_refuse_another_trackers_change(library: Library,
                                                                           small_history: None) -> None:
    from tracker.model.errors import HistoryChanged

    for k in range(10):
        library.report_progress(PLAIN, float(10 * (k + 1)))
    shown = [a.ref for a in library.history(8)]
    undone = library.undo(8, shown)  # the very actions shown: across the archive
    assert [a.ref for a in undone] == shown and library.state(PLAIN).position_s == 20
    again = [a.ref for a in library.redoable()[:3]]
    Library(library.folder).redo(1)  # another tracker redoes one meanwhile
    with pytest.raises(HistoryChanged):
        library.redo(3, again)
    assert library.state(PLAIN).position_s == 30
    shown = [a.ref for a in library.history(2)]
    Library(library.folder).report_progress(CHAPTERED, 15)
    with pytest.raises(HistoryChanged):
        library.undo(2, shown)
    assert library.state(PLAIN).position_s == 30 and len(library.history()) == 4


def test_stats_read_no_episode_listings_for_the_names_of_shows(library: Library) -> None:
    # naming the shows heard read every listing file (to find shows the catalog lacks):
    # at 100k episodes most of a cold `tracker stats`, four times its 300 ms budget
    from tracker.model.files import LISTING_NAMES
    from tracker.model.stats import stats

    library.report_progress(PLAIN, 100)
    fresh = Library(library.folder)
    assert [s["show"] for s in stats(fresh).per_show] == ["Show"]
    assert not set(LISTING_NAMES) & set(fresh.store._storages)


@pytest.fixture()
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()
    yield set_zone
    monkeypatch.undo()
    time.tzset()


def test_time_heard_on_a_later_date_elsewhere_counts_today(library: Library, zone: Callable[[str], None]) -> None:
    # heard at UTC+14, then stats at UTC-11 (a day or more behind): the time was in
    # "all time" only, in no day, week, month or streak, until the calendar caught up
    from tracker.model.stats import stats

    zone("Pacific/Kiritimati")
    library.report_progress(PLAIN, 100)
    zone("Pacific/Pago_Pago")
    numbers = stats(library)
    assert numbers.heard_all_s == numbers.heard_today_s == numbers.heard_week_s == numbers.heard_month_s == 100
    assert numbers.days[-1] == {"date": numbers.today, "heard_s": 100} and numbers.weeks[-1]["heard_s"] == 100
    assert numbers.streak_current == numbers.streak_longest == 1


def test_undo_after_the_state_file_alone_was_put_back_from_a_backup_refuses_and_changes_nothing(
        tmp_path: Path) -> None:
    # state.json put back from an older copy, history.json left newer: undo "took back"
    # changes the state no longer had, taking their heard time from the day log, so stats
    # said 0:00 heard while an episode showed 10 minutes heard; redo then counted too little
    from tests.helpers import run_cli
    from tracker.model.errors import OutOfStep

    from .conftest import make_library

    folder = tmp_path / "lib"
    library = make_library(folder)
    library.report_progress(PLAIN, 600)
    backup = (folder / "state.json").read_bytes()
    library.report_progress(PLAIN, 900)
    library.queue_add([CHAPTERED])
    (folder / "state.json").write_bytes(backup)
    restored = Library(folder)
    states, days, actions = user_states(restored), restored.day_log(), restored.history()
    with pytest.raises(OutOfStep, match="cannot undo “queued"):
        restored.undo()
    assert (user_states(restored), restored.day_log(), restored.history()) == (states, days, actions)
    r = run_cli(folder, "undo")
    assert r.returncode == 1 and len(r.stderr.splitlines()) == 1 and "put back from a backup" in r.stderr, r
    restored.report_progress(CHAPTERED, 60)  # a change made since is undone as ever; then it stops again
    assert [a.kind for a in restored.undo(3)] == ["progress"]
    assert restored.day_log() == days


def test_undo_after_the_history_file_alone_was_put_back_undoes_only_what_the_state_still_shows(
        tmp_path: Path) -> None:
    from tracker.model.errors import OutOfStep

    from .conftest import make_library

    folder = tmp_path / "lib"
    library = make_library(folder)
    library.report_progress(CHAPTERED, 60)
    backup = (folder / "history.json").read_bytes()
    library.report_progress(PLAIN, 600)  # lost from the history put back: PLAIN stays as it is
    (folder / "history.json").write_bytes(backup)
    restored = Library(folder)
    assert [a.kind for a in restored.undo()] == ["progress"]
    assert restored.state(CHAPTERED).position_s == 0 and restored.state(PLAIN).position_s == 600
    assert sum(sum(s.values()) for s in restored.day_log().values()) == 600
    restored.report_progress(PLAIN, 900)
    backup = (folder / "history.json").read_bytes()
    restored.report_progress(PLAIN, 1000)  # lost again, and of the same episode this time
    (folder / "history.json").write_bytes(backup)
    with pytest.raises(OutOfStep):
        Library(folder).undo()
    assert Library(folder).state(PLAIN).position_s == 1000
