"""The action history: every change with its before and after, for undo and redo.

The newest actions live in ``history.json``, which every change rewrites; so that a
change costs the same after years of listening, that file is kept small by count AND
by size: past ``RECENT_MAX`` actions or ``RECENT_MAX_BYTES`` (a "mark all" on 10k
episodes is megabytes on its own), the oldest are moved to ``history-archive.json``
in one atomic commit, leaving at most ``RECENT_KEEP`` actions and half the byte budget.
The archive is rewritten only then, and undo past the recent actions brings a chunk
back first.

Undone actions wait in the ``redo`` table of the recent file until a new change clears
it; redo re-applies the most recently undone first.
"""

from __future__ import annotations

from typing import Any

import orjson

from store import Store, Transaction

from .files import ACTIONS, ARCHIVE_FILE, HISTORY_FILE, REDO, SEQ
from .records import Action

RECENT = HISTORY_FILE
ARCHIVE = ARCHIVE_FILE
RECENT_MAX = 1000
RECENT_KEEP = 500
RECENT_MAX_BYTES = 2_000_000
SIZE = "bytes"  # each stored action notes its own size, so the budget costs no re-encoding


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


def redoable(store: Store) -> list[Action]:
    """What redo would re-apply, next first."""
    table = store.table(RECENT, REDO)
    return [Action.from_doc(int(k), table[k]) for k in sorted(table, key=int)]


def adopt(tx: Transaction, exported: dict[str, dict[str, Any]], own_seq: int) -> bool:
    """Take an exported history as it was, but only when the library's single action
    is the import just recorded (``own_seq``): a library's own history is never lost."""
    existing = tx.keys(RECENT, ACTIONS)
    if not exported or existing != [str(own_seq)] or own_seq != 1:
        return False
    if tx.keys(ARCHIVE, ACTIONS):
        return False
    tx.delete(RECENT, ACTIONS, str(own_seq))
    for seq, doc in exported.items():
        tx.put(RECENT, ACTIONS, seq, {**doc, SIZE: len(orjson.dumps(doc))})
    tx.put(RECENT, SEQ, "next", {"n": max(int(k) for k in exported) + 1})
    for key in tx.keys(RECENT, REDO):
        tx.delete(RECENT, REDO, key)
    return True


def actions(store: Store, limit: int | None = None) -> list[Action]:
    """Newest first; the archive is read only when the recent file does not suffice."""
    recent = store.table(RECENT, ACTIONS)
    seqs = sorted((int(k) for k in recent), reverse=True)
    out = [Action.from_doc(s, recent[str(s)]) for s in (seqs if limit is None else seqs[:limit])]
    if limit is None or len(out) < limit:
        archive = store.table(ARCHIVE, ACTIONS)
        older = sorted((int(k) for k in archive), reverse=True)
        wanted = older if limit is None else older[: limit - len(out)]
        out += [Action.from_doc(s, archive[str(s)]) for s in wanted]
    return out


def since(store: Store, seq: int) -> list[Action]:
    """Actions after ``seq``, oldest first (the archive only when they reach into it)."""
    recent = store.table(RECENT, ACTIONS)
    keys = sorted(int(k) for k in recent if int(k) > seq)
    out = [Action.from_doc(k, recent[str(k)]) for k in keys]
    oldest_recent = min((int(k) for k in recent), default=None)
    if oldest_recent is None or oldest_recent > seq + 1:
        archive = store.table(ARCHIVE, ACTIONS)
        older = sorted(int(k) for k in archive if int(k) > seq)
        out = [Action.from_doc(k, archive[str(k)]) for k in older] + out
    return out


def _too_big(recent: dict[str, Any]) -> bool:
    if len(recent) > RECENT_MAX:
        return True
    return sum(int(doc.get(SIZE) or 0) for doc in recent.values()) > RECENT_MAX_BYTES


def roll_over(store: Store) -> None:
    """Move the oldest recent actions to the archive once there are too many or they
    weigh too much; the newest stays (a session amends it, undo takes it)."""
    if not _too_big(store.table(RECENT, ACTIONS)):
        return
    with store.transaction(RECENT, ARCHIVE) as tx:
        keys = sorted(tx.keys(RECENT, ACTIONS), key=int)
        sizes = [int((tx.get(RECENT, ACTIONS, k) or {}).get(SIZE) or 0) for k in keys]
        kept_bytes = 0
        first_kept = len(keys) - 1
        while first_kept > 0 and len(keys) - first_kept < RECENT_KEEP:
            if kept_bytes + sizes[first_kept - 1] > RECENT_MAX_BYTES // 2:
                break
            first_kept -= 1
            kept_bytes += sizes[first_kept]
        for key in keys[:first_kept]:
            tx.put(ARCHIVE, ACTIONS, key, tx.get(RECENT, ACTIONS, key))
            tx.delete(RECENT, ACTIONS, key)


def bring_back(store: Store) -> bool:
    """Move the newest archived chunk back to the recent file, for undo; False if none."""
    if not store.table(ARCHIVE, ACTIONS):
        return False
    with store.transaction(RECENT, ARCHIVE) as tx:
        keys = sorted(tx.keys(ARCHIVE, ACTIONS), key=int)
        if not keys or next_seq(tx) - 1 != int(keys[-1]):
            return False  # the recent file still holds the newest action
        taken = 0
        for count, key in enumerate(reversed(keys), start=1):
            doc = tx.get(ARCHIVE, ACTIONS, key)
            taken += int(doc.get(SIZE) or 0)
            tx.put(RECENT, ACTIONS, key, doc)
            tx.delete(ARCHIVE, ACTIONS, key)
            if count >= RECENT_KEEP or taken > RECENT_MAX_BYTES // 2:
                break
    return True
