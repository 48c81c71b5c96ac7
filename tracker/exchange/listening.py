"""Listening that arrives from elsewhere (a gpodder file, a sync server), applied through
the model's own rule (``Library.apply_remote``) in one undoable action.

This is the one place that knows how the model takes remote listening, so the file
import and sync agree: a ``play`` credits the span started -> position (heard spans are
a union: re-applying changes nothing) and moves the resume point; ``heard`` credits the
span only; ``new`` marks the episode new.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal

from ..model.changes import Summary
from ..model.library import Library
from ..model.playing import RemotePlay
from ..model.records import Action, Episode, EpisodeState


@dataclass(frozen=True, slots=True)
class RemoteItem:
    eid: str
    kind: Literal["play", "heard", "new"]  # heard: credit the span, leave the resume point
    started_s: float
    position_s: float
    total_s: float | None = None
    at: int | None = None  # epoch seconds the action was taken: the day its heard time counts on


def heard_spans(ep: Episode, st: EpisodeState) -> list[tuple[float, float]]:
    """The media-time spans heard, in order."""
    return [(float(a), float(b)) for a, b in st.spans]


def apply_remote(library: Library, items: list[RemoteItem], kind: str, summary: Summary,
                 stamped: bool = False) -> Action | None:
    """Apply ``items`` (oldest first) in ONE history action; None when nothing changed.
    Sync has decided which are newer than the state here and passes them as of now;
    ``stamped`` (a file): each is as of its own time (never later than now), so an
    action older than a change here moves no resume point, and the state it leaves
    carries the time it was made (a later file's actions are newer than it)."""
    now = int(datetime.now(timezone.utc).timestamp())
    plays = [RemotePlay(i.eid, i.kind, _iso(min(i.at, now)) if stamped and i.at is not None else None,
                        i.started_s, i.position_s, i.total_s, None if i.at is None else _iso(i.at))
             for i in items]
    return library.apply_remote(plays, summary, kind=kind)


def _iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat()
