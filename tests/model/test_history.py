"""A long history stays cheap to write, and undo still reaches all of it."""

from __future__ import annotations

import copy

import pytest

from tracker.model import history
from tracker.model.library import Library

from .conftest import CHAPTERED, PLAIN


@pytest.fixture()
def small_history(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(history, "RECENT_MAX", 6)
    monkeypatch.setattr(history, "RECENT_KEEP", 3)


def test_old_actions_move_to_the_archive_and_undo_reaches_them(library: Library, small_history: None) -> None:
    start = copy.deepcopy(dict(library.state_docs()))
    for k in range(20):
        library.progress(PLAIN if k % 2 else CHAPTERED, float(10 * (k + 1)))
    recent = library.store.table("history", "actions")
    archive = library.store.table("history-archive", "actions")
    assert len(recent) <= 6 and len(recent) + len(archive) == 20
    assert [a.seq for a in library.history()] == list(range(20, 0, -1))
    assert [a.seq for a in library.history(limit=8)] == list(range(20, 12, -1))
    undone = library.undo(20)
    assert [a.seq for a in undone] == list(range(20, 0, -1))
    assert dict(library.state_docs()) == start
    assert library.history() == [] and library.undo() == []


def test_undo_then_new_actions_keep_numbering_straight(library: Library, small_history: None) -> None:
    for k in range(10):
        library.progress(PLAIN, float(10 * (k + 1)))
    library.undo(8)  # crosses into the archive
    assert library.state(PLAIN).position_s == 20
    library.progress(PLAIN, 500)
    assert [a.seq for a in library.history()] == [3, 2, 1]
    library.undo(3)
    assert library.state(PLAIN).status == "new"
