"""The listening rules, one by one, as a user would meet them."""

from __future__ import annotations

import pytest

from tracker.model.errors import UsageError
from tracker.model.library import Library

from .conftest import CHAPTERED, PLAIN, UNKNOWN


def states(library: Library, eid: str) -> list[str]:
    return list(library.chapter_states(eid))


def heard(library: Library, eid: str) -> list[float]:
    return [p.heard_s for p in library.chapter_progress(eid)]


def test_progress_credits_the_chapters_it_covers(library: Library) -> None:
    library.report_progress(CHAPTERED, 150)
    assert states(library, CHAPTERED) == ["done", "in_progress", "new"]
    st = library.state(CHAPTERED)
    assert st.status == "in_progress" and st.position_s == 150
    assert heard(library, CHAPTERED) == [100, 50, 0]


def test_a_chapter_is_done_at_95_percent(library: Library) -> None:
    library.report_progress(CHAPTERED, 100 + 189)  # 189 of 200 s: 94.5 %
    assert states(library, CHAPTERED)[1] == "in_progress"
    library.report_progress(CHAPTERED, 100 + 190)  # 95 %
    assert states(library, CHAPTERED)[1] == "done"


def test_seeking_back_replays_inside_a_span_and_adds_nothing(library: Library) -> None:
    library.report_progress(CHAPTERED, 80)
    library.report_progress(CHAPTERED, 10)  # a seek back
    library.report_progress(CHAPTERED, 90)  # 10..90 again: only 80..90 is new
    st = library.state(CHAPTERED)
    assert st.position_s == 90 and heard(library, CHAPTERED)[0] == 90 and st.spans == ((0, 90),)


def test_every_unskipped_chapter_done_means_listened(library: Library) -> None:
    library.mark_chapter(CHAPTERED, 2, "skipped")
    library.report_progress(CHAPTERED, 100)
    library.mark_chapter(CHAPTERED, 3, "done")
    assert library.state(CHAPTERED).status == "listened"


def test_position_at_the_end_means_listened(library: Library) -> None:
    library.report_progress(PLAIN, 1200)
    assert library.state(PLAIN).status == "listened"


def test_marking_listened_completes_all_chapters_and_new_clears(library: Library) -> None:
    library.mark([CHAPTERED], listened=True)
    assert states(library, CHAPTERED) == ["done", "done", "done"]
    assert heard(library, CHAPTERED) == [0, 0, 0]  # marked is not heard
    library.mark([CHAPTERED], listened=False)
    st = library.state(CHAPTERED)
    assert st.status == "new" and st.position_s == 0 and states(library, CHAPTERED) == ["new", "new", "new"]


def test_clearing_a_chapter_reopens_a_listened_episode(library: Library) -> None:
    library.mark([CHAPTERED], listened=True)
    library.mark_chapter(CHAPTERED, 2, None)
    assert library.state(CHAPTERED).status == "in_progress"
    assert states(library, CHAPTERED) == ["done", "new", "done"]


def test_resume_rules(library: Library) -> None:
    r = library.resume(CHAPTERED)
    assert (r.chapter, r.position_s) == (1, 0)
    library.report_progress(CHAPTERED, 150)  # inside chapter 2, not done: the position itself
    r = library.resume(CHAPTERED)
    assert (r.chapter, r.position_s) == (2, 150)
    library.mark_chapter(CHAPTERED, 2, "done")  # holding chapter done: next not done, at its start
    r = library.resume(CHAPTERED)
    assert (r.chapter, r.position_s) == (3, 300)
    library.mark_chapter(CHAPTERED, 3, "skipped")
    library.mark_chapter(CHAPTERED, 1, None)  # only chapter 1 left: the first such from the start
    r = library.resume(CHAPTERED)
    assert (r.chapter, r.position_s) == (1, 0)
    library.mark([CHAPTERED], listened=True)  # listened: from the start
    r = library.resume(CHAPTERED)
    assert r.position_s == 0


def test_resume_without_chapters_is_the_position(library: Library) -> None:
    library.report_progress(PLAIN, 321.5)
    r = library.resume(PLAIN)
    assert (r.chapter, r.position_s) == (None, 321.5)


def test_unknown_duration_chapters(library: Library) -> None:
    library.report_progress(UNKNOWN, 90)
    assert states(library, UNKNOWN) == ["done", "in_progress"]
    assert library.state(UNKNOWN).status == "in_progress"


def test_queue_order_next_move_and_leaving_when_listened(library: Library) -> None:
    library.queue_add([CHAPTERED, PLAIN])
    library.queue_add([UNKNOWN], next_=True)
    assert [e.id for e in library.queue()] == [UNKNOWN, CHAPTERED, PLAIN]
    library.queue_add([CHAPTERED])  # no duplicates
    assert len(library.queue()) == 3
    library.queue_move(PLAIN, "top")
    library.queue_move(UNKNOWN, "down")
    assert [e.id for e in library.queue()] == [PLAIN, CHAPTERED, UNKNOWN]
    library.queue_move(UNKNOWN, "1")
    assert [e.id for e in library.queue()] == [UNKNOWN, PLAIN, CHAPTERED]
    library.report_progress(PLAIN, 1200)
    assert [e.id for e in library.queue()] == [UNKNOWN, CHAPTERED]
    with pytest.raises(UsageError):
        library.queue_add([PLAIN])  # listened: never queued
    with pytest.raises(UsageError):
        library.queue_move(CHAPTERED, "9")


def test_an_id_given_twice_to_play_next_is_queued_once(library: Library) -> None:
    library.queue_add([CHAPTERED, PLAIN])
    library.queue_add([PLAIN, PLAIN], next_=True)  # already queued, named twice: to the top once
    assert [e.id for e in library.queue()] == [PLAIN, CHAPTERED]


def test_queueing_at_a_chapter_sets_the_resume_point(library: Library) -> None:
    action = library.queue_add([CHAPTERED], chapter=3)
    assert action is not None and "from chapter 3" in action.summary
    assert library.resume(CHAPTERED).chapter == 3 and library.resume(CHAPTERED).position_s == 300
    again = library.queue_add([CHAPTERED], chapter=2)  # queued already: only the chapter changes
    assert again is not None and "already queued" in again.summary and "chapter 2" in again.summary
    assert library.resume(CHAPTERED).position_s == 100 and len(library.queue()) == 1
    assert library.queue_add([CHAPTERED], chapter=2) is None
    library.undo()
    assert library.resume(CHAPTERED).position_s == 300
    with pytest.raises(UsageError):
        library.queue_add([CHAPTERED], chapter=4)


def test_resuming_at_the_start_of_a_new_episode_leaves_it_new(library: Library) -> None:
    assert library.set_resume_point(CHAPTERED, 0) is None  # chapter 1 chosen, nothing heard: still new
    assert library.state(CHAPTERED).status == "new"
    library.set_resume_point(CHAPTERED, 100)
    assert library.state(CHAPTERED).status == "in_progress"
    library.set_resume_point(CHAPTERED, 0)  # as going back there with "progress" does
    assert library.state(CHAPTERED).status == "new"
    library.mark_listened([CHAPTERED])
    library.set_resume_point(CHAPTERED, 0)  # a listened episode is re-opened
    assert library.state(CHAPTERED).status == "in_progress"


def test_undo_walks_back_one_action_at_a_time(library: Library) -> None:
    library.report_progress(CHAPTERED, 150)
    library.queue_add([CHAPTERED])
    library.mark([CHAPTERED], listened=True)  # also leaves the queue
    assert library.queue() == []
    library.undo()
    assert library.state(CHAPTERED).status == "in_progress" and [e.id for e in library.queue()] == [CHAPTERED]
    library.undo(2)
    assert library.state(CHAPTERED).status == "new" and library.queue() == []
    assert library.undo() == []


def test_undo_works_across_processes(library: Library) -> None:
    other = Library(library.folder)
    library.report_progress(PLAIN, 100)
    other.report_progress(PLAIN, 200)
    (undone,) = library.undo()
    assert "3:20" in undone.summary
    assert other.state(PLAIN).position_s == 100


def test_a_change_that_changes_nothing_is_not_recorded(library: Library) -> None:
    assert library.mark([PLAIN], listened=False) is None
    assert library.history() == []


def test_bad_positions_and_chapters_are_usage_errors(library: Library) -> None:
    with pytest.raises(UsageError):
        library.report_progress(PLAIN, 5000)
    with pytest.raises(UsageError):
        library.mark_chapter(PLAIN, 1, "done")
    with pytest.raises(UsageError):
        library.mark_chapter(CHAPTERED, 0, "done")


def test_refs_by_prefix(library: Library) -> None:
    assert library.resolve("aaaa") == CHAPTERED
    with pytest.raises(UsageError, match="too short"):
        library.resolve("aa")
    with pytest.raises(UsageError, match="no episode"):
        library.resolve("zzzzzz")


def test_unsubscribing_hides_a_show_and_keeps_its_listening(library: Library) -> None:
    from tracker.model.query import Selection, select_ids
    from tracker.model.shows import show_summaries

    library.report_progress(PLAIN, 100)
    library.mark_listened([CHAPTERED])
    (show,) = show_summaries(library)
    assert (show.episodes, show.new, show.in_progress, show.listened, show.subscribed) == (3, 1, 1, 1, True)
    action = library.unsubscribe("s1")
    assert action is not None and action.shows_after == {"s1": {"unsubscribed": True}}
    assert select_ids(library, Selection()) == []
    assert len(select_ids(library, Selection(unsubscribed=True))) == 3
    assert library.state(PLAIN).position_s == 100 and not show_summaries(library)[0].subscribed
    assert library.unsubscribe("s1") is None  # already
    library.undo()
    assert len(select_ids(library, Selection())) == 3
    library.unsubscribe("s1")
    library.resubscribe("s1")
    assert library.unsubscribed() == set()
    with pytest.raises(UsageError):
        library.unsubscribe("nope")


def test_toggling_listened_off_restores_the_position_it_had(library: Library) -> None:
    library.report_progress(CHAPTERED, 150)
    library.mark_listened([CHAPTERED])
    assert library.state(CHAPTERED).position_s == 600
    library.unmark_listened([CHAPTERED])
    st = library.state(CHAPTERED)
    assert st.status == "in_progress" and st.position_s == 150 and st.spans == ((0, 150),)
    assert states(library, CHAPTERED) == ["done", "in_progress", "new"]
    library.mark_listened([PLAIN])
    library.unmark_listened([PLAIN])  # never heard: back to new
    assert library.state(PLAIN).status == "new"


def test_the_unknown_show_a_restored_catalog_lists_can_be_unsubscribed(library: Library) -> None:
    """Its row is in the Shows screen like any other: U on it hides its episodes (it said
    'no show with id …' of the row it was on), and the history names it as listed."""
    from tracker.model.files import CATALOG_FILE, SHOWS
    from tracker.model.query import Selection, select_ids
    from tracker.model.reads import UNKNOWN_SHOW
    from tracker.model.shows import show_summaries

    with library.store.transaction(CATALOG_FILE) as tx:  # as a catalog restored from before the import
        tx.delete(CATALOG_FILE, SHOWS, "s1")
    (row,) = show_summaries(library)
    assert (row.id, row.title, row.episodes) == ("s1", UNKNOWN_SHOW, 3)
    action = library.unsubscribe(row.id)
    assert action is not None and UNKNOWN_SHOW in action.summary
    assert select_ids(library, Selection()) == [] and not show_summaries(library)[0].subscribed
    library.resubscribe(row.id)
    assert len(select_ids(library, Selection())) == 3


def test_a_chapter_of_no_length_holds_nothing_heard(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # An old library or an export may hold a chapter that ends where it starts (0:00 to
    # 0:00); clearing or skipping it must not reach to the end of the episode.
    from tracker.model.catalog import merge_show
    from tracker.model.progress import remaining_s

    library = Library(tmp_path / "lib")
    eid = "dddd00000004"
    merge_show(library, "s1", {"title": "Show"}, {eid: {
        "show_id": "s1", "show": "Show", "title": "Zero", "published": None, "duration_s": 3600, "chapters": [
            {"title": "Cold open", "start_s": 0, "end_s": 0}, {"title": "Main", "start_s": 0, "end_s": 3600}],
        "chapters_source": "json"}}, {eid: ""})
    library.report_progress(eid, 1200)
    library.mark_chapter(eid, 1, None)  # clear the empty chapter
    assert library.state(eid).heard_s == 1200
    library.mark_chapter(eid, 1, "skipped")
    assert remaining_s(library.episode(eid), library.state(eid)) == 2400


def test_nudging_a_listened_episode_credits_nothing_it_did_not_hear(library: Library) -> None:
    """'-' on an episode only marked listened counted 19:50 of its 20:00 as heard (a
    position reported on a listened episode is a replay from 0:00), and '+' all 20:00."""
    library.mark_listened([PLAIN])
    library.nudge(PLAIN, 30)
    assert library.state(PLAIN).heard_s == 0 and library.state(PLAIN).status == "listened"
    library.nudge(PLAIN, -10)
    st = library.state(PLAIN)
    assert (st.heard_s, st.position_s, st.status) == (0, 1190, "in_progress")
    library.nudge(PLAIN, -10)
    assert library.state(PLAIN).heard_s == 0
    library.nudge(PLAIN, 30)  # now listening on from 19:40: those 20 s were heard
    assert library.state(PLAIN).heard_s == 20


def _add_a_chapter(library: Library) -> None:
    """The feed now has a short chapter "Extra" from 1:40 to 2:20, inside what "Two" was."""
    from tracker.model.catalog import merge_show

    merge_show(library, "s1", {"title": "Show"}, {CHAPTERED: {
        "show_id": "s1", "show": "Show", "title": "Chaptered", "published": "2024-05-07", "duration_s": 600,
        "chapters": [{"title": "One", "start_s": 0, "end_s": 100}, {"title": "Extra", "start_s": 100, "end_s": 140},
                     {"title": "Two", "start_s": 140, "end_s": 300}, {"title": "Three", "start_s": 300, "end_s": 600}],
        "chapters_source": "psc"}}, {CHAPTERED: ""})


def test_undo_and_redo_after_the_chapters_changed_keep_stats_right(library: Library) -> None:
    # Undo puts back the state document as it was, numbers for stats included: those were
    # counted against the old chapter list, so stats said 1 chapter done where `show` said 2.
    from tracker.model.stats import stats

    library.report_progress(CHAPTERED, 150)
    library.mark_chapter(CHAPTERED, 3, "done")
    _add_a_chapter(library)  # "Extra" is heard whole: done
    assert states(library, CHAPTERED) == ["done", "done", "in_progress", "done"]
    assert stats(library).chapters_done == 3
    library.undo()
    assert states(library, CHAPTERED) == ["done", "done", "in_progress", "new"]
    assert stats(library).chapters_done == 2
    library.redo()
    assert stats(library).chapters_done == 3


def test_marks_stay_on_their_chapters_when_a_sponsor_chapter_pushes_every_start_later(library: Library) -> None:
    # The feed put a one-minute sponsor chapter in front: every chapter starts 60 s later.
    # Matched by time span alone, "One"'s done mark went to the sponsor and "Two"'s
    # skipped mark was lost; a title that names one chapter now finds its chapter.
    from tracker.model.catalog import merge_show

    library.mark_chapter(CHAPTERED, 1, "done")
    library.mark_chapter(CHAPTERED, 2, "skipped")
    merge_show(library, "s1", {"title": "Show"}, {CHAPTERED: {
        "show_id": "s1", "show": "Show", "title": "Chaptered", "published": "2024-05-07", "duration_s": 660,
        "chapters": [{"title": "Sponsor", "start_s": 0, "end_s": 60}, {"title": "One", "start_s": 60, "end_s": 160},
                     {"title": "Two", "start_s": 160, "end_s": 360}, {"title": "Three", "start_s": 360, "end_s": 660}],
        "chapters_source": "psc"}}, {CHAPTERED: ""})
    assert states(library, CHAPTERED) == ["new", "done", "skipped", "new"]
    assert library.resume(CHAPTERED).chapter == 1
