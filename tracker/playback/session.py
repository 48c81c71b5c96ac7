"""One episode being played: its chapters, what is skipped, what was heard, where it is.

Plain logic over a Recorder (no mpv, no asyncio): where a position falls, where to jump
from a skipped chapter, and the line a now-playing bar shows.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from ..model import progress as prog
from ..model import spans
from ..model.records import Chapter, Episode, EpisodeState
from ..model.text import clean_line
from .recorder import Recorder, Span
from .saver import Snapshot

BOUNDARY_S = 0.3  # a position this close before a chapter start belongs to that chapter
END_S = 0.5  # a jump target this close to the end is the end
PREVIOUS_RESTARTS_S = 3.0  # "previous chapter" this far into a chapter goes to its start
LANDING_S = 1.0  # a report this far short of a seek's target counts as at the target
LANDING_WAIT_S = 3.0  # a seek not landed by then went somewhere else
MAX_AUDIO_CHAPTERS = 1000  # from a file's own chapter list (outside data)

State = Literal["loading", "playing", "paused", "stalled", "ended", "stopped"]


@dataclass(frozen=True, slots=True)
class NowPlaying:
    """What a now-playing bar or a status line shows."""

    eid: str
    title: str
    show: str
    chapter: int | None  # 1-based
    chapters: int
    chapter_title: str
    position_s: float
    duration_s: float | None
    chapter_share: float  # of the current chapter, heard before and in this session
    speed: float
    state: State

    @property
    def paused(self) -> bool:
        return self.state == "paused"


@dataclass(frozen=True, slots=True)
class Heard:
    """What a position report meant: the chapter it is in, whether that is a new one
    (``first``: the first of the session), and where to jump when it is skipped."""

    chapter: Chapter | None
    new_chapter: bool
    first: bool
    jump_to: float | None
    entered: tuple[Chapter, ...] = ()  # every chapter begun since the last report, in order


@dataclass
class Session:
    episode: Episode
    before: EpisodeState
    start_s: float
    session_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    recorder: Recorder = field(default_factory=Recorder)
    skipped: set[int] = field(default_factory=set)  # chapter numbers marked skipped
    marks: dict[int, str] = field(default_factory=dict)  # chapter marks when the session began
    exempt: int | None = None  # a skipped chapter the user chose to play all the same
    chosen: int | None = None  # the chapter asked to start at (else the resume point)
    duration_s: float | None = None
    speed: float = 1.0
    state: State = "loading"
    saved_position: float | None = None
    loaded: bool = False  # mpv reported a position: the audio plays
    opened: bool = False  # mpv read the file (``file-loaded``): it is audio
    audio_s: float | None = None  # the length mpv measured, once it says
    began: bool = False  # playback started at ``start_s`` (mpv's first playback-restart)
    pause_asked: bool = False  # paused by the user while the file was loading
    seek_asked: float | None = None  # where a seek pressed while the file was loading goes
    queued: bool = False  # started by the queue after the episode asked for finished
    to_end: bool = False  # sent to the end past chapters marked skipped
    chapter_now: int | None = None
    target: float | None = None  # where a seek of ours is headed
    target_wall: float = 0.0

    @classmethod
    def begin(cls, episode: Episode, before: EpisodeState, start_s: float, chosen: int | None = None) -> "Session":
        """``chosen``: the chapter the user asked for, played even when marked skipped."""
        s = cls(episode, before, start_s, duration_s=episode.duration_s, chosen=chosen)
        s.recorder.position_s = start_s
        s.use_chapters(episode.chapters)
        if chosen in s.skipped:
            s.choose(chosen)
        return s

    # -- chapters -----------------------------------------------------------------------
    def use_chapters(self, chapters: tuple[Chapter, ...]) -> None:
        """(Re)build the view of the chapters: their marks before this session, where to
        snap, what not to credit."""
        self.episode = replace(self.episode, chapters=chapters)
        self.chapter_now = None
        self.marks = {ch.n: p.mark for ch, p in zip(chapters, prog.chapters(self.episode, self.before)) if p.mark}
        self.skipped |= {n for n, mark in self.marks.items() if mark == "skipped"}
        self.recorder.snap_to = [ch.start_s for ch in chapters]
        self.recorder.set_excluded(self._excluded())

    def _excluded(self) -> list[Span]:
        out = []
        for ch in self.episode.chapters:
            if ch.n in self.skipped and ch.n != self.exempt:
                out.append((ch.start_s, self._end(ch)))
        return out

    def _end(self, ch: Chapter) -> float:
        end = ch.end_s if ch.end_s is not None else self.duration_s
        return float(end) if end is not None else float("inf")

    def chapter_at(self, t: float) -> Chapter | None:
        found = None
        for ch in self.episode.chapters:
            if ch.start_s <= t + BOUNDARY_S:
                found = ch
            else:
                break
        return found

    def follow_marks(self, marks: list[Any]) -> None:
        """The library's marks now, as ``[start_s, mark]`` per chapter: skipping follows them
        (a skip taken back plays again). Chapters changed since the session began are left."""
        chapters = self.episode.chapters
        if len(marks) != len(chapters) or any(
                not isinstance(m, list) or len(m) != 2 or m[0] != ch.start_s for ch, m in zip(chapters, marks)):
            return
        self.marks = {ch.n: str(m[1]) for ch, m in zip(chapters, marks) if m[1]}
        self.skipped = {n for n, mark in self.marks.items() if mark == "skipped"}
        if self.exempt not in self.skipped:
            self.exempt = None
        self.recorder.set_excluded(self._excluded())

    def choose(self, n: int) -> None:
        """The user went to chapter ``n`` on purpose: play it even if skipped."""
        self.exempt = n if n in self.skipped else None
        self.recorder.set_excluded(self._excluded())

    def mark_skipped(self, n: int) -> None:
        self.skipped.add(n)
        if self.exempt == n:
            self.exempt = None
        self.recorder.set_excluded(self._excluded())

    def jump_target(self, t: float) -> float | None:
        """Where to go when ``t`` is inside a chapter marked skipped: the start of the next
        one not skipped, or the end. None when there is nothing to jump."""
        ch = self.chapter_at(t)
        if ch is None or ch.n not in self.skipped:
            return None
        if ch.n == self.exempt:
            return None
        for nxt in self.episode.chapters[ch.n:]:
            if nxt.n not in self.skipped:
                return nxt.start_s
        end = self.duration_s
        return float(end) if end is not None else None

    def left_exempt(self, t: float) -> None:
        """Once playback leaves the chapter chosen on purpose, skipping applies again."""
        if self.exempt is not None:
            ch = self.chapter_at(t)
            if ch is None or ch.n != self.exempt:
                self.exempt = None
                self.recorder.set_excluded(self._excluded())

    # -- positions ---------------------------------------------------------------------------
    def report(self, t: float, now: float) -> Heard | None:
        """A ``time-pos`` report at wall time ``now``; None for one to pass over (from
        before a seek of ours landed)."""
        target = self.target
        if target is not None:
            if t > target + 0.05 or now - self.target_wall > LANDING_WAIT_S:
                self.target = None  # played on from there (or the seek went elsewhere)
            elif t >= target - LANDING_S:
                t = target  # mpv, paused after an exact seek, reports a little short of it
            else:
                return None
        continued = self.recorder.position(t, now, self.speed)
        self.left_exempt(t)
        ch = self.chapter_at(t)
        before = self.chapter_now
        first = before is None
        new_chapter = (ch.n if ch else None) != before
        # Played through several at once (mpv starved of CPU, a very high speed): each was begun.
        # The first report (of the session, or since the chapters came from the audio) is in
        # one chapter only: those before it were not played, whatever the chapters number.
        entered = self.entered(t) if continued and not first else (ch,) if new_chapter and ch else ()
        self.chapter_now = ch.n if ch else None
        return Heard(ch, new_chapter, first, self.jump_target(t), entered)

    def entered(self, t: float) -> tuple[Chapter, ...]:
        """The chapters after the current one that begin by ``t`` (played into)."""
        now = self.chapter_now or 0
        return tuple(c for c in self.episode.chapters[now:] if c.start_s <= t + BOUNDARY_S)

    def aim(self, target: float, now: float) -> None:
        """A seek of ours to ``target`` is under way: what comes next starts a new stretch."""
        self.recorder.jump()
        self.target, self.target_wall = target, now

    def seek_target(self, seconds: float) -> float:
        """Where seeking ``seconds`` from here lands (inside the episode); the chapter it
        lands in is chosen on purpose (heard even if skipped)."""
        target = max(0.0, (self.recorder.position_s or 0.0) + seconds)
        if self.duration_s is not None:
            target = min(target, max(0.0, self.duration_s - END_S))
        ch = self.chapter_at(target)
        if ch is not None:
            self.choose(ch.n)
        return round(target, 3)

    def chapter_target(self, step: int) -> float | None:
        """The start of the next (``step`` 1) or previous (-1) chapter; "previous" a few
        seconds into a chapter is its own start, as players do. None where there is no
        next one (the last chapter): going back to its start would replay what was heard."""
        chapters = self.episode.chapters
        if not chapters:
            return None
        pos = self.recorder.position_s or 0.0
        cur = self.chapter_at(pos)
        if step > 0 and cur is not None and cur.n >= len(chapters):
            return None
        if step < 0 and cur is None:
            return 0.0  # before the first chapter (an intro): back is the very start, never ahead
        if step < 0 and cur is not None and pos - cur.start_s > PREVIOUS_RESTARTS_S:
            target = cur
        else:
            target = chapters[min(max((cur.n if cur else 0) + step, 1), len(chapters)) - 1]
        self.choose(target.n)
        return target.start_s

    # -- what was heard ---------------------------------------------------------------------
    def chapter_share(self, ch: Chapter) -> float:
        end = self._end(ch)
        length = end - ch.start_s
        if length <= 0 or length == float("inf"):
            return 0.0
        if self.marks.get(ch.n) == "done":
            return 1.0
        heard = spans.within(spans.add(self.before.spans, self.recorder.spans), ch.start_s, end)
        return min(1.0, heard / length)

    def snapshot(self, ended: bool = False) -> Snapshot:
        pos = self.recorder.position_s if self.recorder.position_s is not None else self.start_s
        return Snapshot(self.session_id, self.episode.id, list(self.recorder.spans), round(pos, 3), ended, self.audio_s)

    def has_news(self) -> bool:
        """Anything worth a write: new heard time, or a position moved since the last save."""
        if not self.loaded:
            return False  # mpv never played a thing: nothing to record
        pos = self.recorder.position_s
        last = self.saved_position if self.saved_position is not None else self.start_s
        return self.recorder.dirty or (pos is not None and abs(pos - last) >= 0.5)

    def saved(self, snap: Snapshot) -> None:
        self.recorder.dirty = False
        self.saved_position = snap.position_s

    def starts_past_the_end(self) -> bool:
        """Whether a failed load was the start lying past the end of the audio (the feed said
        it was longer: another copy, other ads): mpv opened the file, then played nothing
        from there. Its measured length may come only after the failure, or not at all.
        Audio heard first is a failure later on (a stream of unknown length breaking off):
        never a reason to start over."""
        if not self.opened or self.start_s <= 0 or self.recorder.spans:
            return False
        return self.audio_s is None or self.start_s >= self.audio_s - END_S

    def now(self) -> NowPlaying:
        ep = self.episode
        pos = self.recorder.position_s if self.recorder.position_s is not None else self.start_s
        ch = self.chapter_at(pos)
        return NowPlaying(
            eid=ep.id, title=ep.title, show=ep.show,
            chapter=ch.n if ch else None, chapters=len(ep.chapters), chapter_title=ch.title if ch else "",
            position_s=pos, duration_s=self.duration_s, chapter_share=self.chapter_share(ch) if ch else 0.0,
            speed=self.speed, state="paused" if self.state == "loading" and self.pause_asked else self.state,
        )


def start_at(episode: Episode, state: EpisodeState) -> float:
    """Where playing starts without a chosen chapter: the resume point (the model's rule),
    or the start when that is the very end. A point past the declared length is the audio
    being longer than the feed says: played from there (past the audio's end too, mpv
    tells, and it plays from the start)."""
    pos = prog.resume(episode, state).position_s
    if episode.duration_s is not None and episode.duration_s - END_S <= pos <= episode.duration_s:
        return 0.0
    return pos


def audio_chapters(raw: Any) -> list[tuple[str, float]]:
    """mpv's ``chapter-list`` (from the file: outside text) as (title, start) pairs:
    titles cleaned and cut, starts finite and not negative, at most ``MAX_AUDIO_CHAPTERS``."""
    if not isinstance(raw, list):
        return []
    return [
        (clean_line(str(c.get("title") or ""))[:200], max(0.0, float(c["time"])))
        for c in raw[:MAX_AUDIO_CHAPTERS]
        if isinstance(c, dict) and isinstance(c.get("time"), (int, float)) and math.isfinite(c["time"])
    ]
