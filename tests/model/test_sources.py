"""Listening that flows in by itself: playing sessions and remote (sync) play actions,
both landing as heard spans by the one rule."""

from __future__ import annotations

import pytest

from tracker.model.errors import UsageError
from tracker.model.library import Library
from tracker.model.playing import RemotePlay

from .conftest import CHAPTERED, PLAIN, UNKNOWN, user_states


def heard(library: Library, eid: str) -> list[float]:
    return [p.heard_s for p in library.chapter_progress(eid)]


def test_a_playing_session_is_one_action_that_grows(library: Library) -> None:
    library.record_play(CHAPTERED, [(30, 45)], 45, session="s1")
    library.record_play(CHAPTERED, [(45, 80)], 80, session="s1")
    played = library.record_play(CHAPTERED, [(80, 130)], 130, session="s1")
    (action,) = library.history()
    assert action.kind == "play" and action.summary == "played 0:30 to 2:10 of “Chaptered”"
    assert played.state.spans == ((30, 130),) and played.state.position_s == 130
    assert heard(library, CHAPTERED) == [70, 30, 0]
    library.undo()
    assert user_states(library) == {}  # the whole session goes at once


def test_a_session_whose_first_write_heard_nothing_says_where_it_played_from(library: Library) -> None:
    """Started at 0:50 (a chapter chosen, a seek) and saved before anything was heard: the
    history said "played 0:00 to ...", from where the episode stood before, never played."""
    library.record_play(CHAPTERED, [], 50, session="s1")
    assert library.history()[0].summary == "played 0:50 to 0:50 of “Chaptered”"
    library.record_play(CHAPTERED, [(50, 80)], 80, session="s1")
    (action,) = library.history()
    assert action.summary == "played 0:50 to 1:20 of “Chaptered”"


def test_a_session_that_seeks_back_says_what_was_heard_and_where_it_is(library: Library) -> None:
    """Heard 7:10 to 7:40, then back to 2:00 and heard to 2:10: the history read "played
    7:10 to 2:10", the first write's start and the position now, a range never played."""
    library.record_play(CHAPTERED, [(430, 460)], 460, session="s1")
    library.record_play(CHAPTERED, [(120, 130)], 130, session="s1")
    assert library.history()[0].summary == "played 2:00 to 7:40, now at 2:10, of “Chaptered”"
    library.record_play(CHAPTERED, [(460, 470)], 470, session="s1")  # on from where it was: no "now at"
    assert library.history()[0].summary == "played 2:00 to 7:50 of “Chaptered”"
    library.record_play(CHAPTERED, [], 20, session="s1")  # a seek back, nothing heard from there yet
    assert library.history()[0].summary == "played 2:00 to 7:50, now at 0:20, of “Chaptered”"


def test_a_session_whose_first_write_heard_nothing_keeps_its_start_over_later_writes(library: Library) -> None:
    """The session's start, found at its first heard write, stays its start: the third
    write of a session started at 0:50 said "played 1:20 to 1:50", its last write's spans."""
    library.record_play(CHAPTERED, [], 50, session="s1")
    library.record_play(CHAPTERED, [(50, 80)], 80, session="s1")
    library.record_play(CHAPTERED, [(80, 110)], 110, session="s1")
    (action,) = library.history()
    assert action.summary == "played 0:50 to 1:50 of “Chaptered”"


def test_a_session_write_after_another_action_starts_a_new_action(library: Library) -> None:
    library.record_play(CHAPTERED, [(0, 50)], 50, session="s1")
    library.mark_chapter(CHAPTERED, 3, "skipped")
    library.record_play(CHAPTERED, [(50, 90)], 90, session="s1")
    assert [a.kind for a in library.history()] == ["play", "chapter_skipped", "play"]
    library.undo()
    assert library.state(CHAPTERED).spans == ((0, 50),)


def test_seeking_back_in_a_session_adds_nothing_and_forward_leaves_a_gap(library: Library) -> None:
    library.record_play(PLAIN, [(0, 100)], 100, session="s")
    library.record_play(PLAIN, [(20, 60)], 60, session="s")  # replayed inside the span
    library.record_play(PLAIN, [(500, 520)], 520, session="s")  # after a seek forward
    st = library.state(PLAIN)
    assert st.spans == ((0, 100), (500, 520)) and st.heard_s == 120


def test_reaching_the_end_marks_listened_and_leaves_the_queue(library: Library) -> None:
    library.queue_add([UNKNOWN, PLAIN])
    played = library.record_play(UNKNOWN, [(0, 75)], 75, session="s", finished=True)
    assert played.state.status == "listened"
    assert [e.id for e in library.queue()] == [PLAIN]
    assert "listened" in library.history(1)[0].summary


def test_a_session_refuses_numbers_that_are_not_times(library: Library) -> None:
    with pytest.raises(UsageError):
        library.record_play(PLAIN, [(0, float("inf"))], 10, session="s")
    with pytest.raises(UsageError):
        library.record_play(PLAIN, [(0, 10)], float("nan"), session="s")
    assert library.history() == []


def test_audio_chapters_are_adopted_only_when_there_are_none(library: Library) -> None:
    assert library.adopt_audio_chapters(PLAIN, [("Intro", 0), ("Main\x1b[2J", 300), ("Out", 1100)])
    ep = library.episode(PLAIN)
    assert [(c.title, c.start_s, c.end_s) for c in ep.chapters] == [
        ("Intro", 0, 300), ("Main[2J", 300, 1100), ("Out", 1100, 1200)]
    assert ep.chapters_source == "audio"
    assert not library.adopt_audio_chapters(PLAIN, [("Other", 0)])
    assert not library.adopt_audio_chapters(CHAPTERED, [("Other", 0)])


def test_show_speed_is_a_preference_not_history(library: Library) -> None:
    assert library.show_speed("s1") is None
    library.set_show_speed("s1", 1.5)
    assert library.show_speed("s1") == 1.5 and library.history() == []
    with pytest.raises(UsageError):
        library.set_show_speed("s1", 40)


def remote(eid: str, started: float, position: float, at: str, total: float | None = None) -> RemotePlay:
    return RemotePlay(eid, "play", at, started, position, total)


def test_remote_plays_credit_spans_in_one_undoable_action(library: Library) -> None:
    plays = [remote(CHAPTERED, 0, 120, "2024-05-01T10:00:00Z"),
             remote(CHAPTERED, 250, 320, "2024-05-01T11:00:00+00:00"),
             remote(PLAIN, 0, 1200, "2024-05-01T09:00:00", total=1200)]
    action = library.apply_remote(plays)
    assert action is not None and len(library.history()) == 1
    assert heard(library, CHAPTERED) == [100, 70, 20]
    assert library.state(CHAPTERED).position_s == 320  # the newest action's position
    assert library.state(PLAIN).status == "listened"
    assert library.apply_remote(plays) is None  # re-delivered: nothing changes
    library.undo()
    assert user_states(library) == {}


def test_remote_heard_time_does_not_depend_on_order(library: Library) -> None:
    plays = [remote(CHAPTERED, 0, 50, "2024-05-01T10:00:00Z"), remote(CHAPTERED, 40, 90, "2024-05-01T10:05:00Z"),
             remote(CHAPTERED, 200, 260, "2024-05-01T10:10:00Z")]
    library.apply_remote(list(reversed(plays)))
    assert library.state(CHAPTERED).spans == ((0, 90), (200, 260))
    assert library.state(CHAPTERED).position_s == 260


def test_an_older_remote_action_does_not_move_a_newer_position(library: Library) -> None:
    library.report_progress(PLAIN, 600)  # now
    library.apply_remote([remote(PLAIN, 0, 100, "2020-01-01T00:00:00Z")])
    st = library.state(PLAIN)
    assert st.position_s == 600 and st.heard_s == 600


def test_remote_new_marks_new_and_bad_numbers_are_refused(library: Library) -> None:
    library.report_progress(PLAIN, 600)
    library.apply_remote([RemotePlay(PLAIN, "new", "2100-01-01T00:00:00Z")])
    assert library.state(PLAIN).status == "new"
    with pytest.raises(UsageError):
        library.apply_remote([remote(PLAIN, 0, float("inf"), "2024-01-01T00:00:00Z")])
    with pytest.raises(UsageError):
        library.apply_remote([remote(PLAIN, 0, 10, "9999-01-01T00:00:00Z")])


def test_changes_since_a_revision_include_undo(library: Library) -> None:
    start = library.revision()
    library.report_progress(PLAIN, 100)
    library.report_progress(CHAPTERED, 100)
    middle = library.revision()
    assert set(library.changes_since(start)) == {PLAIN, CHAPTERED}
    library.undo()
    assert set(library.changes_since(middle)) == {CHAPTERED}
    assert library.changes_since(middle)[CHAPTERED].status == "new"


def test_history_since_a_sequence_number_is_oldest_first(library: Library) -> None:
    library.report_progress(PLAIN, 100)
    library.report_progress(CHAPTERED, 100)
    library.mark_listened([PLAIN])
    assert [a.kind for a in library.history_since(1)] == ["progress", "mark_listened"]
    assert library.history_since(3) == []
