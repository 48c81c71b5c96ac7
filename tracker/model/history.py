"""The action history: every change with its before and after, for undo.

The newest actions live in ``history.json``, which every change rewrites; so that
a change costs the same after years of listening, at most ``RECENT_MAX`` actions
stay there. Past that, the oldest are moved to ``history-archive.json`` in one
atomic commit, leaving ``RECENT_KEEP``: the archive is rewritten once per few
hundred changes. Undo past the recent actions brings a chunk back first.
"""

from __future__ import annotations

from typing import Any

from store import Store, Transaction

from .records import Action

RECENT = "history"
ARCHIVE = "history-archive"
RECENT_MAX = 1000
RECENT_KEEP = 500


def next_seq(tx: Transaction) -> int:
    doc = tx.get(RECENT, "seq", "next")
    return doc["n"] if doc else 1


def record(tx: Transaction, action: Action) -> None:
    tx.put(RECENT, "actions", str(action.seq), action.to_doc())
    tx.put(RECENT, "seq", "next", {"n": action.seq + 1})


def pop(tx: Transaction) -> Action | None:
    """Take the newest action out of the recent file (None when it is not there)."""
    seq = next_seq(tx) - 1
    doc = tx.get(RECENT, "actions", str(seq)) if seq > 0 else None
    if doc is None:
        return None
    tx.delete(RECENT, "actions", str(seq))
    tx.put(RECENT, "seq", "next", {"n": seq})
    return Action.from_doc(seq, doc)


def adopt(tx: Transaction, exported: dict[str, dict[str, Any]]) -> bool:
    """Take an exported history as it was, into a library with no history of its own
    (its single action may be the import itself). False when the library has one."""
    existing = tx.keys(RECENT, "actions")
    if not exported or len(existing) > 1:
        return False
    for key in existing:
        tx.delete(RECENT, "actions", key)
    for seq, doc in exported.items():
        tx.put(RECENT, "actions", seq, doc)
    tx.put(RECENT, "seq", "next", {"n": max(int(k) for k in exported) + 1})
    return True


def actions(store: Store, limit: int | None = None) -> list[Action]:
    """Newest first; the archive is read only when the recent file does not suffice."""
    recent = store.table(RECENT, "actions")
    seqs = sorted((int(k) for k in recent), reverse=True)
    out = [Action.from_doc(s, recent[str(s)]) for s in (seqs if limit is None else seqs[:limit])]
    if limit is None or len(out) < limit:
        archive = store.table(ARCHIVE, "actions")
        older = sorted((int(k) for k in archive), reverse=True)
        wanted = older if limit is None else older[: limit - len(out)]
        out += [Action.from_doc(s, archive[str(s)]) for s in wanted]
    return out


def roll_over(store: Store) -> None:
    """Move the oldest recent actions to the archive once there are too many."""
    if len(store.table(RECENT, "actions")) <= RECENT_MAX:
        return
    with store.transaction(RECENT, ARCHIVE) as tx:
        keys = sorted(tx.keys(RECENT, "actions"), key=int)
        for key in keys[: max(0, len(keys) - RECENT_KEEP)]:
            tx.put(ARCHIVE, "actions", key, tx.get(RECENT, "actions", key))
            tx.delete(RECENT, "actions", key)


def bring_back(store: Store) -> bool:
    """Move the newest archived chunk back to the recent file, for undo; False if none."""
    if not store.table(ARCHIVE, "actions"):
        return False
    with store.transaction(RECENT, ARCHIVE) as tx:
        keys = sorted(tx.keys(ARCHIVE, "actions"), key=int)
        if not keys or next_seq(tx) - 1 != int(keys[-1]):
            return False  # the recent file still holds the newest action
        for key in keys[-RECENT_KEEP:]:
            tx.put(RECENT, "actions", key, tx.get(ARCHIVE, "actions", key))
            tx.delete(ARCHIVE, "actions", key)
    return True
