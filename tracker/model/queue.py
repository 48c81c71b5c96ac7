"""The queue as pure list operations: ordered, no duplicates."""

from __future__ import annotations

from .errors import QueueError
from .records import QueueEntry


def add(queue: list[QueueEntry], ids: list[str], *, next_: bool = False, chapter: int | None = None) -> list[QueueEntry]:
    """Add at the end, or at the top with ``next_``; an already queued episode moves
    to the top with ``next_`` and otherwise keeps its place (its chapter is updated)."""
    out = list(queue)
    index = {e.id: i for i, e in enumerate(out)}
    new: list[QueueEntry] = []
    for eid in dict.fromkeys(ids):  # an id named twice is one entry (its slot is emptied below)
        if eid in index:
            i = index[eid]
            entry = QueueEntry(eid, chapter if chapter is not None else out[i].chapter)
            if next_:
                out[i] = None  # type: ignore[call-overload]
                new.append(entry)
            else:
                out[i] = entry
        else:
            new.append(QueueEntry(eid, chapter))
    kept = [e for e in out if e is not None]
    return new + kept if next_ else kept + new


def remove(queue: list[QueueEntry], ids: set[str]) -> list[QueueEntry]:
    return [e for e in queue if e.id not in ids]


def move(queue: list[QueueEntry], eid: str, to: str, hidden: frozenset[str] = frozenset()) -> list[QueueEntry]:
    """Move ``eid`` to a 1-based position, or ``top``, ``bottom``, ``up``, ``down`` (any case). The
    entries in ``hidden`` (episodes the catalog lacks, which no list shows) are not counted
    and keep their slots, so positions are the ones the user sees."""
    if hidden:
        shown = move([e for e in queue if e.id not in hidden], eid, to)
        rest = iter(shown)
        return [e if e.id in hidden else next(rest) for e in queue]
    ids = [e.id for e in queue]
    if eid not in ids:
        raise QueueError("that episode is not in the queue")
    i = ids.index(eid)
    last = len(queue) - 1
    word = to.strip().casefold()  # a word typed in capitals (UP) is the same word
    if word == "top":
        j = 0
    elif word == "bottom":
        j = last
    elif word == "up":
        j = max(0, i - 1)
    elif word == "down":
        j = min(last, i + 1)
    else:
        try:
            j = int(to) - 1
        except ValueError:
            raise QueueError(f"cannot move to {to!r}: give a position from 1, or top, bottom, up, down") from None
        if not 0 <= j <= last:
            raise QueueError(f"position {to} is outside the queue (1 to {last + 1})")
    out = list(queue)
    entry = out.pop(i)
    out.insert(j, entry)
    return out
