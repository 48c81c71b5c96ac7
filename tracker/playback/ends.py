"""How a playing session ends: at the end of the audio (and on to the next queued episode),
stopped, failed (a load mpv refused, a stream cut short, mpv gone), each saving what was
heard first and settling the player's outcome once.
"""

from __future__ import annotations

import contextlib
import time

from ..model.errors import AudioUnplayable, NoAudio, PlaybackError, TrackerError, UsageError
from .mpv import MpvGone
from .session import Session
from .text import clock
from .upkeep import Outcome, Upkeep

NEXT_ONE = "next in the queue: "  # before what keeps the next queued episode from playing


class SessionEnds(Upkeep):
    """The ends of a session, for the player and for mpv's events alike."""

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
        if not self._still(s):
            return
        if self.advance:
            nxt = await self.saver.call("next_queued", played=s.episode.id)
            if not self._still(s):
                return
            if nxt is not None:
                eid, chapter = nxt
                try:
                    await self.play(eid, chapter, queued=True)
                    return
                except (NoAudio, AudioUnplayable, UsageError) as err:  # or a queued chapter gone since
                    self.listener.message(f"{NEXT_ONE}{err}", error=True)  # the one asked for did finish
                except TrackerError as err:  # mpv itself
                    self.listener.message(str(err), error=True)
                    self._settle("failed")
                    return
        self._settle("finished")

    def _still(self, s: Session) -> bool:
        """Whether ``s``, ended, is still what the player is about: not stopped (a key, a
        signal) nor replaced by another play while its end was being saved."""
        return s is self.session and not self._done.is_set()

    async def _load_failed(self, s: Session, why: str) -> None:
        """mpv could not play the file. Where only the start was past the end of the audio,
        say so: a resume point there plays from the start (as one at the very end does)."""
        title = s.episode.title
        if not s.starts_past_the_end() or s is not self.session or s.state in ("ended", "stopped"):
            await self._unplayable(s, f"cannot play “{title}”: {why}")
            return
        end = f"past the end of its audio ({clock(s.audio_s)})" if s.audio_s else "past the end of its audio"
        if s.chosen is not None:
            await self._unplayable(s, f"cannot play “{title}” from chapter {s.chosen}: it starts at {clock(s.start_s)}, {end}")
            return
        self.listener.message(f"“{title}” resumes {end}: playing from the start")
        try:
            await self.play(s.episode.id, known=self._known, from_start=True, queued=s.queued)
        except PlaybackError as err:
            await self._fail(s, err)

    async def _unplayable(self, s: Session, why: str) -> None:
        """The audio would not play. For the next queued episode, once the one asked for
        finished, that is said as the queue's, and is no failure of the command."""
        if s.queued and not s.recorder.spans:
            await self._fail(s, AudioUnplayable(NEXT_ONE + why), "stopped")
        else:
            await self._fail(s, AudioUnplayable(why))

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

