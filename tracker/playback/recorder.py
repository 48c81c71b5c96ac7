"""Positions in, heard spans out: what of the media time actually played.

mpv reports ``time-pos`` about 13 times a second at 1x. Two reports in a row are one
stretch of listening when the position moved forward by no more than the time between
them allows (at the current speed); anything else is a jump (a seek, a chapter change,
a skip) and credits nothing. A seek event from mpv marks a jump as well, so a seek that
happens to land close ahead is never mistaken for listening.

The recorder knows nothing of chapters but two lists of times: the starts to snap to
(MP3 seeks land a few hundredths early, which must not mark the chapter before as begun)
and the ranges never to credit (chapters marked skipped). Heard spans are kept merged,
so hearing a part again adds nothing.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

Span = tuple[float, float]

SLACK_S = 0.75  # media seconds a report may run ahead of the wall clock (timer jitter, buffering)
SLACK_FACTOR = 1.5  # ... and this share on top, at the current speed
SNAP_S = 0.4  # a stretch starting this close before a chapter start starts at it
# A busy event loop reads several reports at once, a few microseconds apart: each may still
# cover the ~0.1 s mpv's reports are apart. So a step is never taken as shorter than this.
BURST_S = 0.25
# At the end, mpv plays out its audio buffer without reporting positions: up to this much
# wall time of audio (at the speed, with room to spare) may lie between the last report and the end.
DRAIN_S = 1.0
# An end this share of the length past the last report never played (a cut stream); less
# is taken as the end all the same (a VBR file's length is an estimate, a little long).
CUT_SHORT_SHARE = 0.02


@dataclass
class Recorder:
    snap_to: list[float] = field(default_factory=list)
    excluded: list[Span] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    position_s: float | None = None
    _last: float | None = None  # the previous report of the current stretch
    _last_wall: float = 0.0
    _jumped: bool = True  # the next report starts a new stretch
    dirty: bool = False  # spans changed since ``take_dirty``

    # -- reports ------------------------------------------------------------------------
    def position(self, t: float, wall: float, speed: float = 1.0) -> bool:
        """A ``time-pos`` report at wall-clock time ``wall`` (seconds, monotonic); True
        when it continued the stretch before it (played through, not jumped to)."""
        if t < 0 or t != t:
            return False
        last = self._last
        continued = False
        if self._jumped or last is None:
            t = self._snapped(t)
        else:
            if last <= t <= last + self._allowed(wall, speed):
                self.credit(last, t)
                continued = True
            elif last - SNAP_S <= t < last:
                return False  # still short of where a snap put it, or jitter: nothing heard, nothing lost
            else:
                t = self._snapped(t)  # moved without a seek event: a jump all the same
        self._last, self._last_wall, self._jumped = t, wall, False
        self.position_s = t
        return continued

    def begin(self, t: float, wall: float) -> None:
        """Playback starts at ``t`` now (mpv's first ``playback-restart`` of a file, at the
        start asked for). mpv sends the position at the start first, but a busy one may
        send only a later one: that one continues from here instead of starting anew."""
        self._last, self._last_wall, self._jumped = t, wall, False
        self.position_s = t

    def jump(self) -> None:
        """mpv says a seek started: the next report begins a new stretch."""
        self._jumped = True

    def pause(self, wall: float) -> None:
        """Paused: the next report continues the stretch, but wall time in between is not play."""
        self._last_wall = wall

    def resume(self, wall: float) -> None:
        self._last_wall = wall

    def playing_on(self) -> bool:
        """Whether the current stretch goes on from the last report (no jump since)."""
        return self._last is not None and not self._jumped

    def reached_end(self, end_s: float, wall: float, speed: float = 1.0) -> bool:
        """mpv says the file ended: the last report can trail the end by a second or more,
        and that stretch was heard. False when playback stopped well short of ``end_s``
        (a stream cut off, an incomplete download): mpv calls that an end too, but what
        lies past the last report never played, and the position stays there."""
        last = self._last
        if last is not None and not self._jumped and end_s > last:
            gap = end_s - last
            if gap > max(self._allowed(wall, speed), DRAIN_S * max(speed, 0.01), end_s * CUT_SHORT_SHARE):
                self._jumped = True
                return False
            self.credit(last, end_s)
        self._last = None
        self._jumped = True
        self.position_s = end_s
        return True

    def set_excluded(self, ranges: list[Span]) -> None:
        """Ranges never credited from now on (a chapter marked skipped while playing)."""
        self.excluded = sorted(ranges)

    # -- heard time ---------------------------------------------------------------------
    def credit(self, start: float, end: float) -> None:
        """Add ``[start, end)`` as heard, minus the excluded ranges, merged into the spans."""
        for a, b in _subtract((start, end), self.excluded):
            self._add(a, b)

    def heard_s(self) -> float:
        return sum(b - a for a, b in self.spans)

    def take_dirty(self) -> bool:
        dirty, self.dirty = self.dirty, False
        return dirty

    def _add(self, a: float, b: float) -> None:
        a, b = round(a, 3), round(b, 3)  # milliseconds: enough, and the JSON stays small
        if b <= a:
            return
        spans = self.spans
        i = bisect.bisect_left(spans, (a, a))
        if i > 0 and spans[i - 1][1] >= a:
            i -= 1
        j = i
        lo, hi = a, b
        while j < len(spans) and spans[j][0] <= hi:
            lo, hi = min(lo, spans[j][0]), max(hi, spans[j][1])
            j += 1
        new = (lo, hi)
        if spans[i:j] != [new]:
            spans[i:j] = [new]
            self.dirty = True

    def _allowed(self, wall: float, speed: float) -> float:
        """How far the position may have moved by playing since the last report."""
        step = max(wall - self._last_wall, BURST_S)  # reports read in a burst after a stall
        return step * max(speed, 0.01) * SLACK_FACTOR + SLACK_S

    def _snapped(self, t: float) -> float:
        i = bisect.bisect_left(self.snap_to, t)
        if i < len(self.snap_to) and 0 < self.snap_to[i] - t <= SNAP_S:
            return self.snap_to[i]
        return t


def _subtract(span: Span, excluded: list[Span]) -> list[Span]:
    """``span`` minus every excluded range (sorted, few: the skipped chapters)."""
    pieces = [span]
    for ea, eb in excluded:
        out: list[Span] = []
        for a, b in pieces:
            if eb <= a or ea >= b:
                out.append((a, b))
                continue
            if a < ea:
                out.append((a, ea))
            if eb < b:
                out.append((eb, b))
        pieces = out
    return [(a, b) for a, b in pieces if b > a]
