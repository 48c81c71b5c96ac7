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
from pathlib import Path
from typing import Any, Awaitable, Literal, Protocol, TypeVar

from ..model.errors import AudioUnplayable, PlaybackError, TrackerError, UsageError
from ..model.records import Chapter, Episode
from .mpv import REPLY_TIMEOUT_S, Event, Mpv, MpvGone
from .options import ENV_OPTIONS, check_speed, mpv_args, step_speed, user_options
from .saver import Saver
from .source import Start
from .session import END_S, NowPlaying, Session, audio_chapters, start_at
from .text import clock

Outcome = Literal["stopped", "finished", "failed", "mpv_gone"]
SAVE_EVERY_S = 10.0  # a tracker killed mid-play loses less than this (plus one write)
STALL_AFTER_S = 20.0
TICK_S = 1.0
OBSERVED = ("time-pos", "pause", "duration", "speed")
A = TypeVar("A")
B = TypeVar("B")


class Listener(Protocol):
    def status(self, now: NowPlaying) -> None:
        """The now-playing line changed (at most about once a displayed second)."""

    def message(self, text: str, error: bool = False) -> None:
        """Something to tell the user in one line."""

    def ended(self, outcome: Outcome) -> None:
        """Playing is over (stopped, finished with nothing queued, failed, mpv gone)."""


class Player:
    def __init__(self, folder: Path, listener: Listener, advance: bool = True, *,
                 save_every_s: float = SAVE_EVERY_S, stall_after_s: float = STALL_AFTER_S,
                 reply_timeout_s: float = REPLY_TIMEOUT_S, environ: dict[str, str] | None = None) -> None:
        self.listener = listener
        self.advance = advance
        self.save_every_s = save_every_s
        self.stall_after_s = stall_after_s
        self.reply_timeout_s = reply_timeout_s
        self.environ = environ
        self.saver = Saver(folder, on_busy=self._busy, on_error=lambda m: listener.message(m, error=True))
        self.session: Session | None = None
        self.mpv: Mpv | None = None
        self.outcome: Outcome | None = None
        self._done = asyncio.Event()
        self._tick: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._expect_load = False
        self._entry: int | None = None
        self._known: Start | None = None  # what the session playing was started from
        self._last_save = time.monotonic()
        self._last_move = time.monotonic()
        self._last_pos: float | None = None
        self._shown: tuple[Any, ...] | None = None
        self._speed = 1.0
        self._base_speed: float | None = None  # mpv's own, from its options: a show with none remembered

    @property
    def playing(self) -> bool:
        return self.session is not None and self.session.state not in ("ended", "stopped")

    # -- starting -----------------------------------------------------------------------------
    async def play(self, eid: str, chapter: int | None = None, speed: float | None = None,
                   known: Start | None = None, from_start: bool = False) -> NowPlaying:
        """Start ``eid`` at its resume point (or chapter ``chapter``, or the very start with
        ``from_start``). Raises NoAudio,
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

    # -- events from mpv -------------------------------------------------------------------------
    def _on_event(self, ev: Event) -> None:
        s = self.session
        kind = ev.get("event")
        if kind == "start-file" and self._expect_load:
            self._expect_load = False
            self._entry = ev.get("playlist_entry_id")
            return
        if kind == "property-change" and ev.get("name") == "speed" and isinstance(ev.get("data"), (int, float)):
            self._speed = float(ev["data"])  # mpv's speed outlives a file: kept here, not per session
            if s is not None:
                s.speed = self._speed
                self._show()
        if s is None or self._expect_load or ev.get("playlist_entry_id", self._entry) != self._entry:
            return
        if kind == "property-change":
            self._property(s, ev.get("name"), ev.get("data"))
        elif kind == "seek":
            s.recorder.jump()
            self._save(s)
        elif kind == "playback-restart" and not s.began and s.target is None and not s.to_end:
            s.began = True  # the audio starts where the load asked: heard from there on
            s.recorder.begin(s.start_s, time.monotonic())
        elif kind == "file-loaded":
            s.state, s.opened = "playing", True
            if s.pause_asked:
                self._send(["set_property", "pause", True])
            if not s.episode.chapters:
                self._spawn(self._adopt_chapters(s))
        elif kind == "end-file":
            reason = ev.get("reason")
            if reason == "eof" or (reason == "error" and s.to_end):
                # sent to the end as it started (every chapter from there skipped), mpv says it
                # played nothing: the audio is fine, the rest is skipped
                self._spawn(self._finish(s))
            elif reason == "error":
                self._spawn(self._load_failed(s, str(ev.get("file_error") or "loading failed")))

    def _property(self, s: Session, name: Any, data: Any) -> None:
        now = time.monotonic()
        if name == "time-pos" and isinstance(data, (int, float)) and s.state in ("playing", "paused", "stalled", "loading"):
            self._position(s, float(data), now)
        elif name == "pause" and isinstance(data, bool):
            if s.state in ("playing", "paused", "stalled"):
                s.state = "paused" if data else "playing"
                (s.recorder.pause if data else s.recorder.resume)(now)
                self._last_move = now
                if data:
                    self._save(s)
                self._show()
        elif name == "duration" and isinstance(data, (int, float)) and data > 0:
            s.duration_s = s.audio_s = float(data)

    def _position(self, s: Session, t: float, now: float) -> None:
        s.loaded = True
        if s.state in ("loading", "stalled"):
            if s.state == "stalled":
                self.listener.message(f"“{s.episode.title}” plays again")
            s.state = "playing"
        if self._last_pos is None or abs(t - self._last_pos) > 1e-6:
            self._last_move = now
        self._last_pos = t
        heard = s.report(t, now)
        if heard is None:
            return  # a report from before a seek of ours landed
        if heard.new_chapter and not heard.first:
            self._save(s)
        self._say_chapters(s, heard.entered)
        if heard.jump_to is not None:
            self._jump(s, heard.jump_to)
        self._show()

    def _say_chapters(self, s: Session, chapters: tuple[Chapter, ...]) -> None:
        """Each chapter begun, but not one marked skipped: it is jumped, not played."""
        for ch in chapters:
            if ch.n not in s.skipped or ch.n == s.exempt:
                self.listener.message(f"chapter {ch.n}/{len(s.episode.chapters)} “{ch.title}”")

    def _jump(self, s: Session, target: float) -> None:
        """Past a skipped chapter: to the next one's start, or the end."""
        if s.duration_s is not None and target >= s.duration_s - END_S:
            s.recorder.jump()
            s.to_end = True
            self._send(["seek", 100, "absolute-percent"])  # skipped to the end: it ends
        else:
            self._seek(s, target)

    def _seek(self, s: Session, target: float) -> None:
        s.aim(target, time.monotonic())
        self._send(["seek", target, "absolute+exact"])

    def _on_close(self) -> None:
        s = self.session
        if self.mpv is not None and self.mpv.quitting:
            return
        if s is not None and self.playing:
            how = "stopped answering and was ended" if self.mpv is not None and self.mpv.hung else "stopped unexpectedly"
            self._spawn(self._fail(s, PlaybackError(f"mpv {how}; what was heard is saved"), "mpv_gone"))

    # -- ends ---------------------------------------------------------------------------------------
    async def _finish(self, s: Session) -> None:
        end = s.duration_s if s.duration_s is not None else (s.recorder.position_s or 0.0)
        playing_on = s.recorder.playing_on()
        if not s.recorder.reached_end(end, time.monotonic(), s.speed):
            at = s.recorder.position_s or 0.0
            await self._fail(s, AudioUnplayable(
                f"“{s.episode.title}” stopped at {clock(at)} of {clock(end)}: the audio ends there "
                "(a stream cut off or an incomplete file); what was heard is saved"))
            return
        if playing_on:
            self._say_chapters(s, s.entered(end))  # begun after the last position report
        s.state = "ended"
        self._save(s, ended=True)
        await self.saver.flush()
        self.listener.message(f"finished “{s.episode.title}”")
        self._show(force=True)
        if self.advance:
            nxt = await self.saver.call("next_queued", played=s.episode.id)
            if nxt is not None:
                eid, chapter = nxt
                try:
                    await self.play(eid, chapter)
                    return
                except TrackerError as err:  # cannot play, or a queued chapter gone since (usage)
                    self.listener.message(str(err), error=True)
                    self._settle("failed")
                    return
        self._settle("finished")

    async def _load_failed(self, s: Session, why: str) -> None:
        """mpv could not play the file. Where only the start was past the end of the audio,
        say so: a resume point there plays from the start (as one at the very end does)."""
        title = s.episode.title
        if not s.starts_past_the_end() or s is not self.session or s.state in ("ended", "stopped"):
            await self._fail(s, AudioUnplayable(f"cannot play “{title}”: {why}"))
            return
        end = f"past the end of its audio ({clock(s.audio_s)})" if s.audio_s else "past the end of its audio"
        if s.chosen is not None:
            await self._fail(s, AudioUnplayable(
                f"cannot play “{title}” from chapter {s.chosen}: it starts at {clock(s.start_s)}, {end}"))
            return
        self.listener.message(f"“{title}” resumes {end}: playing from the start")
        try:
            await self.play(s.episode.id, known=self._known, from_start=True)
        except PlaybackError as err:
            await self._fail(s, err)

    async def _fail(self, s: Session, err: PlaybackError, outcome: Outcome = "failed") -> None:
        if s is not self.session or s.state in ("ended", "stopped"):
            return
        if s.has_news():
            self._save(s)
        s.state = "stopped"
        await self.saver.flush()
        self.listener.message(str(err), error=True)
        self._show(force=True)
        self._settle(outcome)

    async def _end_session(self, outcome: Outcome, quiet: bool = False, settle: bool = True) -> None:
        s = self.session
        if s is None or s.state in ("ended", "stopped"):
            if settle and self.outcome is None and not self._done.is_set():
                self._settle(outcome)  # asked to stop before anything played
            return
        if s.has_news():
            self._save(s)
        s.state = "stopped"
        if self.mpv is not None and not self.mpv.closed:
            with contextlib.suppress(MpvGone, PlaybackError):
                await self.mpv.command("stop")
        await self.saver.flush()
        if not quiet:
            self._show(force=True)
        if settle:
            self._settle(outcome)

    def _settle(self, outcome: Outcome) -> None:
        self.outcome = outcome
        self._done.set()
        self.listener.ended(outcome)

    # -- chapters from the audio ------------------------------------------------------------------------
    async def _adopt_chapters(self, s: Session) -> None:
        mpv = self.mpv
        if mpv is None:
            return
        try:
            raw = await mpv.command("get_property", "chapter-list")
        except PlaybackError:
            return
        pairs = audio_chapters(raw)
        if not pairs or s is not self.session:
            return
        eid = s.episode.id
        try:
            doc = await self.saver.call("adopt", eid=eid, chapters=pairs)
        except TrackerError as err:
            self.listener.message(str(err), error=True)
            return
        if doc is not None and s is self.session:
            s.use_chapters(Episode.from_doc(eid, doc).chapters)
            self._show(force=True)

    # -- saving, ticking, showing --------------------------------------------------------------------------
    def _save(self, s: Session, ended: bool = False) -> None:
        if not ended and not s.has_news():
            return
        snap = s.snapshot(ended=ended)
        s.saved(snap)
        self._last_save = time.monotonic()
        self.saver.save(snap)

    def saver_task(self, op: str, **args: Any) -> None:
        """A model change beside the heard time (a mark, a speed), in order with the saves."""
        async def run() -> None:
            try:
                await self.saver.call(op, **args)
            except Exception as err:  # noqa: BLE001 - told, playback goes on
                self.listener.message(str(err), error=True)

        self._spawn(run())

    async def _ticker(self) -> None:
        while True:
            await asyncio.sleep(min(TICK_S, self.save_every_s / 2, self.stall_after_s / 2))
            s = self.session
            if s is None or not self.playing:
                continue
            now = time.monotonic()
            if now - self._last_save >= self.save_every_s:
                self._save(s)
                self._last_save = now
            if s.state in ("playing", "loading") and now - self._last_move >= self.stall_after_s:
                await self._stalled(s)

    async def _stalled(self, s: Session) -> None:
        """No position for a while: a stream that stalls (mpv answers, and is left to wait)
        or mpv itself hung (it does not, and is ended: ``_on_close`` says so)."""
        if self.mpv is None:
            return
        try:
            await self.mpv.command("get_property", "pause")
        except PlaybackError:
            return
        if s is self.session and s.state in ("playing", "loading") and time.monotonic() - self._last_move >= self.stall_after_s:
            s.state = "stalled"
            self.listener.message(f"“{s.episode.title}” has stalled: no audio for {self.stall_after_s:g} s", error=True)
            self._show(force=True)

    def _busy(self, busy: bool) -> None:
        self.listener.message("the library is busy: the progress is kept and saved when it frees" if busy
                              else "progress saved", error=busy)

    def _show(self, force: bool = False) -> None:
        s = self.session
        if s is None:
            return
        now = s.now()
        key = (now.eid, int(now.position_s), now.chapter, now.state, now.speed, now.chapters, round(now.chapter_share, 2))
        if force or key != self._shown:
            self._shown = key
            self.listener.status(now)

    def _send(self, command: list[Any]) -> None:
        if self.mpv is not None:
            self.mpv.send(command)

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


async def _both(first: Awaitable[A], second: Awaitable[B]) -> tuple[A, B]:
    """Both at once; the first one's failure is the one raised (the other still ends)."""
    a, b = await asyncio.gather(first, second, return_exceptions=True)
    if isinstance(a, BaseException):
        raise a
    if isinstance(b, BaseException):
        raise b
    return a, b
