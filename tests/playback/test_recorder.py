"""The recorder as a pure function: position reports in, heard spans out."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tracker.playback.recorder import Recorder


def play(rec: Recorder, start: float, end: float, wall: float = 0.0, step: float = 0.1, speed: float = 1.0) -> float:
    """Reports every ``step`` wall seconds from ``start`` to ``end`` media seconds; the wall time after."""
    t = start
    while t < end:
        rec.position(t, wall, speed)
        t = round(t + step * speed, 6)
        wall += step
    rec.position(end, wall, speed)
    return wall


def test_continuous_play_is_one_span() -> None:
    rec = Recorder()
    play(rec, 10.0, 25.0)
    assert rec.spans == [(10.0, 25.0)]


def test_a_forward_seek_credits_nothing_for_the_span_jumped() -> None:
    rec = Recorder()
    wall = play(rec, 0.0, 5.0)
    rec.jump()
    play(rec, 30.0, 33.0, wall=wall)
    assert rec.spans == [(0.0, 5.0), (30.0, 33.0)]


def test_a_jump_without_a_seek_event_is_still_a_jump() -> None:
    rec = Recorder()
    wall = play(rec, 0.0, 5.0)
    play(rec, 30.0, 33.0, wall=wall + 0.1)  # mpv moved 25 s in 0.1 s
    assert rec.spans == [(0.0, 5.0), (30.0, 33.0)]


def test_a_seek_back_replays_inside_a_span_and_adds_nothing() -> None:
    rec = Recorder()
    wall = play(rec, 0.0, 20.0)
    rec.jump()
    play(rec, 5.0, 15.0, wall=wall)
    assert rec.spans == [(0.0, 20.0)]
    assert rec.heard_s() == 20.0


def test_speed_scales_what_a_report_may_cover() -> None:
    rec = Recorder()
    play(rec, 0.0, 60.0, step=0.1, speed=16)
    assert rec.spans == [(0.0, 60.0)]


def test_excluded_ranges_are_never_credited() -> None:
    rec = Recorder(excluded=[(20.0, 40.0)])
    play(rec, 15.0, 45.0, speed=8)
    assert rec.spans == [(15.0, 20.0), (40.0, 45.0)]


def test_a_start_just_before_a_chapter_snaps_to_it() -> None:
    rec = Recorder(snap_to=[0.0, 20.0, 40.0])
    play(rec, 19.86, 25.0)
    assert rec.spans == [(20.0, 25.0)]


def test_the_end_credits_the_last_stretch() -> None:
    rec = Recorder()
    wall = play(rec, 50.0, 58.5, speed=16)
    assert rec.reached_end(60.0, wall, speed=16)
    assert rec.spans == [(50.0, 60.0)]
    rec2 = Recorder()
    wall = play(rec2, 10.0, 12.0)
    rec2.jump()  # sought to the end: the jump is not heard
    assert rec2.reached_end(60.0, wall)
    assert rec2.spans == [(10.0, 12.0)]


def test_an_end_far_past_the_last_report_is_a_cut_and_credits_nothing_more() -> None:
    rec = Recorder()
    wall = play(rec, 0.0, 13.0)
    assert not rec.reached_end(40.0, wall + 0.05)  # a stream dropped at 13 s: mpv says "eof" all the same
    assert rec.spans == [(0.0, 13.0)] and rec.position_s == 13.0
    rec2 = Recorder()
    wall = play(rec2, 0.0, 59.0)
    assert rec2.reached_end(60.0, wall + 0.05)  # a length estimated a little long: the end all the same
    assert rec2.spans == [(0.0, 60.0)]


def test_playback_heard_from_its_start_when_the_first_report_comes_late() -> None:
    rec = Recorder()
    rec.begin(0.0, 0.0)  # mpv starts playing at 0; a busy one first reports 0.3 s in (at 16x)
    play(rec, 0.3, 10.0, wall=0.02, speed=16)
    assert rec.spans == [(0.0, 10.0)]
    rec2 = Recorder()
    rec2.begin(20.0, 0.0)  # asked for 20 s, but the stream started from its beginning
    play(rec2, 0.2, 3.0, wall=0.02, speed=16)
    assert rec2.spans == [(0.2, 3.0)]


def test_reports_read_in_a_burst_after_a_stall_are_still_listening() -> None:
    rec = Recorder()
    wall = play(rec, 0.0, 5.0, speed=16)
    for k in range(1, 6):  # the loop stalled: five reports, 0.1 s of wall apart in mpv, read at once
        rec.position(5.0 + 1.6 * k, wall + 0.5 + k * 1e-5, 16)
    assert rec.spans == [(0.0, 13.0)]


def test_a_long_pause_does_not_open_the_window_for_a_jump() -> None:
    rec = Recorder()
    wall = play(rec, 0.0, 5.0)
    rec.pause(wall)
    rec.resume(wall + 600)  # ten minutes paused
    rec.position(5.1, wall + 600.1)
    rec.position(200.0, wall + 600.2)  # then a jump without a seek event
    assert rec.spans == [(0.0, 5.1)]


def union_length(pieces: list[tuple[float, float]]) -> float:
    total, reach = 0.0, float("-inf")
    for a, b in sorted(pieces):
        if b > reach:
            total += b - max(a, reach)
            reach = b
    return total


@given(st.lists(st.tuples(st.floats(0, 100), st.floats(0, 10)), max_size=12))
def test_heard_is_the_union_of_what_was_played(pieces: list[tuple[float, float]]) -> None:
    """However the listening jumps around, heard time is exactly the media time covered."""
    rec = Recorder()
    wall = 0.0
    for start, length in pieces:
        rec.jump()
        wall = play(rec, start, start + length, wall=wall + 1)
    spans = rec.spans
    assert all(a < b for a, b in spans)
    assert all(spans[i][1] < spans[i + 1][0] for i in range(len(spans) - 1))  # merged, in order
    expected = union_length([(a, a + n) for a, n in pieces])
    assert abs(rec.heard_s() - expected) <= 0.002 * len(pieces) + 1e-9  # rounded to milliseconds
