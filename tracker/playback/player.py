"""The player service: play an episode through mpv and let heard time record itself.

One Player drives one mpv process on the caller's event loop (Textual's in the TUI,
``asyncio.run`` in the CLI), so both faces play and record exactly alike. It starts at the
resume point or a chosen chapter, jumps chapters marked skipped as playback reaches
them, saves what was heard (every ``save_every_s`` of wall time, and at pause, seek,
chapter change, stop, the end and when mpv goes away), marks the episode listened at
the end and goes on with the next queued episode.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Awaitable, TypeVar

from ..model.errors import PlaybackError, UsageError
from .mpv import Mpv, MpvGone
from .mpv_events import MpvEvents
from .options import ENV_OPTIONS, check_speed, mpv_args, step_speed, user_options
from .session import NowPlaying, Session, start_at
from .source import Start
from .text import clock
from .upkeep import Outcome

OBSERVED = ("time-pos", "pause", "duration", "speed")
A = TypeVar("A")
B = TypeVar("B")


class Player(MpvEvents):
    """One mpv, one episode at a time: starting it, and the controls keys call. mpv's events
    (``mpv_events.py``), a session's end (``ends.py``) and the saves and ticker (``upkeep.py``)
    are the parts it is built on."""

    # -- starting -----------------------------------------------------------------------------
    async def play(self, eid: str, chapter: int | None = None, speed: float | None = None,
                   known: Start | None = None, from_start: bool = False, queued: bool = False) -> NowPlaying:
        """Start ``eid`` at its resume point (or chapter ``chapter``, or the very start with
        ``from_start``; ``queued``: the queue went on to it). Raises NoAudio,
        AudioUnplayable (a missing file), PlayerMissing or UsageError before anything plays;
        a load that fails later (404, not audio) is told through the listener. ``known``:
        what a caller holding the library already read (``source.read_start``), else the
        worker reads it while mpv starts."""
        if speed is not None:
            speed = check_speed(speed)
        if known is None:
            got, mpv = await _both(self.saver.call("prepare", eid=eid), self._mpv())
            known = Start.from_doc(eid, got)
        else:
            mpv = await self._mpv()
        episode, state, source, remembered = known.episode, known.state, known.source, known.speed
        if chapter is not None and not 1 <= chapter <= len(episode.chapters):
            have = f"chapters 1 to {len(episode.chapters)}" if episode.chapters else "no chapters"
            raise UsageError(f"“{episode.title}” has {have}, not {chapter}")
        await self._end_session("stopped", quiet=True, settle=False)  # another episode was playing
        if mpv.closed:  # it hung or died meanwhile: a fresh one
            mpv = await self._mpv()
        if speed is not None:
            self.saver_task("set_speed", show_id=episode.show_id, speed=speed)
        # mpv keeps the speed of the file before, likely another show's: the show's own, else mpv's
        use_speed = speed if speed is not None else remembered if remembered is not None else self._base_speed
        if use_speed is not None:
            await mpv.command("set_property", "speed", use_speed)
        start = 0.0 if from_start else episode.chapters[chapter - 1].start_s if chapter else start_at(episode, state)
        session = Session.begin(episode, state, start, chosen=chapter)
        session.speed = use_speed or self._speed
        session.queued = queued
        self.session, self.outcome, self._known = session, None, known
        self._done.clear()
        self._last_pos = None
        self._last_save = self._last_move = time.monotonic()
        self._expect_load = True
        await mpv.loadfile(source, {"start": f"{start:.3f}", "pause": "no"})
        self._show(force=True)
        return session.now()

    async def _mpv(self) -> Mpv:
        if self.mpv is None or self.mpv.closed:
            mpv = Mpv(self._on_event, self._on_close, self.reply_timeout_s)
            try:
                await mpv.start(mpv_args(self.environ))
                await mpv.observe(*OBSERVED)
                base = await mpv.command("get_property", "speed")
            except BaseException as err:  # given up half-way (a second p cancels the first): not left running
                mpv.on_event, mpv.on_close = (lambda ev: None), (lambda: None)
                mpv.kill()
                if isinstance(err, MpvGone) and mpv.process is not None:
                    raise PlaybackError(self._would_not_start(await mpv.process.wait())) from None
                raise
            self.mpv = mpv  # only once it answers: a start given up half-way is not reused
            if isinstance(base, (int, float)) and base > 0:
                self._base_speed = float(base)
            if self._tick is None or self._tick.done():
                self._tick = asyncio.get_running_loop().create_task(self._ticker())
        return self.mpv

    def _would_not_start(self, status: int) -> str:
        """mpv exited as it started: it says why nowhere (it runs without a terminal), and
        the likely cause is an option it refused."""
        given = user_options(self.environ)
        if given:
            return (f"mpv would not start with {ENV_OPTIONS} '{given}' (it exited with status {status}): "
                    "run mpv with them to see why")
        return f"mpv would not start (it exited with status {status})"

    # -- controls (for keys: each does nothing when nothing plays) ----------------------------------
    def toggle_pause(self) -> None:
        s = self.session
        if s is not None and s.state == "loading":
            # mpv's load sets pause=no as it starts the file, undoing a pause sent now (or,
            # sent a moment later, pausing unseen: "stalled"): applied once the file is loaded.
            s.pause_asked = not s.pause_asked
            self._show(force=True)  # shown as asked at once: a press that shows nothing gets pressed again
            return
        self._send(["cycle", "pause"])

    def seek_by(self, seconds: float) -> None:
        s = self.session
        if s is not None and self.playing:
            self._seek(s, s.seek_target(seconds))

    def chapter_step(self, step: int) -> None:
        s = self.session
        if s is None or not self.playing:
            return
        target = s.chapter_target(step)
        if target is not None:
            self._seek(s, target)
        elif not s.episode.chapters:
            self.listener.message("this episode has no chapters", error=True)
        else:
            self.listener.message("this is the last chapter", error=True)

    def skip_chapter(self) -> None:
        """Mark the current chapter skipped and jump past it."""
        s = self.session
        if s is None or not self.playing:
            return
        ch = s.chapter_at(s.recorder.position_s or 0.0)
        if ch is None:
            chapters = s.episode.chapters
            self.listener.message(f"not in a chapter yet: the first begins at {clock(chapters[0].start_s)}" if chapters
                                  else "this episode has no chapters to skip", error=True)
            return
        s.mark_skipped(ch.n)
        self.saver_task("mark_chapter", eid=s.episode.id, n=ch.n, mark="skipped", seen=[ch.start_s, ch.title])
        self.listener.message(f"skipped chapter {ch.n} “{ch.title}”")
        target = s.jump_target(s.recorder.position_s or ch.start_s)
        if target is not None:
            self._jump(s, target)

    def change_speed(self, up: bool) -> None:
        s = self.session
        if s is None or not self.playing:
            return
        new = step_speed(s.speed, up)
        if abs(new - s.speed) < 1e-9:  # at the end of the range: the key is not lost unsaid
            self.listener.message(f"already at {new:g}x, the {'fastest' if up else 'slowest'}")
            return
        self._send(["set_property", "speed", new])
        self.saver_task("set_speed", show_id=s.episode.show_id, speed=new)

    def save_now(self) -> None:
        """Write what was heard so far, now (nothing new: no write)."""
        if self.session is not None and self.playing:
            self._save(self.session)

    def stop(self) -> None:
        """Stop playing and save; ``ended('stopped')`` follows."""
        self._spawn(self._end_session("stopped"))

    async def wait(self) -> Outcome:
        await self._done.wait()
        assert self.outcome is not None
        return self.outcome

    async def close(self) -> None:
        """Stop, save everything and quit mpv (the app or the command is ending)."""
        await self._end_session("stopped", quiet=True)
        if self._tick is not None:
            self._tick.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._tick
        if self.mpv is not None:
            await self.mpv.quit()
        for task in list(self._tasks):
            with contextlib.suppress(Exception):
                await task
        await self.saver.close()



async def _both(first: Awaitable[A], second: Awaitable[B]) -> tuple[A, B]:
    """Both at once; the first one's failure is the one raised (the other still ends)."""
    a, b = await asyncio.gather(first, second, return_exceptions=True)
    if isinstance(a, BaseException):
        raise a
    if isinstance(b, BaseException):
        raise b
    return a, b
