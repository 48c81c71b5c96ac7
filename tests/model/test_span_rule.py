"""The span rule, as properties: whatever is reported, in whatever order and however
often, a chapter is never credited more than its length, heard time does not depend on
the order of reports, and applying the same report again changes nothing."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.model import progress as prog
from tracker.model import spans as sp
from tracker.model.records import Chapter, Episode, EpisodeState

NOW = "2025-01-01T00:00:00+00:00"
EPISODE = Episode("e1", "s1", "Show", "Title", None, 600.0,
                  chapters=(Chapter(1, "One", 0, 100), Chapter(2, "Two", 100, 300), Chapter(3, "Three", 300, 600)))
OPEN_ENDED = Episode("e2", "s1", "Show", "Unknown length", None, None,
                     chapters=(Chapter(1, "A", 0, 60), Chapter(2, "B", 60, None)))

times = st.floats(min_value=-50, max_value=800, allow_nan=False, allow_infinity=False)
reports = st.lists(st.tuples(times, times), max_size=30)


def credit_all(episode: Episode, spans: list[tuple[float, float]]) -> EpisodeState:
    state = EpisodeState()
    for start, end in spans:
        state = prog.credit(episode, state, [(start, end)], None, NOW)
    return state


@settings(max_examples=200, deadline=None)
@given(reports)
def test_a_chapter_is_never_credited_more_than_its_length(spans: list[tuple[float, float]]) -> None:
    state = credit_all(EPISODE, spans)
    for ch, p in zip(EPISODE.chapters, prog.chapters(EPISODE, state)):
        assert 0 <= p.heard_s <= (ch.length_s or 0) + 1e-6
    assert state.heard_s <= float(EPISODE.duration_s or 0) + 1e-6
    assert abs(sum(p.heard_s for p in prog.chapters(EPISODE, state)) - state.heard_s) < 0.01


@settings(max_examples=200, deadline=None)
@given(reports, st.randoms(use_true_random=False))
def test_heard_time_does_not_depend_on_the_order_of_reports(spans: list[tuple[float, float]],
                                                            rnd: random.Random) -> None:
    shuffled = list(spans)
    rnd.shuffle(shuffled)
    for episode in (EPISODE, OPEN_ENDED):
        a, b = credit_all(episode, spans), credit_all(episode, shuffled)
        assert a.spans == b.spans
        assert prog.chapters(episode, a) == prog.chapters(episode, b)


@settings(max_examples=200, deadline=None)
@given(reports)
def test_reapplying_reports_changes_nothing(spans: list[tuple[float, float]]) -> None:
    once = credit_all(EPISODE, spans)
    twice = credit_all(EPISODE, spans + spans)
    assert once.spans == twice.spans
    again = prog.credit(EPISODE, once, spans, None, NOW)
    assert again.spans == once.spans


@settings(max_examples=200, deadline=None)
@given(reports)
def test_spans_stay_sorted_disjoint_and_inside_the_episode(spans: list[tuple[float, float]]) -> None:
    state = credit_all(EPISODE, spans)
    flat = [x for span in state.spans for x in span]
    assert flat == sorted(flat)
    assert all(end - start > 0 for start, end in state.spans)
    assert all(0 <= start and end <= 600 for start, end in state.spans)
    assert all(a[1] < b[0] for a, b in zip(state.spans, state.spans[1:]))


def test_many_tiny_spans_are_capped_not_unbounded() -> None:
    state = credit_all(EPISODE, [(i * 0.25, i * 0.25 + 0.1) for i in range(2400)])
    assert len(state.spans) <= sp.MAX_SPANS
