"""Chapter marks follow their chapter when the chapter list changes.

A mark is kept with the chapter's start, end and title. To find a chapter's mark, the
marks are matched first by start and title, then by a title that names one chapter and
one mark (a sponsor chapter put in front moves every start), then by time span (the
mark's span and the chapter's overlap by at least half of the longer of the two), each
mark to at most one chapter. Heard time needs none of this: it is kept in media time.

Both lists are sorted by start, so matching walks them side by side: linear in their
lengths plus the overlaps.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Sequence

from .records import Chapter, ChapterMark, Mark

SAME_START_S = 0.5
MIN_OVERLAP = 0.5


def _end(start: float, end: float | None, duration: float | None) -> float:
    if end is not None:
        return end
    return duration if duration is not None and duration > start else math.inf


def match(chapters: Sequence[Chapter], marks: Sequence[Mark], duration_s: float | None) -> list[Mark | None]:
    """For each chapter, the mark that belongs to it (or None)."""
    found: list[Mark | None] = [None] * len(chapters)
    if not marks or not chapters:
        return found
    ordered = sorted(range(len(marks)), key=lambda i: marks[i].start_s)
    used = [False] * len(marks)
    # 1. Same start and same title.
    j = 0
    for k, ch in enumerate(chapters):
        while j < len(ordered) and marks[ordered[j]].start_s < ch.start_s - SAME_START_S:
            j += 1
        i = j
        while i < len(ordered) and marks[ordered[i]].start_s <= ch.start_s + SAME_START_S:
            m = marks[ordered[i]]
            if not used[ordered[i]] and m.title.casefold() == ch.title.casefold():
                found[k], used[ordered[i]] = m, True
                break
            i += 1
    # 2. Same title, where one chapter and one mark bear it: the chapter moved.
    titles = Counter(ch.title.casefold() for ch in chapters)
    marked = Counter(m.title.casefold() for m in marks)
    only = {m.title.casefold(): i for i, m in enumerate(marks) if not used[i]}
    for k, ch in enumerate(chapters):
        title = ch.title.casefold()
        if found[k] is None and titles[title] == 1 and marked[title] == 1 and title in only:
            found[k], used[only[title]] = marks[only[title]], True
    # 3. By time span, for what is left.
    j = 0
    for k, ch in enumerate(chapters):
        if found[k] is not None:
            continue
        lo, hi = ch.start_s, _end(ch.start_s, ch.end_s, duration_s)
        while j < len(ordered) and _end(marks[ordered[j]].start_s, marks[ordered[j]].end_s, duration_s) <= lo:
            j += 1
        best, best_share = -1, MIN_OVERLAP
        i = j
        while i < len(ordered) and marks[ordered[i]].start_s < hi:
            m = marks[ordered[i]]
            if not used[ordered[i]]:
                m_hi = _end(m.start_s, m.end_s, duration_s)
                overlap = min(hi, m_hi) - max(lo, m.start_s)
                longer = max(hi - lo, m_hi - m.start_s)
                share = 1.0 if longer == math.inf and overlap == math.inf else (overlap / longer if longer else 0.0)
                if share >= best_share:
                    best, best_share = ordered[i], share
            i += 1
        if best >= 0:
            found[k], used[best] = marks[best], True
    return found


def set_mark(chapters: Sequence[Chapter], marks: Sequence[Mark], duration_s: float | None,
             n: int, mark: ChapterMark | None) -> tuple[Mark, ...]:
    """The marks with chapter ``n``'s replaced by ``mark`` (None: removed). Marks of
    other chapters are re-keyed to those chapters as they are now; marks that match
    no chapter are kept (a source may bring their chapters back)."""
    matched = match(chapters, marks, duration_s)
    taken = {id(m) for m in matched if m is not None}
    out = [m for m in marks if id(m) not in taken]
    for ch, m in zip(chapters, matched):
        if ch.n == n:
            if mark is not None:
                out.append(Mark(ch.start_s, ch.end_s, ch.title, mark))
        elif m is not None:
            out.append(Mark(ch.start_s, ch.end_s, ch.title, m.mark))
    return tuple(sorted(out, key=lambda m: m.start_s))
