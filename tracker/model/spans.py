"""Heard time as spans of media time: sorted, disjoint, merged as they grow.

A span is ``(start_s, end_s)`` with ``start_s < end_s``. Hearing a stretch again adds
nothing (the union does not grow); a seek forward leaves a gap. Every function here is
pure and runs in time linear in the spans it is given (plus a sort of new ones).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from typing import Iterable, Sequence

Span = tuple[float, float]
Spans = tuple[Span, ...]

MAX_SPANS = 2000  # past this, the closest neighbours are joined (hostile remote input)
EPSILON = 1e-6


def _r(x: float) -> float:
    return round(float(x), 3)


def add(spans: Spans, new: Iterable[Span], lo: float = 0.0, hi: float = math.inf) -> Spans:
    """The union of ``spans`` and ``new``, each new span clipped to ``[lo, hi]``."""
    extra = clipped(new, lo, hi)
    if not extra:
        return spans
    return _cap(_merge(sorted([*spans, *extra])))


def clipped(new: Iterable[Span], lo: float, hi: float) -> list[Span]:
    """The new spans ``add`` takes: clipped to ``[lo, hi]``, at millisecond grain."""
    extra: list[Span] = []
    for start, end in new:
        if not (math.isfinite(start) and (math.isfinite(end) or end == math.inf)):
            continue
        s, e = _r(max(lo, float(start))), min(hi, float(end))
        if math.isfinite(e) and _r(e) > s:  # kept at millisecond grain: nothing shorter survives
            extra.append((s, _r(e)))
    return extra


def _merge(ordered: Sequence[Span]) -> list[Span]:
    out: list[Span] = []
    for s, e in ordered:
        if out and s <= out[-1][1] + EPSILON:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _cap(merged: list[Span]) -> Spans:
    """At most ``MAX_SPANS``: join across the smallest gaps first."""
    excess = len(merged) - MAX_SPANS
    if excess <= 0:
        return tuple(merged)
    gaps = sorted(range(len(merged) - 1), key=lambda i: merged[i + 1][0] - merged[i][1])
    join = set(gaps[:excess])
    out: list[Span] = []
    for i, span in enumerate(merged):
        if out and (i - 1) in join:
            out[-1] = (out[-1][0], span[1])
        else:
            out.append(span)
    return tuple(out)


def at_grain(spans: Spans) -> bool:
    """Every time a whole millisecond, as ``add`` leaves them (one from an old export may not be)."""
    return all(_r(x) == x for span in spans for x in span)


def total(spans: Spans) -> float:
    return _r(sum(e - s for s, e in spans))


def within(spans: Sequence[Span], lo: float, hi: float) -> float:
    """How much of ``[lo, hi)`` the spans cover (``hi`` may be infinite)."""
    covered = 0.0
    # those ending by ``lo`` add nothing: start past them (a chapter of many, many times)
    for i in range(bisect_right(spans, lo, key=lambda span: span[1]), len(spans)):
        s, e = spans[i]
        if s >= hi:
            break
        overlap = min(e, hi) - max(s, lo)
        if overlap > 0:
            covered += overlap
    return _r(covered)


def remove(spans: Spans, lo: float, hi: float) -> Spans:
    """The spans with ``[lo, hi)`` cut out (clearing a chapter)."""
    out: list[Span] = []
    for s, e in spans:
        if e <= lo or s >= hi:
            out.append((s, e))
            continue
        if s < lo:
            out.append((s, _r(lo)))
        if e > hi:
            out.append((_r(hi), e))
    return tuple(out)


def without(spans: Spans, taken: Spans) -> Spans:
    """``spans`` minus every span of ``taken``."""
    for lo, hi in taken:
        spans = remove(spans, lo, hi)
    return spans


def from_doc(raw: object) -> Spans:
    """Spans from a stored list of pairs; anything malformed is dropped, order restored."""
    if not isinstance(raw, list):
        return ()
    pairs: list[Span] = []
    for item in raw:
        if isinstance(item, (list, tuple)) and len(item) == 2:
            s, e = item
            if _finite(s) and _finite(e) and e > s >= 0:
                pairs.append((float(s), float(e)))
    return _cap(_merge(sorted(pairs)))


def _finite(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def to_doc(spans: Spans) -> list[list[float]]:
    return [[_num(s), _num(e)] for s, e in spans]


def _num(x: float) -> float:
    return int(x) if float(x).is_integer() else x
