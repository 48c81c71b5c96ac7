"""How every change is written: computed under the lock from fresh data, stored with its
history entry and its day-log credit in one transaction; undone and redone the same way.

A change is a ``Change`` (new episode states, a new queue, show settings) computed by a
function of the open transaction. What did not really change is dropped; if nothing
is left, nothing is written and no action is recorded. A playing session's later
writes amend its action while it is still the newest one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence, Union

from store import Store, Transaction

from . import daylog, history
from . import progress as prog
from .errors import HistoryChanged, OutOfStep, UnknownEpisode
from .files import EPISODES, HISTORY_FILE, QUEUE, QUEUE_KEY, REVISION, SHOW_PREFS, STATE_FILE
from .records import NEW_STATE, Action, Episode, EpisodeState, QueueEntry

SUBSCRIPTION = "unsubscribed"  # the show setting that history tracks (speed is a preference)


@dataclass
class Change:
    states: dict[str, EpisodeState] = field(default_factory=dict)
    queue: list[QueueEntry] | None = None
    unsubscribed: dict[str, bool] = field(default_factory=dict)  # show id -> hidden
    credit: daylog.Credit | None = None  # explicit (remote plays by their day); else today's gain
    summary: str | None = None  # when only the computation knows the right words
    session: dict[str, Any] | None = None  # {"id": ..., "from": position}: amend its action
    episodes: dict[str, Episode] = field(default_factory=dict)  # those the computation already read
    moved: tuple[str, ...] = ()  # queue entries moved on purpose: named by the action, unlike those shifted along
    # An imported "marked new" is kept though it looks like no state at all: its time is
    # what keeps plays from before it (an older export, a sync) from coming back.
    resets: bool = False


Compute = Callable[[Transaction, str], Change]
Summary = Union[str, Callable[[list[str]], str]]  # or the words for the episodes the change really touched
EpisodesOf = Callable[[Iterable[str]], dict[str, Episode]]


def read_queue(tx: Transaction) -> list[QueueEntry]:
    doc = tx.get(STATE_FILE, QUEUE, QUEUE_KEY) or {}
    return [QueueEntry(i, c) for i, c in doc.get("items", [])]


def read_state(tx: Transaction, eid: str) -> EpisodeState:
    return EpisodeState.from_doc(tx.get(STATE_FILE, EPISODES, eid))


def revision_in(source: Store | Transaction, name: str) -> int:
    """The revision ``name`` (the state or the history file) records."""
    if isinstance(source, Transaction):
        doc = source.get(name, REVISION, "rev")
    else:
        doc = source.table(name, REVISION).get("rev")
    return int((doc or {}).get("n", 0))


def _revision(tx: Transaction) -> int:
    """The next revision, above what either file records: a state file restored from an
    older backup takes its number back, and a number used again would pass a new state
    off as one sync already sent."""
    return max(revision_in(tx, STATE_FILE), revision_in(tx, HISTORY_FILE)) + 1


def _bump(tx: Transaction, rev: int) -> None:
    """Every change writes both files: each keeps the revision for the other."""
    tx.put(STATE_FILE, REVISION, "rev", {"n": rev})
    tx.put(HISTORY_FILE, REVISION, "rev", {"n": rev})


def session_action(tx: Transaction, session: dict[str, Any] | None, eid: str) -> Action | None:
    """The newest action, if it records this playing session of this episode."""
    if not session:
        return None
    prev = history.newest(tx)
    if prev is None or not prev.session or prev.session.get("id") != session.get("id"):
        return None
    return prev if prev.episodes == (eid,) else None


def apply(store: Store, episodes_of: EpisodesOf, kind: str, summary: Summary, compute: Compute) -> Action | None:
    with store.transaction(HISTORY_FILE, STATE_FILE) as tx:
        now = daylog.utc_now()
        change = compute(tx, now)
        rev = _revision(tx)
        episodes = dict(change.episodes)
        unread = [eid for eid in change.states if eid not in episodes]
        if unread:
            episodes.update(episodes_of(unread))
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        gained: dict[str, float] = {}
        for eid, st in change.states.items():
            old = tx.get(STATE_FILE, EPISODES, eid)
            ep = episodes[eid]
            new = prog.stored(ep, st.with_(rev=rev))
            if _same(old, new) and not (change.resets and _new_reset(old, st)):
                continue
            before[eid], after[eid] = old, new
            heard = float(new.get("heard_s", 0.0)) - _heard(old)
            if heard > 0:
                gained[ep.show_id] = round(gained.get(ep.show_id, 0.0) + heard, 3)
            tx.put(STATE_FILE, EPISODES, eid, new)
        queue_before = read_queue(tx)
        queue_after = list(queue_before if change.queue is None else change.queue)
        listened = {eid for eid, doc in after.items() if doc["status"] == "listened"}
        queue_after = [e for e in queue_after if e.id not in listened]
        queue_changed = queue_after != queue_before
        if queue_changed:
            tx.put(STATE_FILE, QUEUE, QUEUE_KEY, {"items": [e.to_doc() for e in queue_after]})
        shows_before: dict[str, Any] = {}
        shows_after: dict[str, Any] = {}
        for sid, hidden in change.unsubscribed.items():
            prefs = tx.get(STATE_FILE, SHOW_PREFS, sid) or {}
            if bool(prefs.get(SUBSCRIPTION)) != hidden:
                shows_before[sid], shows_after[sid] = {SUBSCRIPTION: not hidden}, {SUBSCRIPTION: hidden}
                _put_subscription(tx, sid, hidden)
        if not after and not queue_changed and not shows_after:
            return None
        if change.credit is not None:
            credit = {day: shows for day, shows in change.credit.items() if shows}
        else:
            credit = {daylog.local_day(now): gained} if gained else {}
        daylog.add(tx, credit)
        _bump(tx, rev)
        touched = tuple(dict.fromkeys([*after, *(e.id for e in _diff(queue_before, queue_after)),
                                       *_replaced(change.moved, queue_before, queue_after)]))
        if callable(summary):  # a change of several, some of them already so, names only those it changed
            summary = summary(list(touched))
        action = Action(
            seq=history.next_seq(tx), at=now, kind=kind, episodes=touched, summary=change.summary or summary,
            before=before, after=after,
            queue_before=[e.to_doc() for e in queue_before] if queue_changed else None,
            queue_after=[e.to_doc() for e in queue_after] if queue_changed else None,
            shows_before=shows_before, shows_after=shows_after, credit=credit, session=change.session,
        )
        prev = session_action(tx, change.session, touched[0]) if len(touched) == 1 else None
        if prev is not None:
            action = _amended(prev, action)
            history.amend(tx, action)
        else:
            history.record(tx, action)
    history.roll_over(store)
    return action


def _amended(prev: Action, new: Action) -> Action:
    """The session's action grown by ``new``: its first ``before``, the latest ``after``."""
    queue_before = prev.queue_before if prev.queue_before is not None else new.queue_before
    queue_after = new.queue_after if new.queue_after is not None else prev.queue_after
    return Action(
        seq=prev.seq, at=new.at, kind=new.kind, episodes=prev.episodes, summary=new.summary,
        before={**new.before, **prev.before}, after={**prev.after, **new.after},
        queue_before=queue_before, queue_after=queue_after,
        shows_before={**new.shows_before, **prev.shows_before}, shows_after={**prev.shows_after, **new.shows_after},
        credit=daylog.merge(prev.credit, new.credit), session=new.session or prev.session,  # its bounds grow
    )


Refs = Sequence[tuple[int, str]]


def _expected(action: Action | None, expect: Refs | None, done: int) -> bool:
    return action is None or expect is None or (done < len(expect) and action.ref == tuple(expect[done]))


def undo(store: Store, episodes_of: EpisodesOf, steps: int, expect: Refs | None = None) -> list[Action]:
    """Walk back ``steps`` actions, newest first; returns those undone. ``expect``: the
    ``ref`` of each, as a question showed them; another tracker's change since stops
    the undo there (``HistoryChanged`` when it stops before the first), and so does one
    whose change the listening no longer shows (``OutOfStep``: a file put back alone)."""
    undone: list[Action] = []
    changed = False
    stuck: Action | None = None
    while len(undone) < steps and not changed and stuck is None:
        with store.transaction(HISTORY_FILE, STATE_FILE) as tx:
            rev = _revision(tx)
            while len(undone) < steps:
                action = history.newest(tx)
                if not _expected(action, expect, len(undone)):
                    changed = True
                    break
                if action is None:
                    break
                if not _as_left(tx, action.after, action.queue_after, action.shows_after):
                    stuck = action
                    break
                history.pop(tx)
                _restore(tx, action.before, action.queue_before, action.shows_before, rev, episodes_of)
                daylog.add(tx, action.credit, -1)
                undone.append(action)
            if undone:
                _bump(tx, rev)
        if len(undone) < steps and not changed and stuck is None and not history.bring_back(store):
            break
    if changed and not undone:
        raise HistoryChanged("the history changed meanwhile (another tracker wrote): nothing was undone")
    if stuck is not None and not undone:
        raise OutOfStep(_out_of_step("undo", stuck))
    return undone


def redo(store: Store, episodes_of: EpisodesOf, steps: int, expect: Refs | None = None) -> list[Action]:
    """Re-apply the most recently undone actions, oldest of them first (``expect``: as for
    ``undo``, their refs in that order)."""
    redone: list[Action] = []
    with store.transaction(HISTORY_FILE, STATE_FILE) as tx:
        rev = _revision(tx)
        if expect is not None and [a.ref for a in history.next_redos(tx, steps)] != [tuple(r) for r in expect]:
            raise HistoryChanged("the history changed meanwhile (another tracker wrote): nothing was redone")
        while len(redone) < steps:
            action = next(iter(history.next_redos(tx, 1)), None)
            if action is None:
                break
            if not _as_left(tx, action.before, action.queue_before, action.shows_before):
                if not redone:
                    raise OutOfStep(_out_of_step("redo", action))
                break
            if history.pop_redo(tx) is None:
                break
            _restore(tx, action.after, action.queue_after, action.shows_after, rev, episodes_of)
            daylog.add(tx, action.credit)
            redone.append(action)
        if redone:
            _bump(tx, rev)
    history.roll_over(store)
    return redone


def _as_left(tx: Transaction, docs: dict[str, Any], queue: list[Any] | None, shows: dict[str, Any]) -> bool:
    """Whether the listening is as one side of an action has it (``after`` to undo it,
    ``before`` to redo it): false when a state or history file was put back alone."""
    for eid, doc in docs.items():
        if doc is not None and "chapters" in doc:
            continue  # recorded in schema 1: the state file was upgraded since, the history not
        if not _same(tx.get(STATE_FILE, EPISODES, eid), doc):
            return False
    if queue is not None and [e.to_doc() for e in read_queue(tx)] != [list(item) for item in queue]:
        return False
    return all(bool((tx.get(STATE_FILE, SHOW_PREFS, sid) or {}).get(SUBSCRIPTION)) == bool(doc.get(SUBSCRIPTION))
               for sid, doc in shows.items())


def _out_of_step(verb: str, action: Action) -> str:
    return (f"cannot {verb} “{action.summary}”: the listening is not as that change left it "
            f"(state.json or history.json put back from a backup without the other); nothing was {verb}ne")


def _restore(tx: Transaction, docs: dict[str, Any], queue: list[Any] | None, shows: dict[str, Any], rev: int,
             episodes_of: EpisodesOf) -> None:
    episodes = _known(episodes_of, list(docs))
    for eid, doc in docs.items():
        # A state that had no document gets a blank one: the new revision tells sync it changed.
        restored = {**(doc if doc is not None else NEW_STATE.to_doc()), "rev": rev}
        ep = episodes.get(eid)
        if ep is not None:  # its numbers for stats counted anew: a refresh may have changed its chapters since
            restored = prog.stored(ep, EpisodeState.from_doc(restored))
        elif "heard_s" not in restored and restored.get("spans"):  # an adopted history's documents
            restored["heard_s"] = EpisodeState.from_doc(restored).heard_s  # carry no stats numbers
        tx.put(STATE_FILE, EPISODES, eid, restored)
    if queue is not None:
        tx.put(STATE_FILE, QUEUE, QUEUE_KEY, {"items": queue})
    for sid, doc in shows.items():
        _put_subscription(tx, sid, bool(doc.get(SUBSCRIPTION)))


def _known(episodes_of: EpisodesOf, ids: list[str]) -> dict[str, Episode]:
    """The episodes of ``ids`` the catalog still holds (a catalog restored from an older
    backup may lack some)."""
    try:
        return episodes_of(ids)
    except UnknownEpisode:
        out: dict[str, Episode] = {}
        for eid in ids:
            try:
                out.update(episodes_of([eid]))
            except UnknownEpisode:
                pass
        return out


def _put_subscription(tx: Transaction, sid: str, hidden: bool) -> None:
    prefs = dict(tx.get(STATE_FILE, SHOW_PREFS, sid) or {})
    if hidden:
        prefs[SUBSCRIPTION] = True
    else:
        prefs.pop(SUBSCRIPTION, None)
    if prefs:
        tx.put(STATE_FILE, SHOW_PREFS, sid, prefs)
    else:
        tx.delete(STATE_FILE, SHOW_PREFS, sid)


def _same(old: dict[str, Any] | None, new: dict[str, Any] | None) -> bool:
    """Equal but for the update time, the revision and the derived numbers."""
    return _norm(old) == _norm(new)


def _new_reset(old: dict[str, Any] | None, st: EpisodeState) -> bool:
    """``st`` is a "marked new" not already stored as such at that time."""
    return prog.is_reset(st) and EpisodeState.from_doc(old).updated_at != st.updated_at


def _norm(doc: dict[str, Any] | None) -> tuple[Any, ...]:
    st = EpisodeState.from_doc(doc)
    return st.status, st.position_s, st.spans, st.marks, st.listened_at, st.before_listened


def _heard(doc: dict[str, Any] | None) -> float:
    if not doc:
        return 0.0
    value = doc.get("heard_s")
    return float(value) if isinstance(value, (int, float)) else EpisodeState.from_doc(doc).heard_s


def _replaced(ids: Sequence[str], a: list[QueueEntry], b: list[QueueEntry]) -> list[str]:
    """Those of ``ids`` queued before and after, at another place."""
    place_a, place_b = {e.id: i for i, e in enumerate(a)}, {e.id: i for i, e in enumerate(b)}
    return [eid for eid in ids if eid in place_a and eid in place_b and place_a[eid] != place_b[eid]]


def _diff(a: list[QueueEntry], b: list[QueueEntry]) -> list[QueueEntry]:
    ids_a, ids_b = {e.id for e in a}, {e.id for e in b}
    return [e for e in a if e.id not in ids_b] + [e for e in b if e.id not in ids_a]
