"""The action history: every change with its before and after, for undo and redo.

The newest actions live in ``history.json``, which every change rewrites; so that a
change costs the same after years of listening, that file is kept small by count AND
by size: past ``RECENT_MAX`` actions or ``RECENT_MAX_BYTES`` (a "mark all" on 10k
episodes is megabytes on its own), the oldest are moved to the archive in one atomic
commit, leaving at most ``RECENT_KEEP`` actions and half the byte budget.

The archive is a chain of segment files (``history-archive-001.json``, ...), each
filled up to ``SEGMENT_BYTES`` (an action bigger than that gets one of its own), listed
oldest first in the recent file. Moving actions there rewrites only the newest segment,
never years of history; undo past the recent actions brings a chunk of the newest
segment back first. A library from before segments keeps its single
``history-archive.json`` as the oldest segment, read as it is.

Undone actions wait in the ``redo`` table of the recent file until a new change clears
it; redo re-applies the most recently undone first.
"""

from __future__ import annotations

from typing import Any, Union

import orjson

from store import Store, Transaction

from .files import ACTIONS, ARCHIVE_FILE, ARCHIVE_SEGMENTS, HISTORY_FILE, REDO, SEGMENT_INDEX, SEQ
from .records import Action

RECENT = HISTORY_FILE
ARCHIVE = ARCHIVE_FILE  # the single archive of older libraries: the oldest segment
RECENT_MAX = 1000
RECENT_KEEP = 500
RECENT_MAX_BYTES = 2_000_000
SEGMENT_BYTES = 4_000_000
SIZE = "bytes"  # each stored action notes its own size, so the budgets cost no re-encoding

Reader = Union[Store, Transaction]


def segments(source: Reader) -> list[str]:
    """The archive's segment files, oldest first."""
    if isinstance(source, Transaction):
        doc = source.get(RECENT, SEGMENT_INDEX, "segments")
    else:
        doc = source.table(RECENT, SEGMENT_INDEX).get("segments")
    if doc is not None:
        return list(doc.get("names") or [])
    legacy = source.keys(ARCHIVE, ACTIONS) if isinstance(source, Transaction) else source.table(ARCHIVE, ACTIONS)
    return [ARCHIVE] if legacy else []


def _set_segments(tx: Transaction, names: list[str]) -> None:
    tx.put(RECENT, SEGMENT_INDEX, "segments", {"names": names})


def next_seq(tx: Transaction) -> int:
    doc = tx.get(RECENT, SEQ, "next")
    return doc["n"] if doc else 1


def newest(tx: Transaction) -> Action | None:
    seq = next_seq(tx) - 1
    doc = tx.get(RECENT, ACTIONS, str(seq)) if seq > 0 else None
    return Action.from_doc(seq, doc) if doc else None


def _doc(action: Action) -> dict[str, Any]:
    doc = action.to_doc()
    doc[SIZE] = len(orjson.dumps(doc))
    return doc


def record(tx: Transaction, action: Action) -> None:
    """Write ``action`` as the newest; a new change forgets what could be redone."""
    tx.put(RECENT, ACTIONS, str(action.seq), _doc(action))
    tx.put(RECENT, SEQ, "next", {"n": action.seq + 1})
    for key in tx.keys(RECENT, REDO):
        tx.delete(RECENT, REDO, key)


def amend(tx: Transaction, action: Action) -> None:
    """Replace the newest action (same seq) with a grown one (a playing session); as
    for any change, what was undone can no longer be redone."""
    tx.put(RECENT, ACTIONS, str(action.seq), _doc(action))
    for key in tx.keys(RECENT, REDO):
        tx.delete(RECENT, REDO, key)


def pop(tx: Transaction) -> Action | None:
    """Take the newest action out of the recent file into the redo table (None when
    it is not there)."""
    action = newest(tx)
    if action is None:
        return None
    key = str(action.seq)
    tx.put(RECENT, REDO, key, tx.get(RECENT, ACTIONS, key))
    tx.delete(RECENT, ACTIONS, key)
    tx.put(RECENT, SEQ, "next", {"n": action.seq})
    return action


def pop_redo(tx: Transaction) -> Action | None:
    """Take the most recently undone action back into the history (same seq)."""
    keys = tx.keys(RECENT, REDO)
    if not keys:
        return None
    key = min(keys, key=int)
    doc = tx.get(RECENT, REDO, key)
    tx.delete(RECENT, REDO, key)
    if int(key) != next_seq(tx):  # pragma: no cover - kept straight by undo and record
        for other in keys:
            tx.delete(RECENT, REDO, other)
        return None
    tx.put(RECENT, ACTIONS, key, doc)
    tx.put(RECENT, SEQ, "next", {"n": int(key) + 1})
    return Action.from_doc(int(key), doc)


def next_redos(tx: Transaction, count: int) -> list[Action]:
    """The next ``count`` actions redo would take, next first (without taking them)."""
    keys = sorted(tx.keys(RECENT, REDO), key=int)[:count]
    return [Action.from_doc(int(k), tx.get(RECENT, REDO, k)) for k in keys]


def redoable(store: Store) -> list[Action]:
    """What redo would re-apply, next first."""
    table = store.table(RECENT, REDO)
    return [Action.from_doc(int(k), table[k]) for k in sorted(table, key=int)]


def adopt(tx: Transaction, exported: dict[str, dict[str, Any]], own_seq: int) -> bool:
    """Take an exported history as it was, but only when the library's single action
    is the import just recorded (``own_seq``): a library's own history is never lost."""
    existing = tx.keys(RECENT, ACTIONS)
    if not exported or existing != [str(own_seq)] or own_seq != 1 or segments(tx):
        return False
    tx.delete(RECENT, ACTIONS, str(own_seq))
    for seq, doc in exported.items():
        tx.put(RECENT, ACTIONS, seq, {**doc, SIZE: len(orjson.dumps(doc))})
    tx.put(RECENT, SEQ, "next", {"n": max(int(k) for k in exported) + 1})
    for key in tx.keys(RECENT, REDO):
        tx.delete(RECENT, REDO, key)
    return True


def actions(store: Store, limit: int | None = None) -> list[Action]:
    """Newest first; archive segments are read, newest first, only as far as needed."""
    recent = store.table(RECENT, ACTIONS)
    seqs = sorted((int(k) for k in recent), reverse=True)
    out = [Action.from_doc(s, recent[str(s)]) for s in (seqs if limit is None else seqs[:limit])]
    for name in reversed(segments(store)):
        if limit is not None and len(out) >= limit:
            break
        table = store.table(name, ACTIONS)
        older = sorted((int(k) for k in table), reverse=True)
        wanted = older if limit is None else older[: limit - len(out)]
        out += [Action.from_doc(s, table[str(s)]) for s in wanted]
    return out


def since(store: Store, seq: int) -> list[Action]:
    """Actions after ``seq``, oldest first (segments only as far back as they reach)."""
    recent = store.table(RECENT, ACTIONS)
    chunks = [sorted((int(k), recent[k]) for k in recent if int(k) > seq)]
    reached = _reaches(recent, seq)  # an empty recent file (undone into the archive) reaches nothing
    for name in reversed(segments(store)):
        if reached:
            break
        table = store.table(name, ACTIONS)
        chunks.append(sorted((int(k), table[k]) for k in table if int(k) > seq))
        reached = _reaches(table, seq)
    return [Action.from_doc(k, doc) for chunk in reversed(chunks) for k, doc in chunk]


def _reaches(table: dict[str, Any], seq: int) -> bool:
    """The table holds action ``seq + 1`` or an older one: nothing older need be read."""
    return min((int(k) for k in table), default=seq + 2) <= seq + 1


def _too_big(recent: dict[str, Any]) -> bool:
    if len(recent) > RECENT_MAX:
        return True
    return sum(int(doc.get(SIZE) or 0) for doc in recent.values()) > RECENT_MAX_BYTES


def _plan(keys: list[str], sizes: list[int]) -> int:
    """How many of the oldest recent actions to move: keep the newest, and at most
    ``RECENT_KEEP`` actions within half the byte budget."""
    kept_bytes = 0
    first_kept = len(keys) - 1
    while first_kept > 0 and len(keys) - first_kept < RECENT_KEEP:
        if kept_bytes + sizes[first_kept - 1] > RECENT_MAX_BYTES // 2:
            break
        first_kept -= 1
        kept_bytes += sizes[first_kept]
    return first_kept


def _segment_size(store: Store, name: str) -> int:
    return sum(int(doc.get(SIZE) or 0) for doc in store.table(name, ACTIONS).values())


def roll_over(store: Store) -> None:
    """Move the oldest recent actions to the newest archive segment (new segments as
    each fills); the newest action stays (a session amends it, undo takes it)."""
    recent = store.table(RECENT, ACTIONS)
    if not _too_big(recent):
        return
    keys = sorted(recent, key=int)
    sizes = [int(recent[k].get(SIZE) or 0) for k in keys]
    moving = _plan(keys, sizes)
    names = segments(store)
    last = names[-1] if names and names[-1] != ARCHIVE else None
    room = SEGMENT_BYTES - _segment_size(store, last) if last else 0
    # Assign each moving action to a segment before the transaction names its files.
    target: list[str] = []
    fresh = [n for n in ARCHIVE_SEGMENTS if n not in names]
    current, used = last, (SEGMENT_BYTES - room if last else 0)
    for size in sizes[:moving]:
        if current is None or (used + size > SEGMENT_BYTES and used > 0):
            if fresh:
                current, used = fresh.pop(0), 0
            elif current is None:
                current, used = ARCHIVE_SEGMENTS[-1], 0  # every segment name taken: the last grows
        target.append(current)
        used += size
    files = list(dict.fromkeys(target))
    with store.transaction(RECENT, *files) as tx:
        if sorted(tx.keys(RECENT, ACTIONS), key=int)[:moving] != keys[:moving]:
            return  # another process rolled over meanwhile
        for key, name in zip(keys[:moving], target):
            tx.put(name, ACTIONS, key, tx.get(RECENT, ACTIONS, key))
            tx.delete(RECENT, ACTIONS, key)
        _set_segments(tx, names + [n for n in files if n not in names])


def bring_back(store: Store) -> bool:
    """Move the newest chunk of the newest segment back to the recent file, for undo;
    False when there is nothing archived."""
    names = segments(store)
    if not names:
        return False
    last = names[-1]
    with store.transaction(RECENT, last) as tx:
        keys = sorted(tx.keys(last, ACTIONS), key=int)
        if not keys or next_seq(tx) - 1 != int(keys[-1]):
            return False  # the recent file still holds the newest action
        taken = 0
        for count, key in enumerate(reversed(keys), start=1):
            doc = tx.get(last, ACTIONS, key)
            taken += int(doc.get(SIZE) or 0)
            tx.put(RECENT, ACTIONS, key, doc)
            tx.delete(last, ACTIONS, key)
            if count >= RECENT_KEEP or taken > RECENT_MAX_BYTES // 2:
                break
        if not tx.keys(last, ACTIONS):
            _set_segments(tx, names[:-1])
        elif tx.get(RECENT, SEGMENT_INDEX, "segments") is None:
            _set_segments(tx, names)
    return True
