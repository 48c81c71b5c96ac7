"""Sync's own bookkeeping, inside the library (``sync.json``), written through the store
like every other file, so it lands whole or not at all and follows the library.

Tables:
- ``meta``: the setup this bookkeeping belongs to, the cursors (``since`` for actions
  and subscriptions), the last sync's time and result;
- ``agreed`` (in ``sync-agreed.json``): per episode, the listening state last agreed with
  the server (a digest of the state document, and the library revision that wrote it) and
  the key of the action that made it (timestamp, device, content digest): newest key
  wins, so every device settles on the same state;
- ``outbox``: per episode, actions waiting for the server's acknowledgement;
- ``subs``: the subscriptions last agreed with the server (server URL -> local URL);
- ``unmatched``: remote actions for episodes not in the catalog yet, kept until they appear;
- ``seen`` (in ``sync-seen.json``): the remote actions already taken in (digest -> their
  time), of the window each sync asks for again, so each is taken in once.

It never holds the password (that lives in the config folder).
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

import orjson
from store import Transaction

from ..model.files import SYNC, SYNC_AGREED, SYNC_SEEN
from ..model.library import Library

FILE = SYNC.name
AGREED_FILE = SYNC_AGREED.name  # apart: a sync with nothing to do neither reads nor writes it
SEEN_FILE = SYNC_SEEN.name  # apart: written only when actions arrive
Key = tuple[int, str, str]  # (timestamp, device, content digest): compared as a tuple
NO_KEY: Key = (-1, "", "")


def digest(value: Any) -> str:
    return hashlib.blake2b(orjson.dumps(value, option=orjson.OPT_SORT_KEYS), digest_size=8).hexdigest()


def state_sig(doc: dict[str, Any] | None) -> str:
    """The listening state without its change time and revision: an undo to the same state is
    no change."""
    if not doc:
        return ""
    return digest({k: v for k, v in doc.items() if k not in ("updated_at", "rev")})


@dataclass(frozen=True)
class Agreed:
    sig: str
    key: Key
    rev: int = 0  # the state document's revision when agreed (0: unknown)

    def to_doc(self) -> dict[str, Any]:
        return {"sig": self.sig, "ts": self.key[0], "dev": self.key[1], "dig": self.key[2], "rev": self.rev}

    @classmethod
    def from_doc(cls, doc: dict[str, Any] | None) -> "Agreed | None":
        if not doc:
            return None
        key = (int(doc.get("ts", -1)), str(doc.get("dev", "")), str(doc.get("dig", "")))
        return cls(doc.get("sig", ""), key, int(doc.get("rev") or 0))


def revision_of(doc: dict[str, Any] | None) -> int:
    return int((doc or {}).get("rev") or 0)


def agreed_for(doc: dict[str, Any] | None, key: Key, same: bool = True) -> Agreed:
    """The agreement for the state ``doc``; ``same=False``: it says more than the server
    has (left pending, so it goes up)."""
    return Agreed(state_sig(doc) if same else "", key, revision_of(doc) if same else 0)


def refusals(meta: dict[str, Any]) -> dict[str, dict[str, str]]:
    """What the server refused and is left out (``sub:URL`` or ``episode:ID`` -> what and
    why): said once by the sync, listed by ``sync status`` until it goes up."""
    stored = meta.get("refused")
    return {k: v for k, v in stored.items() if isinstance(v, dict)} if isinstance(stored, dict) else {}


class Book:
    def __init__(self, library: Library) -> None:
        self.library = library
        self.store = library.store
        self._later: dict[str, Any] = {}

    def meta_later(self, **changes: Any) -> None:
        """Meta changes (cursors) that may wait for the next write: a sync with nothing to
        do writes the library once, not once per step."""
        self._later.update(changes)

    # -- reading -------------------------------------------------------------------------------
    def meta(self) -> dict[str, Any]:
        return {**(self.store.table(FILE, "meta").get("sync") or {}), **self._later}

    def agreed(self) -> dict[str, dict[str, Any]]:
        return self.store.table(AGREED_FILE, "agreed")

    def changed(self, states: dict[str, dict[str, Any]]) -> list[str]:
        """Episodes whose state is not the one agreed with the server. The revision that
        wrote a state tells most apart without hashing it."""
        agreed = self.agreed()
        out = []
        for eid, doc in states.items():
            entry = agreed.get(eid)
            if entry is not None and entry.get("rev") and entry.get("rev") == doc.get("rev"):
                continue
            if (entry or {}).get("sig") != state_sig(doc):
                out.append(eid)
        out += [eid for eid, entry in agreed.items() if eid not in states and entry.get("sig")]
        return out

    def outbox(self) -> dict[str, dict[str, Any]]:
        return self.store.table(FILE, "outbox")

    def subs(self) -> dict[str, dict[str, Any]]:
        return self.store.table(FILE, "subs")

    def unmatched(self) -> dict[str, dict[str, Any]]:
        return self.store.table(FILE, "unmatched")

    def seen(self) -> dict[str, dict[str, Any]]:
        return self.store.table(SEEN_FILE, "seen")

    # -- writing ------------------------------------------------------------------------------
    @contextmanager
    def write(self, agreed: bool = False, seen: bool = False) -> Iterator["Writer"]:
        """One transaction over the sync file (and the agreed file when ``agreed``, the seen
        file when ``seen``): ``with book.write(agreed=True) as w: w.put_agreed(...)``."""
        files = (FILE, *((AGREED_FILE,) if agreed else ()), *((SEEN_FILE,) if seen else ()))
        with self.store.transaction(*files) as tx:
            writer = Writer(tx)
            if self._later:
                writer.set_meta(**self._later)
            yield writer
        self._later = {}


class Writer:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def meta(self) -> dict[str, Any]:
        return dict(self._tx.get(FILE, "meta", "sync") or {})

    def set_meta(self, **changes: Any) -> None:
        self._tx.put(FILE, "meta", "sync", {**self.meta(), **changes})

    def put_agreed(self, eid: str, agreed: Agreed) -> None:
        self._tx.put(AGREED_FILE, "agreed", eid, agreed.to_doc())

    def get_outbox(self, eid: str) -> dict[str, Any] | None:
        doc = self._tx.get(FILE, "outbox", eid)
        return dict(doc) if doc else None

    def put_outbox(self, eid: str, doc: dict[str, Any]) -> None:
        self._tx.put(FILE, "outbox", eid, doc)

    def drop_outbox(self, eid: str) -> None:
        self._tx.delete(FILE, "outbox", eid)

    def put_sub(self, server_url: str, local_url: str) -> None:
        self._tx.put(FILE, "subs", server_url, {"local": local_url})

    def drop_sub(self, server_url: str) -> None:
        self._tx.delete(FILE, "subs", server_url)

    def put_unmatched(self, key: str, docs: list[dict[str, Any]]) -> None:
        self._tx.put(FILE, "unmatched", key, {"actions": docs})

    def drop_unmatched(self, key: str) -> None:
        self._tx.delete(FILE, "unmatched", key)

    def put_seen(self, key: str, ts: int) -> None:
        self._tx.put(SEEN_FILE, "seen", key, {"ts": ts})

    def drop_seen(self, key: str) -> None:
        self._tx.delete(SEEN_FILE, "seen", key)

    def clear(self) -> None:
        """Start over (another server, user or device): a first sync follows."""
        for table in ("meta", "outbox", "subs", "unmatched"):
            for key in self._tx.keys(FILE, table):
                self._tx.delete(FILE, table, key)
        for key in self._tx.keys(AGREED_FILE, "agreed"):
            self._tx.delete(AGREED_FILE, "agreed", key)
        for key in self._tx.keys(SEEN_FILE, "seen"):
            self._tx.delete(SEEN_FILE, "seen", key)


def batches(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
