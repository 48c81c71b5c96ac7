"""The day log: heard seconds per local day and show, kept beside the listening state.

Every change that credits heard time adds to it in the same transaction, and undo and
redo take it back and forth (each action keeps its ``credit``), so stats read a few
hundred small documents instead of the whole history.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from store import Store, Transaction

from .files import DAYS, STATE_FILE

Credit = dict[str, dict[str, float]]  # local date -> show id -> seconds


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def local_day(iso: str) -> str:
    """The local calendar date of an aware ISO time, as ``YYYY-MM-DD``."""
    return datetime.fromisoformat(iso).astimezone().date().isoformat()


def add(tx: Transaction, credit: Credit, sign: int = 1) -> None:
    """Add (``sign=1``) or take back (``-1``) a credit."""
    for day, shows in credit.items():
        doc: dict[str, Any] = dict(tx.get(STATE_FILE, DAYS, day) or {})
        for show, seconds in shows.items():
            value = round(float(doc.get(show, 0.0)) + sign * seconds, 3)
            if abs(value) < 0.001:
                doc.pop(show, None)
            else:
                doc[show] = value
        if doc:
            tx.put(STATE_FILE, DAYS, day, doc)
        else:
            tx.delete(STATE_FILE, DAYS, day)


def missing(tx: Transaction, other: Credit) -> Credit:
    """What ``other`` (an imported day log) holds beyond this one, per day and show: a
    second import of the same export adds nothing."""
    out: Credit = {}
    for day, shows in other.items():
        have = tx.get(STATE_FILE, DAYS, day) or {}
        extra = {show: round(s - float(have.get(show, 0.0)), 3) for show, s in shows.items()}
        extra = {show: s for show, s in extra.items() if s >= 0.001}
        if extra:
            out[day] = extra
    return out


def merge(a: Credit, b: Credit) -> Credit:
    out = {day: dict(shows) for day, shows in a.items()}
    for day, shows in b.items():
        into = out.setdefault(day, {})
        for show, seconds in shows.items():
            into[show] = round(into.get(show, 0.0) + seconds, 3)
    return out


def days(store: Store) -> dict[str, dict[str, float]]:
    return store.table(STATE_FILE, DAYS)
