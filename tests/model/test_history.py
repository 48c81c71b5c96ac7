"""A long history stays cheap to write, and undo still reaches all of it."""

from __future__ import annotations

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
    archive = library.store.table("history-archive", "actions")
    assert len(recent) <= 6 and len(recent) + len(archive) == 20
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
