"""The player service against a real mpv (``--ao=null`` at 16x): what is heard is recorded."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest

from tracker.model.errors import AudioUnplayable, NoAudio, PlayerMissing
from tracker.model.library import Library
from tracker.playback.player import Player

from .conftest import BARE, CUT, FAST, FASTER, LOCAL, MISSING, NEXT, REFUSED, REMOTE, SILENT, TEXT
from .listen import Heard, chapters, heard
from .media import Served

ENV = {"TRACKER_MPV_OPTIONS": FAST}


def player(library: Library, heard_by: Heard, options: str = FAST, **kwargs: object) -> Player:
    kwargs.setdefault("advance", False)
    return Player(library.folder, heard_by, environ={"TRACKER_MPV_OPTIONS": options}, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("eid", [LOCAL, REMOTE])
async def test_from_chapter_3_starts_there_and_leaves_1_and_2_unheard(library: Library, eid: str) -> None:
    h = Heard()
    p = player(library, h)
    try:
        first = h.when(lambda now: now.state == "playing")
        stop = h.at(24.0, p.stop)
        await p.play(eid, chapter=3)
        started = await h.reached(first)
        assert 20.0 <= started.position_s <= 21.0 and started.chapter == 3
        last = await h.reached(stop)
        assert await p.wait() == "stopped"
    finally:
        await p.close()
    got = chapters(library, eid)
    assert [c["heard_s"] for c in got[:2]] == [0, 0]
    assert [c["state"] for c in got[:2]] == ["new", "new"]
    assert last.position_s - 20 - 0.1 <= got[2]["heard_s"] <= last.position_s - 20 + 2.5  # + what played until stop


async def test_heard_time_lands_on_its_chapters_and_a_forward_seek_credits_nothing(library: Library) -> None:
    h = Heard()
    p = player(library, h)
    try:
        seek = h.at(4.0, lambda: p.seek_by(12))  # into the middle of chapter 2
        stop = h.at(15.0, p.stop)
        await p.play(LOCAL)
        before_seek = await h.reached(seek)
        landed = await h.reached(stop)
        await p.wait()
    finally:
        await p.close()
    one, two, three = heard(library, LOCAL)
    assert before_seek.position_s - 1 <= one <= landed.position_s - 10  # what played before the seek, no more
    assert two <= landed.position_s - 15 + 1.5  # at most the part of chapter 2 actually played after landing
    assert three == 0
    assert library.state(LOCAL).status == "in_progress"


async def test_a_skipped_chapter_is_jumped_over_and_stays_unheard(library: Library) -> None:
    library.mark_chapter(LOCAL, 2, "skipped")
    h = Heard()
    p = player(library, h)
    try:
        stop = h.at(22.0, p.stop)
        await p.play(LOCAL)
        await h.reached(stop)
        assert await p.wait() == "stopped"
    finally:
        await p.close()
    got = chapters(library, LOCAL)
    assert got[0]["state"] == "done" and got[2]["heard_s"] >= 2.0
    assert got[1]["heard_s"] == 0 and got[1]["state"] == "skipped"
    assert not any(s.chapter == 2 and s.position_s > 12 for s in h.statuses)  # jumped at the first report in it


async def test_the_end_marks_listened_leaves_the_queue_and_the_next_one_starts(library: Library) -> None:
    library.queue_add([LOCAL, NEXT])
    h = Heard()
    p = player(library, h, advance=True)
    try:
        stop = h.at(3.0, p.stop, eid=NEXT)
        await p.play(LOCAL, chapter=3)
        await h.reached(stop)
        assert await p.wait() == "stopped"
    finally:
        await p.close()
    assert library.state(LOCAL).status == "listened"
    assert [e.id for e in library.queue()] == [NEXT]
    assert library.state(NEXT).status == "in_progress"
    assert any(text.startswith("finished “Local episode”") for text, _ in h.messages)


async def test_stop_as_an_episode_finishes_does_not_start_the_next_one(library: Library) -> None:
    """Stop (``v``, Ctrl-C) came as the end was being saved: playing said "stopped", and
    the next queued episode started all the same (the command then quit its mpv under it)."""
    library.queue_add([LOCAL, NEXT])

    class StopAtTheEnd(Heard):
        def message(self, text: str, error: bool = False) -> None:
            super().message(text, error)
            if text.startswith("finished"):
                p.stop()

    h = StopAtTheEnd()
    p = player(library, h, FASTER, advance=True)
    try:
        await p.play(LOCAL, chapter=3)
        assert await asyncio.wait_for(p.wait(), 10) == "stopped"
    finally:
        await p.close()
    assert [s.eid for s in h.statuses if s.eid == NEXT] == [] and h.outcomes == ["stopped"]
    assert library.state(NEXT).status == "new" and [e.id for e in library.queue()] == [NEXT]


async def test_no_advance_stops_at_the_end(library: Library) -> None:
    library.queue_add([LOCAL, NEXT])
    h = Heard()
    p = player(library, h, FASTER, advance=False)
    try:
        await p.play(LOCAL, chapter=3)
        assert await p.wait() == "finished"
    finally:
        await p.close()
    assert {s.eid for s in h.statuses} == {LOCAL}
    assert library.state(NEXT).status == "new"


async def test_mpv_killed_mid_play_keeps_what_was_saved_and_says_so(library: Library) -> None:
    h = Heard()
    p = player(library, h)
    try:
        def kill() -> None:
            assert p.mpv is not None and p.mpv.process is not None
            p.mpv.process.kill()

        killed = h.at(12.0, kill)  # chapter 2 began: chapter 1 was saved at the change
        await p.play(LOCAL)
        await h.reached(killed)
        assert await p.wait() == "mpv_gone"
    finally:
        await p.close()
    assert any("mpv stopped unexpectedly" in e for e in h.errors)
    one, two, _ = heard(library, LOCAL)
    assert one == 10.0 and two >= 1.0


async def test_a_library_worker_that_dies_under_a_save_is_replaced_and_the_save_lands(library: Library) -> None:
    """As when Ctrl-C reached the worker: it dies with the stop's save in flight."""
    h = Heard()
    p = player(library, h)
    try:
        def hold_worker() -> None:
            worker = p.saver._proc
            assert worker is not None and worker.returncode is None
            worker.send_signal(signal.SIGSTOP)

        # chapter 1 was saved at the change (which started the worker)
        held = h.when(lambda now: now.position_s >= 12.0 and p.saver._proc is not None, hold_worker)
        stop = h.when(lambda now: held.done() and now.position_s >= 16.0, p.stop)
        await p.play(LOCAL)
        await h.reached(held)
        await h.reached(stop)
        await h.until(p.saver._lock.locked, about="the stop's save waits on the held worker")
        assert p.saver._proc is not None
        p.saver._proc.kill()
        assert await p.wait() == "stopped"
    finally:
        await p.close()
    assert h.errors == []
    one, two, three = heard(Library(library.folder), LOCAL)
    assert one == 10.0 and two >= 5.5 and three == 0.0  # 10 to 16 s and on: the stop's save


async def test_progress_is_saved_on_a_timer_while_nothing_else_happens(library: Library) -> None:
    h = Heard()
    p = Player(library.folder, h, advance=False, save_every_s=0.3,
               environ={"TRACKER_MPV_OPTIONS": "--ao=null --speed=1"})
    try:
        await p.play(LOCAL)
        await h.until(lambda: library.state(LOCAL).position_s >= 0.5, about="a timed save")
        assert h.now.chapter == 1  # no chapter change, pause or seek caused it
    finally:
        await p.close()


@pytest.mark.parametrize("eid, error, words", [
    (MISSING, AudioUnplayable, "cannot play “Missing episode”"),
    (TEXT, AudioUnplayable, "cannot play “Text episode”"),
    (REFUSED, AudioUnplayable, "cannot play “Refused episode”"),
])
async def test_audio_that_does_not_load_is_one_line_and_nothing_is_recorded(
        library: Library, eid: str, error: type[Exception], words: str) -> None:
    h = Heard()
    p = player(library, h)
    try:
        await p.play(eid)
        assert await p.wait() == "failed"
    finally:
        await p.close()
    assert len(h.errors) == 1 and words in h.errors[0] and "\n" not in h.errors[0]
    assert library.history() == [] and library.state(eid).status == "new"


async def test_no_audio_and_no_mpv_are_refused_before_anything_starts(
        library: Library, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    h = Heard()
    p = player(library, h)
    with pytest.raises(NoAudio, match="has no audio"):
        await p.play(SILENT)
    await p.close()
    monkeypatch.setenv("PATH", str(tmp_path))
    p = player(library, h)
    with pytest.raises(PlayerMissing, match="apt install mpv"):
        await p.play(LOCAL)
    await p.close()
    assert library.history() == [] and h.statuses == []


async def test_chapters_from_the_audio_are_adopted_when_the_catalog_has_none(library: Library) -> None:
    h = Heard()
    p = player(library, h)
    stop = h.when(lambda now: now.chapters == 3 and now.chapter == 2, lambda: p.stop())
    try:
        await p.play(BARE)
        await h.reached(stop)
        assert await p.wait() == "stopped"
    finally:
        await p.close()
    ep = library.episode(BARE)
    assert [c.title for c in ep.chapters] == ["Opening", "Middle part", "Closing"]
    assert ep.chapters_source == "audio"
    assert [c["state"] for c in chapters(library, BARE)][0] == "done"  # heard time lands on the adopted chapters


async def test_a_stalled_stream_is_reported(library: Library, http: Served) -> None:
    from tracker.model.catalog import merge_show

    from .conftest import episode_doc

    merge_show(library, "s1", {"title": "Test Show"}, {"abcd00000009": episode_doc("Stalling", f"{http.base}/stall.mp3")},
               {"abcd00000009": ""})
    h = Heard()
    p = player(library, h, stall_after_s=0.5)
    try:
        await p.play("abcd00000009")
        await h.until(lambda: any("has stalled" in e for e in h.errors), about="the stall is told")
        assert h.now.state == "stalled"
    finally:
        await p.close()


async def test_the_speed_is_remembered_per_show(library: Library) -> None:
    h = Heard()
    p = Player(library.folder, h, advance=False, environ={"TRACKER_MPV_OPTIONS": "--ao=null"})
    try:
        await p.play(LOCAL, chapter=3, speed=2.5)
        await h.until(lambda: h.statuses and h.now.speed == 2.5, about="speed 2.5")
        p.stop()
        await p.wait()
        await p.play(NEXT, chapter=3)  # same show, no speed given
        await h.until(lambda: h.now.eid == NEXT and h.now.state == "playing" and h.now.speed == 2.5, about="remembered")
        p.change_speed(up=True)  # ] in the TUI: a step of 0.25, remembered too
        await h.until(lambda: h.now.speed == 2.75, about="faster")
        p.stop()
        await p.wait()
    finally:
        await p.close()
    assert library.show_speed("s1") == 2.75


async def test_a_session_is_one_history_action_that_undo_takes_back(library: Library) -> None:
    h = Heard()
    p = player(library, h)
    try:
        pause = h.at(22.0, p.toggle_pause)  # two chapter changes: several writes
        await p.play(LOCAL)
        await h.reached(pause)
        await h.until(lambda: h.now.state == "paused", about="paused")
        p.stop()
        await p.wait()
    finally:
        await p.close()
    actions = library.history()
    assert len(actions) == 1 and actions[0].summary.startswith("played ")
    library.undo()
    assert library.state(LOCAL).status == "new" and heard(library, LOCAL) == [0, 0, 0]


async def test_an_undo_while_playing_is_not_taken_back_by_the_next_save(library: Library) -> None:
    """``u`` while paused took the session back, and the next save (a seek, the stop) put
    its position back: the episode was in progress again, the undo lost."""
    h = Heard()
    p = player(library, h)
    try:
        pause = h.at(10.0, p.toggle_pause)
        await p.play(LOCAL)
        await h.reached(pause)
        await h.until(lambda: h.now.state == "paused", about="paused")
        await p.saver.flush()
        assert [a.summary.startswith("played ") for a in library.history()] == [True]
        library.undo()  # as the TUI's ``u`` does, from its own process
        p.seek_by(-5.0)  # nothing heard, the position moved: saved
        await h.until(lambda: h.now.position_s < 8.0, about="the seek landed")
        p.stop()
        assert await p.wait() == "stopped"
    finally:
        await p.close()
    st = library.state(LOCAL)
    assert (st.status, st.position_s, st.spans) == ("new", 0.0, ())
    assert library.history() == []


HOLD_LOCK = r"""
import fcntl, sys
with open(sys.argv[1], "a") as f:
    fcntl.flock(f, fcntl.LOCK_EX)
    print("held", flush=True)
    sys.stdin.readline()
"""


async def test_a_busy_library_delays_the_writes_but_loses_nothing(library: Library) -> None:
    import subprocess
    import sys

    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(library.folder / ".lock")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdin is not None
    assert holder.stdout.readline().strip() == "held"  # another process holds the library
    h = Heard()
    p = player(library, h)
    try:
        stop = h.at(15.0, p.stop)  # chapter 1 ended meanwhile: its write is waiting for the lock
        await p.play(LOCAL)
        await h.reached(stop)
        await h.until(lambda: any("library is busy" in e for e in h.errors), about="told the library is busy")
        assert library.state(LOCAL).status == "new"  # nothing could be written yet
        holder.stdin.write("go\n")
        holder.stdin.flush()
        assert await asyncio.wait_for(p.wait(), 20) == "stopped"  # the stop waited for its write
    finally:
        holder.kill()
        holder.wait()
        await p.close()
    one, two, three = heard(library, LOCAL)
    assert one == 10.0 and two >= 4.0 and three == 0


async def test_next_chapter_on_the_last_one_stays_where_it_is_and_says_so(library: Library) -> None:
    """``>`` in the last chapter used to jump back to that chapter's start."""
    h = Heard()
    p = player(library, h)
    try:
        step = h.at(24.0, lambda: p.chapter_step(1))
        await p.play(LOCAL, chapter=3)
        stepped = await h.reached(step)
        stop = h.at(stepped.position_s + 3.0, p.stop)
        await h.reached(stop)
        await p.wait()
    finally:
        await p.close()
    after = h.statuses[h.statuses.index(stepped):]
    assert min(s.position_s for s in after) >= stepped.position_s  # never went back
    assert any("last chapter" in text for text, _ in h.messages)


def longer_in_the_feed(library: Library, audio: Path) -> str:
    """An episode whose feed says 60 s with a fourth chapter at 45 s, over the 40 s file (a
    re-encode, other ads): where the feed and the audio disagree."""
    from tracker.model.catalog import merge_show

    from .conftest import episode_doc

    doc = episode_doc("Longer in the feed", str(audio))
    doc["duration_s"] = 60
    doc["chapters"] = [*doc["chapters"][:2], {"title": "Closing", "start_s": 20, "end_s": 45},
                       {"title": "Bonus", "start_s": 45, "end_s": 60}]
    merge_show(library, "s1", {"title": "Test Show"}, {"abce00000010": doc}, {"abce00000010": ""})
    return "abce00000010"


async def test_a_resume_point_past_the_end_of_the_audio_plays_from_the_start(library: Library, audio: Path) -> None:
    """It used to fail with mpv's "no audio or video data played", as if the audio were bad."""
    eid = longer_in_the_feed(library, audio)
    library.report_progress(eid, 50)  # heard up to 0:50, say on a phone's longer copy
    h = Heard()
    p = player(library, h)
    try:
        playing = h.when(lambda now: now.state == "playing" and now.position_s < 5)
        await p.play(eid)
        await h.reached(playing)
        p.stop()
        assert await p.wait() == "stopped"
    finally:
        await p.close()
    assert h.errors == []
    assert any("resumes past the end of its audio" in text for text, _ in h.messages)


async def test_a_chapter_past_the_end_of_the_audio_says_so(library: Library, audio: Path) -> None:
    eid = longer_in_the_feed(library, audio)
    h = Heard()
    p = player(library, h)
    try:
        await p.play(eid, chapter=4)
        assert await p.wait() == "failed"
    finally:
        await p.close()
    (error,) = h.errors  # with the audio's length (0:40) when mpv measured it before failing
    assert error.startswith("cannot play “Longer in the feed” from chapter 4: it starts at 0:45, past the end of its audio")
    assert library.state(eid).status == "new"


def hang(p: Player) -> None:
    """mpv stops answering (SIGSTOP): as a wedged audio driver leaves it."""
    assert p.mpv is not None and p.mpv.process is not None
    p.mpv.process.send_signal(signal.SIGSTOP)


async def test_an_mpv_that_hangs_mid_play_is_ended_with_one_line_and_what_was_heard_is_kept(library: Library) -> None:
    """It used to be called "stalled" and waited on forever."""
    h = Heard()
    p = player(library, h, FASTER, stall_after_s=0.3, reply_timeout_s=1.0)
    try:
        hung = h.at(11.0, lambda: hang(p))  # chapter 2 began: chapter 1 was saved at the change
        await p.play(LOCAL)
        await h.reached(hung)
        assert await asyncio.wait_for(p.wait(), 10) == "mpv_gone"
    finally:
        await p.close()
    assert h.errors == ["mpv stopped answering and was ended; what was heard is saved"]
    one, two, _ = heard(library, LOCAL)
    assert one == 10.0 and two >= 1.0


async def test_after_mpv_hangs_the_next_play_starts_a_new_one(library: Library) -> None:
    """Every play used to wait on the hung mpv and fail with "mpv stopped answering"."""
    h = Heard()
    # Only the hung mpv is given up on quickly: the fresh one may take seconds to answer on a
    # loaded machine (2.5 s for both once failed so), and a play waiting on the hung one fails.
    p = player(library, h, reply_timeout_s=30.0)

    def hang_quickly_noticed() -> None:
        hang(p)
        assert p.mpv is not None
        p.mpv.reply_timeout_s = 1.0

    try:
        hung = h.at(3.0, hang_quickly_noticed)
        await p.play(LOCAL)
        await h.reached(hung)
        playing = h.when(lambda now: now.eid == NEXT and now.state == "playing")
        await p.play(NEXT)
        await h.reached(playing)
        p.stop()
        assert await p.wait() == "stopped"
    finally:
        await p.close()
    assert heard(library, LOCAL)[0] >= 2.0


async def test_a_start_given_up_half_way_leaves_no_mpv_behind(library: Library) -> None:
    """``p`` pressed twice: the second cancels the first start. Its mpv, spawned but not
    yet answering, used to stay (idle, ~70 MB) until the program ended."""
    import uuid

    from .test_cli_play import mpv_running

    tag = f"tracker-test-{uuid.uuid4().hex}"
    h = Heard()
    p = player(library, h, f"{FAST} --title={tag}")
    try:
        start = asyncio.create_task(p.play(LOCAL))
        await h.until(lambda: start.done() or (mpv_running(tag) and p.mpv is None), about="mpv spawned")
        await asyncio.sleep(0.03)  # its process started (mpv takes 85 ms or more to answer)
        assert not start.done() and p.mpv is None  # caught while mpv starts
        start.cancel()
        with pytest.raises(asyncio.CancelledError):
            await start
        await h.until(lambda: not mpv_running(tag), timeout=5, about="the half-started mpv ends")
    finally:
        await p.close()


async def test_playing_a_listened_episode_again_says_how_far_it_played(library: Library) -> None:
    """The history said "played 0:00 to 0:40" (its length) of a replay stopped at 0:03."""
    library.mark_listened([LOCAL])
    h = Heard()
    p = player(library, h)
    try:
        stop = h.at(3.0, p.stop)
        await p.play(LOCAL)
        await h.reached(stop)
        await p.wait()
    finally:
        await p.close()
    state = library.state(LOCAL)
    assert state.status == "listened" and state.position_s < 10
    assert library.history()[0].summary == f"played 0:00 to 0:0{int(state.position_s)} of “Local episode”"



def intro_first(library: Library, audio: Path) -> str:
    """Chapters from 10 s on: the first 10 s (an intro) are in none, as show notes often give."""
    from tracker.model.catalog import merge_show

    from .conftest import episode_doc

    doc = episode_doc("Intro first", str(audio))
    doc["chapters"] = doc["chapters"][1:]
    merge_show(library, "s1", {"title": "Test Show"}, {"abcd00000012": doc}, {"abcd00000012": ""})
    return "abcd00000012"


async def test_a_new_episode_plays_from_its_start_when_the_chapters_begin_later(library: Library, audio: Path) -> None:
    """It started at the first chapter, 0:10: the intro was never played."""
    eid = intro_first(library, audio)
    assert library.resume(eid).position_s == 0
    h = Heard()
    p = player(library, h)
    try:
        first = h.when(lambda now: now.state == "playing", p.stop)
        await p.play(eid)
        started = await h.reached(first)
        await p.wait()
    finally:
        await p.close()
    assert started.position_s < 1.0


async def test_previous_chapter_in_the_intro_goes_back_to_the_start_not_ahead(library: Library, audio: Path) -> None:
    """``<`` at 0:03, before the first chapter (0:10), jumped ahead to 0:10."""
    eid = intro_first(library, audio)
    h = Heard()
    p = player(library, h)
    try:
        back = h.at(3.0, lambda: p.chapter_step(-1))
        await p.play(eid)
        await h.reached(back)
        landed = h.when(lambda now: now.position_s < 3.0 or now.position_s >= 10.0, p.stop)
        got = await h.reached(landed)
        await p.wait()
    finally:
        await p.close()
    assert got.position_s < 3.0


async def test_skip_in_an_intro_says_there_is_no_chapter_here(library: Library, audio: Path) -> None:
    """``X`` before the first chapter said "this episode has no chapters to skip"."""
    eid = intro_first(library, audio)
    h = Heard()
    p = player(library, h)
    try:
        skip = h.at(3.0, p.skip_chapter)
        await p.play(eid)
        await h.reached(skip)
        p.stop()
        await p.wait()
    finally:
        await p.close()
    assert h.errors == ["not in a chapter yet: the first begins at 0:10"]
    assert library.state(eid).marks == ()


async def test_a_queued_entry_with_a_chapter_gone_since_ends_playing_with_one_line(library: Library) -> None:
    """An old library's queue entry may name a chapter (as ``queue add --chapter`` once kept
    it there) that a refresh took away: auto-advance raised, and playing never ended. It ends as
    the episode asked for did (finished), saying why the next one does not play."""
    from tracker.model.files import QUEUE, QUEUE_KEY, STATE_FILE

    with library.store.transaction(STATE_FILE) as tx:
        tx.put(STATE_FILE, QUEUE, QUEUE_KEY, {"items": [[LOCAL, None], [NEXT, 9]]})
    h = Heard()
    p = player(library, h, FASTER, advance=True)
    try:
        await p.play(LOCAL, chapter=3)
        assert await asyncio.wait_for(p.wait(), 10) == "finished"
    finally:
        await p.close()
    assert h.errors == ["next in the queue: “Next episode” has chapters 1 to 3, not 9"]
    assert library.state(LOCAL).status == "listened"


async def test_skip_marks_the_chapter_playing_even_after_a_refresh_renumbered_them(library: Library) -> None:
    """A refresh mid-play split chapter 1 in two: ``X`` in "Middle part" (chapter 2 as
    the player knew it) marked the new chapter 2 skipped, half of the chapter before."""
    from tracker.model.catalog import merge_show

    from .conftest import episode_doc

    h = Heard()
    p = player(library, h)

    def refresh_then_skip() -> None:
        doc = episode_doc("Local episode", library.episode(LOCAL).audio_url)
        doc["chapters"][0:1] = [{"title": "Opening", "start_s": 0, "end_s": 5},
                                {"title": "A new ad break", "start_s": 5, "end_s": 10}]
        merge_show(Library(library.folder), "s1", {"title": "Test Show"}, {LOCAL: doc}, {LOCAL: ""})
        p.skip_chapter()

    try:
        skip = h.at(12.0, refresh_then_skip)
        await p.play(LOCAL)
        await h.reached(skip)
        p.stop()
        await p.wait()
    finally:
        await p.close()
    assert [(m.title, m.mark) for m in library.state(LOCAL).marks] == [("Middle part", "skipped")]


async def test_a_stream_cut_off_mid_episode_is_not_heard_to_its_end(library: Library) -> None:
    library.queue_add([CUT, NEXT])
    h = Heard()
    p = player(library, h, advance=True)
    try:
        await p.play(CUT)
        assert await p.wait() == "failed"
    finally:
        await p.close()
    state = library.state(CUT)
    stopped = state.position_s
    assert state.status == "in_progress" and 0 < stopped < 20  # not listened: it stopped at the cut
    assert heard(library, CUT)[2] == 0 and sum(heard(library, CUT)) <= stopped + 0.1  # nothing past the cut
    assert f"stopped at 0:{int(stopped):02d} of 0:40" in h.errors[-1]
    assert not any(text.startswith("finished") for text, _ in h.messages)
    assert library.state(NEXT).status == "new" and [e.id for e in library.queue()] == [CUT, NEXT]


async def test_audio_longer_than_the_feed_says_is_heard_past_its_declared_end(library: Library, audio: Path) -> None:
    """Stopping past the feed's length (ads put in since) made the episode listened, the time
    heard past it was clipped away, and the next play started over from 0:00."""
    from tracker.model.catalog import merge_show

    from .conftest import episode_doc

    doc = episode_doc("Longer than declared", str(audio))
    doc["duration_s"] = 30  # the audio is 40 s long
    merge_show(library, "s1", {"title": "Test Show"}, {"abcf00000011": doc}, {"abcf00000011": ""})
    h = Heard()
    p = player(library, h)
    try:
        stop = h.at(31.0, p.stop)
        await p.play("abcf00000011")
        stopped = (await h.reached(stop)).position_s
        assert await p.wait() == "stopped"
        state = library.state("abcf00000011")
        assert state.status == "in_progress" and state.position_s >= stopped - 0.01
        assert state.heard_s >= stopped - 1
        assert "played 0:00 to 0:3" in library.history()[0].summary
        again = h.when(lambda now: now.state == "playing")
        await p.play("abcf00000011")
        assert (await h.reached(again)).position_s >= stopped - 0.01  # where it stopped, not 0:00
    finally:
        await p.close()


async def test_a_pause_pressed_while_the_audio_loads_pauses_it(library: Library) -> None:
    """p twice (or P) before the file loaded: mpv's load undid the pause and it played on,
    or paused unseen and was then said to have stalled."""
    h = Heard()
    p = player(library, h, stall_after_s=1.0)
    try:
        paused = h.when(lambda now: now.state == "paused")
        await p.play(REMOTE)
        p.toggle_pause()
        assert (await h.reached(paused, timeout=5)).position_s < 1
        resumed = h.when(lambda now: now.state == "playing" and now.position_s > 2)
        p.toggle_pause()
        await h.reached(resumed)
        p.stop()
        assert await p.wait() == "stopped"
    finally:
        await p.close()
    assert h.errors == []


async def test_a_show_with_no_speed_of_its_own_plays_at_the_usual_speed_after_a_faster_show(
        library: Library, audio: Path) -> None:
    """mpv kept the speed of the show played before: another show, never sped up, played at 2.5x."""
    from tracker.model.catalog import merge_show

    from .conftest import episode_doc

    other = {**episode_doc("Other show's episode", str(audio)), "show_id": "s2", "show": "Other Show"}
    merge_show(library, "s2", {"title": "Other Show"}, {"abd000000012": other}, {"abd000000012": ""})
    h = Heard()
    p = Player(library.folder, h, advance=False, environ={"TRACKER_MPV_OPTIONS": "--ao=null"})
    try:
        await p.play(LOCAL, chapter=3, speed=2.5)
        await h.until(lambda: h.statuses and h.now.speed == 2.5, about="speed 2.5")
        p.stop()
        await p.wait()
        playing = h.when(lambda now: now.eid == "abd000000012" and now.state == "playing" and now.position_s > 0)
        await p.play("abd000000012")
        assert (await h.reached(playing)).speed == 1.0
        p.stop()
        await p.wait()
    finally:
        await p.close()
    assert library.show_speed("s2") is None


async def test_an_episode_whose_chapters_are_all_skipped_ends_without_an_error(library: Library) -> None:
    """It said "cannot play …: no audio or video data played" (exit 1 for tracker play):
    the jump past the skipped chapters to the end came as the audio started."""
    for n in (1, 2, 3):
        library.mark_chapter(LOCAL, n, "skipped")
    h = Heard()
    p = player(library, h)
    try:
        await p.play(LOCAL)
        assert await p.wait() == "finished", h.messages
    finally:
        await p.close()
    assert h.errors == []
    assert heard(library, LOCAL) == [0, 0, 0]
