"""One episode's heard spans kept up play by play, for many plays of it in one change.

``progress.credit`` merges every span anew and ``heard_all`` measures every chapter anew:
right for one play, but a gpodder file of 8,000 short plays of one episode (a phone's
years of one long audiobook) redid all 2,000 spans 8,000 times. ``Growing`` gives
``credit`` the same answers kept up as each span comes: the span put in its place and
merged with its neighbours only, the closest neighbours joined past ``MAX_SPANS`` (the
smallest gap found in a heap), the heard time kept in whole milliseconds, and only the
chapters a span touches measured again. The rule stays ``spans.add`` and ``heard_all``'s:
where a state is not the one it keeps (or holds times finer than a millisecond, whose
sum it could not keep exactly) it hands over to them.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from typing import Iterable

from . import marks as mk
from . import progress as prog
from . import spans as sp
from .records import ChapterMark, Episode, EpisodeState
from .spans import Span, Spans


def _ms(x: float) -> int:
    return round(x * 1000)


class Growing:
    """The spans of ``state`` (of ``episode``) as a list that grows in place."""

    def __init__(self, episode: Episode, state: EpisodeState) -> None:
        self.episode = episode
        self.spans: Spans = state.spans
        self.marks = state.marks
        self.exact = sp.at_grain(state.spans) and len(state.spans) <= sp.MAX_SPANS
        self.items = list(state.spans) if self.exact else []
        self.heard_ms = sum(_ms(e) - _ms(s) for s, e in self.items)
        # (gap, left start, left end, right start): the smallest first, the first of equals
        self.gaps = [self._gap(i) for i in range(len(self.items) - 1)]
        heapq.heapify(self.gaps)
        # chapters not yet done or skipped by their own heard time and mark, with how much
        # of each the spans cover (in milliseconds where its bounds are whole ones)
        self.open: dict[int, int | None] = {}
        self.bounds: list[tuple[float, float]] = [prog.chapter_span(episode, ch) for ch in episode.chapters]
        self.mark: list[ChapterMark | None] = []
        if episode.chapters and self.exact:
            matched = mk.match(episode.chapters, state.marks, episode.duration_s)
            self.mark = [m.mark if m else None for m in matched]
            for i in range(len(episode.chapters)):
                lo, hi = self.bounds[i]
                grained = sp.at_grain(((lo, lo if hi == math.inf else hi),))
                self.open[i] = _ms(sp.within(self.items, lo, hi)) if grained else None
            self.open = {i: ms for i, ms in self.open.items() if not self._finished(i, ms)}

    def follows(self, state: EpisodeState) -> bool:
        """``state`` is the one this was made from, or ``add`` has made since."""
        return state.spans is self.spans and state.marks is self.marks

    def kept(self, state: EpisodeState) -> bool:
        """What this keeps is ``state``'s (not handed over to the plain rule)."""
        return self.exact and self.follows(state)

    def heard_s(self, state: EpisodeState) -> float:
        """``state.heard_s``, without summing every span."""
        return self.heard_ms / 1000 if self.kept(state) else state.heard_s

    def add(self, spans: Spans, new: Iterable[Span], lo: float, hi: float) -> Spans:
        """``spans.add``, for ``credit``."""
        extra = sp.clipped(new, lo, hi)
        if not extra:
            return spans
        if not self.exact or spans is not self.spans or len(extra) != 1:
            self.exact = False  # the plain rule from here on
            self.spans = sp.add(spans, extra, lo, hi)
            return self.spans
        self._insert(extra[0])
        if len(self.items) > sp.MAX_SPANS:
            self._join_closest()
        self.spans = tuple(self.items)
        return self.spans

    def complete(self, episode: Episode, state: EpisodeState) -> bool:
        """``progress.heard_all``, for ``credit``."""
        if episode is not self.episode or not self.kept(state):
            return prog.heard_all(episode, state)
        if episode.chapters:
            return not self.open
        return prog.heard_enough(episode, self.heard_ms / 1000)

    def _insert(self, new: Span) -> None:
        """Put ``new`` in its place and merge it as ``spans._merge`` would."""
        items = self.items
        i = bisect_left(items, new)
        first = i - 1 if i > 0 and new[0] <= items[i - 1][1] + sp.EPSILON else i
        start, end = (items[first][0], max(items[first][1], new[1])) if first < i else new
        last = i
        while last < len(items) and items[last][0] <= end + sp.EPSILON:
            end = max(end, items[last][1])
            last += 1
        gone = items[first:last]
        self.heard_ms += _ms(end) - _ms(start) - sum(_ms(e) - _ms(s) for s, e in gone)
        items[first:last] = [(start, end)]
        self._neighbours(first)
        self._recount(gone, (start, end))

    def _join_closest(self) -> None:
        """``spans._cap`` for one too many: join across the smallest gap (the first of equals)."""
        items = self.items
        while True:
            _gap, ls, le, rs = heapq.heappop(self.gaps)
            i = bisect_left(items, (ls, le))
            if i + 1 < len(items) and items[i] == (ls, le) and items[i + 1][0] == rs:
                break
        self.heard_ms += _ms(rs) - _ms(le)
        gone = items[i:i + 2]
        items[i:i + 2] = [(ls, items[i + 1][1])]
        self._neighbours(i)
        self._recount(gone, items[i])

    def _neighbours(self, i: int) -> None:
        """The gaps either side of span ``i``, which has just changed."""
        if i > 0:
            self._push(i - 1)
        if i + 1 < len(self.items):
            self._push(i)

    def _gap(self, i: int) -> tuple[float, float, float, float]:
        (ls, le), (rs, _re) = self.items[i], self.items[i + 1]
        return rs - le, ls, le, rs

    def _push(self, i: int) -> None:
        heapq.heappush(self.gaps, self._gap(i))

    def _recount(self, gone: list[Span], span: Span) -> None:
        """The open chapters ``span`` reaches, measured again now it replaced ``gone``."""
        for i, ms in list(self.open.items()):
            lo, hi = self.bounds[i]
            if span[0] > hi or span[1] < lo:
                continue
            if ms is not None:
                ms += self._overlap(i, span) - sum(self._overlap(i, old) for old in gone)
                self.open[i] = ms
            if self._finished(i, ms):
                del self.open[i]

    def _overlap(self, i: int, span: Span) -> int:
        lo, hi = self.bounds[i]
        end = _ms(span[1]) if hi == math.inf else min(_ms(span[1]), _ms(hi))
        return max(0, end - max(_ms(span[0]), _ms(lo)))

    def _finished(self, i: int, covered_ms: int | None) -> bool:
        """``covered_ms``: how much the spans cover of it, None: measure it."""
        ch = self.episode.chapters[i]
        covered = sp.within(self.items, *self.bounds[i]) if covered_ms is None else covered_ms / 1000
        return prog.finished(self.episode, ch, prog.chapter_progress(self.episode, ch, covered, self.mark[i]))
