"""Listening that flows in by itself: a playing session (mpv) and remote play actions
(gpodder sync). Both become heard spans by the one rule in ``progress.credit``.

This module builds the ``Change`` for each; ``Library.record_play`` and
``Library.apply_remote`` write it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Callable, Iterable, Literal, Sequence

from store import Transaction

from . import daylog
from . import progress as prog
from .changes import Change, Compute, read_state, session_action
from .errors import UsageError
from .growing import Growing
from .records import Action, Episode, EpisodeState
from .spans import Span
from .clock import format_clock

MAX_POSITION_S = 1e7  # no episode is longer than ~115 days


@dataclass(frozen=True)
class Played:
    """What a playing session's write left: its action (None when nothing changed) and
    the episode's state now (``state.status == "listened"`` once the end was reached)."""

    action: Action | None
    state: EpisodeState


def _check(value: float | None, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise UsageError(f"{what} must be a finite number of seconds, not {value!r}")
    if not 0 <= value <= MAX_POSITION_S:
        raise UsageError(f"{what} {value:g} s is out of range")
    return float(value)


def check_spans(heard: Sequence[Span]) -> list[Span]:
    out = []
    for start, end in heard:
        s, e = _check(start, "a span's start"), _check(end, "a span's end")
        if s is not None and e is not None and e > s:
            out.append((s, e))
    return out


def play_change(episode: Episode, heard: Sequence[Span], position_s: float, session: str,
                finished: bool, length_s: float | None = None) -> Compute:
    """``length_s``: the audio as played is this long. Longer than the feed says (ads put
    in since, a stale length), what plays past the declared end is heard all the same, and
    stopping there is not the end: the feed's length would clip it away and call it listened."""
    spans = check_spans(heard)
    position = _check(position_s, "the position")
    measured = _check(length_s, "the audio's length")
    if measured is not None and episode.duration_s is not None and measured > episode.duration_s:
        episode = replace(episode, duration_s=measured)

    def compute(tx: Transaction, now: str) -> Change:
        st = read_state(tx, episode.id)
        new = prog.credit(episode, st, spans, position, now, finished)
        probe = {"id": session}
        prev = session_action(tx, probe, episode.id)
        # What the session heard, from its lowest start to its highest end over all its writes
        # (a first write may have heard nothing yet; a seek back hears below where it began).
        was = prev.session if prev is not None and prev.session is not None else {}
        start = _bound(min, was.get("from"), [s for s, _ in spans])
        last = _bound(max, was.get("to"), [e for _, e in spans])
        # Played to the end: its length (the last report may trail it); also in an episode
        # already listened, and in audio shorter than the feed says.
        length = episode.duration_s
        at_end = finished and length and new.position_s >= length - prog.END_TOLERANCE_S
        if start is None or last is None:  # nothing heard yet: where it is
            summary = f"played {format_clock(new.position_s)} to {format_clock(new.position_s)}"
        else:
            end = float(length) if at_end and length else last
            summary = f"played {format_clock(start)} to {format_clock(end)}"
            if not at_end and abs(new.position_s - end) >= 1:  # seeked away from what it heard
                summary += f", now at {format_clock(new.position_s)},"
        summary += f" of “{episode.title}”"
        if new.status == "listened" and st.status != "listened":
            summary += ": listened"
        return Change({episode.id: new}, summary=summary, session={"id": session, "from": start, "to": last},
                      episodes={episode.id: episode})

    return compute


def _bound(pick: Callable[[Iterable[float]], float], was: object, given: list[float]) -> float | None:
    """The session's bound so far (``was``, from its action) and this write's, by ``pick``."""
    have = [*given, *([float(was)] if isinstance(was, (int, float)) else [])]
    return pick(have) if have else None


RemoteKind = Literal["play", "heard", "new"]


@dataclass(frozen=True)
class RemotePlay:
    """A gpodder episode action already matched to an episode: ``play`` with the span
    ``started`` -> ``position`` (seconds) and ``total`` when known; ``heard``: the span
    only (the resume point stays); or ``new``. ``timestamp``: an ISO time (``Z`` and
    ``+00:00`` both read, naive is UTC); None means "as of now", in the order given.
    ``heard_at``: when the span was heard, for the day its time counts on in stats (a
    sync orders by its own rule and passes no ``timestamp``, yet a phone's listening of
    last week is last week's); None: the action's time. Never later than now."""

    episode: str
    action: RemoteKind
    timestamp: str | None = None
    started: float | None = None
    position: float | None = None
    total: float | None = None
    heard_at: str | None = None


def parse_time(stamp: str) -> datetime:
    try:
        when = datetime.fromisoformat(stamp.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except (ValueError, AttributeError):
        raise UsageError(f"cannot read the time {str(stamp)[:40]!r} of a remote action") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)  # gpodder.net times are UTC
    if not 1900 <= when.year <= 2200:
        raise UsageError(f"the time {str(stamp)[:40]!r} of a remote action is out of range")
    return when.astimezone(timezone.utc)


def remote_change(episodes: dict[str, Episode], plays: Sequence[RemotePlay]) -> Compute:
    """Apply in time order per episode. Heard spans are a union, so their order and
    repetition do not matter; the position, "listened" and "new" follow the newest
    timestamp, so an action older than the episode's last change moves nothing."""
    checked = []
    for i, play in enumerate(plays):
        if play.action not in ("play", "heard", "new"):
            raise UsageError(f"unknown remote action {str(play.action)[:20]!r}")
        when = parse_time(play.timestamp) if play.timestamp is not None else None
        heard_at = parse_time(play.heard_at) if play.heard_at is not None else None
        started, position = _check(play.started, "started"), _check(play.position, "position")
        total = _check(play.total, "total")
        checked.append((when, i, play, started, position, total, heard_at))
    # Stamped actions in time order, then those "as of now" in the order given.
    checked.sort(key=lambda item: (item[0] is None, item[0] or datetime.min.replace(tzinfo=timezone.utc), item[1]))

    def compute(tx: Transaction, now: str) -> Change:
        states: dict[str, EpisodeState] = {}
        credit: daylog.Credit = {}
        kept: dict[str, Growing] = {}  # each episode's spans kept up: many plays of one redo them not
        for when, _i, play, started, position, total, heard_at in checked:
            ep = episodes[play.episode]
            st = states.get(ep.id) or read_state(tx, ep.id)
            if ep.id not in kept or not kept[ep.id].follows(st):
                kept[ep.id] = Growing(ep, st)
            grow = kept[ep.id]
            stamp = when.isoformat(timespec="seconds") if when is not None else now
            newer = play.action != "heard" and (when is None or _newer(stamp, st.updated_at))
            if when is not None and prog.is_reset(st) and not _newer(stamp, st.updated_at):
                continue  # heard before the episode was marked new here: the reset stands
            if play.action == "new":
                if newer:
                    states[ep.id] = prog.mark_new(st, stamp)
                continue
            heard = [(started, position)] if started is not None and position is not None and position > started else []
            end = total if total else (float(ep.duration_s) if ep.duration_s else None)
            finished = newer and position is not None and end is not None and position >= end - prog.END_TOLERANCE_S
            had = grow.heard_s(st)
            new = prog.credit(ep, st, heard, position if newer else None, stamp if newer else (st.updated_at or stamp),
                              finished, grow.add, grow.complete)
            gained = grow.heard_s(new) - had
            if gained > 0:
                counts_on = stamp if heard_at is None else min(heard_at, parse_time(now)).isoformat()
                day = credit.setdefault(daylog.local_day(counts_on), {})
                day[ep.show_id] = round(day.get(ep.show_id, 0.0) + gained, 3)
            states[ep.id] = new
        return Change(states, credit=credit, episodes=episodes)

    return compute


def _newer(stamp: str, updated_at: str | None) -> bool:
    if not updated_at:
        return True
    try:
        return parse_time(stamp) >= parse_time(updated_at)
    except UsageError:
        return True
