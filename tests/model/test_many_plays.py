"""Many remote plays of one episode in one change: the spans kept up play by play
(``growing.Growing``) leave exactly what the plain rule (``spans.add``, ``heard_all``
redone at every play) leaves: spans, heard time, position, status, the history entry
and the day log."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.model import daylog
from tracker.model import progress as prog
from tracker.model import spans as sp
from tracker.model.growing import Growing
from tracker.model.library import Library
from tracker.model.playing import RemotePlay
from tracker.model.records import EpisodeState

from .conftest import CHAPTERED, PLAIN, UNKNOWN, make_library

NOW = "2024-06-10T12:00:00+00:00"
TIMES = st.one_of(st.integers(0, 1300).map(float), st.floats(0, 1300, allow_nan=False))
STAMPS = st.one_of(st.none(), st.integers(0, 5 * 86400).map(
    lambda s: f"2024-06-0{1 + s // 86400}T{s % 86400 // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}Z"))
PLAYS = st.lists(st.builds(
    lambda eid, kind, at, heard_at, start, length, total: RemotePlay(
        eid, kind, at, start, start + length, total, heard_at),
    st.sampled_from([CHAPTERED, CHAPTERED, PLAIN, PLAIN, UNKNOWN]),
    st.sampled_from(["play"] * 8 + ["heard", "new"]), STAMPS, STAMPS, TIMES,
    st.one_of(st.integers(0, 30).map(float), st.floats(0, 400, allow_nan=False)),
    st.one_of(st.none(), st.sampled_from([600.0, 1200.0, 700.0]))), min_size=12, max_size=40)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library of the three episodes, copied for each example (faster than made anew)."""
    folder = tmp_path_factory.mktemp("template") / "lib"
    make_library(folder)
    return folder


def outcome(template: Path, plays_before: list[RemotePlay], plays: list[RemotePlay], plain: bool) -> tuple[Any, ...]:
    """The state, history entry and day log the plays leave (``plain``: by the plain rule)."""
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as mp:
        mp.setattr(sp, "MAX_SPANS", 4)  # joining the closest spans, often
        mp.setattr(daylog, "utc_now", lambda: NOW)
        if plain:
            mp.setattr(sp, "at_grain", lambda spans: False)  # what Growing hands over to the plain rule for
        shutil.copytree(template, Path(tmp) / "lib")
        library = Library(Path(tmp) / "lib")
        if plays_before:
            library.apply_remote(plays_before)
        action = library.apply_remote(plays)
        entry = None if action is None else (action.episodes, action.summary, action.before, action.after,
                                              action.credit)
        return library.state_docs(), entry, library.history()[-1:] and library.history()[-1].credit


@settings(max_examples=20, deadline=None)
@given(PLAYS, PLAYS)
def test_kept_up_spans_leave_exactly_what_the_plain_rule_leaves(template: Path, before: list[RemotePlay],
                                                                 plays: list[RemotePlay]) -> None:
    assert outcome(template, before, plays, plain=False) == outcome(template, before, plays, plain=True)


def test_a_state_with_times_finer_than_a_millisecond_is_left_to_the_plain_rule(library: Library) -> None:
    # an old library's spans: their sum is the plain rule's own, not kept in milliseconds
    episode = library.episode(CHAPTERED)
    state = EpisodeState(status="in_progress", spans=((0.1, 0.3000004), (10.00005, 20.0)))
    grow = Growing(episode, state)
    kept, plain = state, state
    for i in range(30):
        heard = [(20.0 + 3 * i, 21.5 + 3 * i)]
        kept = prog.credit(episode, kept, heard, None, NOW, False, grow.add, grow.complete)
        plain = prog.credit(episode, plain, heard, None, NOW)
        assert kept == plain and grow.heard_s(kept) == plain.heard_s
    assert kept.spans[0] == (0.1, 0.3000004)
