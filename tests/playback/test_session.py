"""The session's rules alone (no mpv): chapters, skipping, seeking, landing."""

from __future__ import annotations

from tracker.model.records import Chapter, Episode, EpisodeState, Mark
from tracker.playback.session import Session, audio_chapters

CHAPTERS = (Chapter(1, "One", 0, 10), Chapter(2, "Two", 10, 20), Chapter(3, "Three", 20, 40))


def session(marks: tuple[Mark, ...] = (), chosen: int | None = None, at: float = 0.0) -> Session:
    ep = Episode(id="e", show_id="s", show="S", title="T", published=None, duration_s=40, chapters=CHAPTERS)
    s = Session.begin(ep, EpisodeState(marks=marks), at, chosen=chosen)
    s.speed = 1.0
    return s


def skip_two() -> tuple[Mark, ...]:
    return (Mark(10, 20, "Two", "skipped"),)


def test_a_skipped_chapter_is_jumped_to_the_next_one_not_skipped() -> None:
    s = session(skip_two())
    assert s.jump_target(5.0) is None
    assert s.jump_target(10.2) == 20
    heard = s.report(10.4, now=0.0)
    assert heard is not None and heard.jump_to == 20


def test_the_chapter_chosen_on_purpose_plays_even_when_skipped() -> None:
    s = session(skip_two(), chosen=2, at=10)
    assert s.jump_target(12.0) is None
    s.report(12.0, now=0.0)
    s.report(20.5, now=0.0)  # left it: skipping applies again
    assert s.jump_target(15.0) == 20


def test_previous_chapter_restarts_this_one_a_few_seconds_in_else_goes_back() -> None:
    s = session()
    s.report(25.0, now=0.0)
    assert s.chapter_target(-1) == 20  # 5 s into chapter 3: its start
    s.report(21.0, now=0.0)
    assert s.chapter_target(-1) == 10  # at its start: the one before
    assert s.chapter_target(1) is None  # no next from chapter 3: not back to its start
    s.report(1.0, now=0.0)
    assert s.chapter_target(1) == 10


def test_seeking_stays_inside_the_episode() -> None:
    s = session()
    s.report(5.0, now=0.0)
    assert s.seek_target(-10) == 0.0
    assert s.seek_target(100) == 39.5
    s.report(12.0, now=0.0)
    assert s.seek_target(-10) == 2.0


def test_reports_short_of_a_seek_target_count_as_there_and_stale_ones_are_passed_over() -> None:
    s = session()
    s.report(3.0, now=0.0)
    s.report(3.1, now=0.1)
    s.aim(10.0, now=0.1)
    assert s.report(3.2, now=0.15) is None  # from before the seek: no credit, no chapter change
    landed = s.report(9.4, now=0.2)  # mpv, paused after an exact seek, says a little short
    assert landed is not None and landed.chapter is not None and landed.chapter.n == 2
    s.report(10.5, now=0.7)
    assert s.recorder.spans == [(3.0, 3.1), (10.0, 10.5)]  # nothing credited for the jump


def test_a_new_chapter_is_said_once() -> None:
    s = session()
    first = s.report(0.0, now=0.0)
    again = s.report(0.5, now=0.5)
    second = s.report(10.1, now=10.1)
    assert first is not None and first.new_chapter and first.first
    assert again is not None and not again.new_chapter
    assert second is not None and second.new_chapter and not second.first


def test_the_chapter_share_counts_what_was_heard_before_and_now() -> None:
    ep = Episode(id="e", show_id="s", show="S", title="T", published=None, duration_s=40, chapters=CHAPTERS)
    s = Session.begin(ep, EpisodeState(spans=((0.0, 4.0),)), 4.0)
    s.report(4.0, now=0.0)
    s.report(5.0, now=1.0)
    assert s.chapter_share(CHAPTERS[0]) == 0.5


def test_audio_chapters_from_a_hostile_file_are_cleaned_and_bounded() -> None:
    raw = [{"title": "A\x1b]0;x\x07 b", "time": -0.1}, {"title": None, "time": float("nan")},
           {"time": 5}, "junk", {"title": "x" * 500, "time": 9}]
    got = audio_chapters(raw)
    assert got[0] == ("A]0;x b", 0.0)
    assert got[1] == ("", 5.0) and len(got[2][0]) == 200 and len(got) == 3
    assert audio_chapters("not a list") == []
    assert len(audio_chapters([{"title": "t", "time": i} for i in range(5000)])) == 1000


def test_a_failure_after_playing_is_not_a_start_past_the_end() -> None:
    """A stream of unknown length that failed after playing a while was taken for a resume
    point past its end, and played again from 0:00."""
    s = session(at=12.0)
    s.duration_s = None
    s.opened = True
    assert s.starts_past_the_end()  # nothing played yet: the start lay past the end
    s.recorder.begin(12.0, 0.0)
    s.report(12.5, now=0.5)
    assert not s.starts_past_the_end()
