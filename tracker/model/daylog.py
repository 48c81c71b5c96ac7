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
    """Add (``sign=1``) or take back (``-1``) a credit. Never below zero: a state file
    put back from a backup lacks credits its history still holds, and undoing one took
    back time the log never had (stats said "-1:55:00 heard")."""
    for day, shows in credit.items():
        doc: dict[str, Any] = dict(tx.get(STATE_FILE, DAYS, day) or {})
        for show, seconds in shows.items():
            value = round(float(doc.get(show, 0.0)) + sign * seconds, 3)
            if value < 0.001:
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


def with_unlogged(credit: Credit, other: Credit, gained: dict[str, float], today: str) -> Credit:
    """``credit`` (what ``missing`` found in an imported log) grown by the heard time an
    import added beyond it, per show. Two libraries that heard different parts on the same
    day: the imported log holds no more than this one that day, so ``missing`` finds
    nothing, yet the merge heard more. That time goes on the days the imported log has for
    the show (up to what it holds there, newest first), the rest on ``today``."""
    out = merge(credit, {})
    for show, seconds in gained.items():
        short = seconds - sum(shows.get(show, 0.0) for shows in out.values())
        for day in sorted((d for d in other if other[d].get(show)), reverse=True):
            if short < 0.001:
                break
            into = out.setdefault(day, {})
            room = float(other[day][show]) - into.get(show, 0.0)
            if room >= 0.001:
                give = min(room, short)
                into[show] = round(into.get(show, 0.0) + give, 3)
                short -= give
        if short >= 0.001:
            into = out.setdefault(today, {})
            into[show] = round(into.get(show, 0.0) + short, 3)
    return {day: shows for day, shows in out.items() if shows}


def merge(a: Credit, b: Credit) -> Credit:
    out = {day: dict(shows) for day, shows in a.items()}
    for day, shows in b.items():
        into = out.setdefault(day, {})
        for show, seconds in shows.items():
            into[show] = round(into.get(show, 0.0) + seconds, 3)
    return out


def days(store: Store) -> dict[str, dict[str, float]]:
    return store.table(STATE_FILE, DAYS)
