"""What a player keeps while it plays: its state, its saves, its ticker, the line it shows.

The base of the player (``player.py``): mpv's events (``mpv_events.py``) and a session's
end (``ends.py``) build on what is here, each in its own module. One playing session is
saved as cumulative snapshots through the Saver, every ``save_every_s`` of wall time and
whenever something happens; the ticker also notices a stream (or an mpv) that stalls.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any, Literal, Protocol

from ..model.errors import PlaybackError
from ..model.records import Chapter
from .mpv import REPLY_TIMEOUT_S, Mpv
from .saver import Saver, Snapshot
from .session import NowPlaying, Session
from .source import Start

Outcome = Literal["stopped", "finished", "failed", "mpv_gone"]
SAVE_EVERY_S = 10.0  # a tracker killed mid-play loses less than this (plus one write)
STALL_AFTER_S = 20.0
TICK_S = 1.0


class Listener(Protocol):
    def status(self, now: NowPlaying) -> None:
        """The now-playing line changed (at most about once a displayed second)."""

    def message(self, text: str, error: bool = False) -> None:
        """Something to tell the user in one line."""

    def ended(self, outcome: Outcome) -> None:
        """Playing is over (stopped, finished with nothing queued, failed, mpv gone)."""


class Upkeep:
    """The player's state, and the upkeep every part of it uses: saving, telling, sending."""

    def __init__(self, folder: Path, listener: Listener, advance: bool = True, *,
                 save_every_s: float = SAVE_EVERY_S, stall_after_s: float = STALL_AFTER_S,
                 reply_timeout_s: float = REPLY_TIMEOUT_S, environ: dict[str, str] | None = None) -> None:
        self.listener = listener
        self.advance = advance
        self.save_every_s = save_every_s
        self.stall_after_s = stall_after_s
        self.reply_timeout_s = reply_timeout_s
        self.environ = environ
        self.saver = Saver(folder, on_busy=self._busy, on_error=lambda m: listener.message(m, error=True),
                           on_saved=self._saved)
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
        self._changing = 0  # model changes of ours (a mark, a speed) sent and not yet answered

    @property
    def playing(self) -> bool:
        return self.session is not None and self.session.state not in ("ended", "stopped")

    async def play(self, eid: str, chapter: int | None = None, speed: float | None = None,
                   known: Start | None = None, from_start: bool = False, queued: bool = False) -> NowPlaying:
        """Start ``eid`` (the Player's own; a session's end goes on with the next one)."""
        raise NotImplementedError

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
            finally:
                self._changing -= 1

        self._changing += 1
        self._spawn(run())

    def _saved(self, snap: Snapshot, reply: Any) -> None:
        """A save landed: the session follows the chapters' marks as the library has them now
        (a skip undone, a chapter marked in the chapters pane or by another tracker). Not while
        a mark of ours is on its way: the reply, read before it landed, would take it back."""
        s = self.session
        if s is None or s.session_id != snap.session_id or not self.playing or self._changing:
            return
        if isinstance(reply, dict) and isinstance(reply.get("marks"), list):
            s.follow_marks(reply["marks"])

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

    def _say_chapters(self, s: Session, chapters: tuple[Chapter, ...]) -> None:
        """Each chapter begun, but not one marked skipped: it is jumped, not played."""
        for ch in chapters:
            if ch.n not in s.skipped or ch.n == s.exempt:
                self.listener.message(f"chapter {ch.n}/{len(s.episode.chapters)} “{ch.title}”")

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

