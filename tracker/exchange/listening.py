"""Listening that arrives from elsewhere (a gpodder file, a sync server), applied through
the model's own progress rule, in one undoable action.

Until the model keeps heard spans, ``play`` and ``heard`` go through ``report_position``
from ``started``; the model's batch entry point replaces this when it lands.

This is the one place that knows how the model takes remote listening, so the file
import and sync agree: a ``play`` credits the span started -> position like local
progress and moves the resume point; a ``new`` marks the episode new.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from store import Transaction

from ..model import progress as prog
from ..model.library import Library
from ..model.records import Action, Episode, EpisodeState


@dataclass(frozen=True, slots=True)
class RemoteItem:
    eid: str
    kind: Literal["play", "heard", "new"]  # heard: credit the span, leave the resume point
    started_s: float
    position_s: float
    total_s: float | None = None


def heard_spans(ep: Episode, st: EpisodeState) -> list[tuple[float, float]]:
    """The media-time spans heard, oldest layout first: the model's spans when it keeps
    them, else each chapter's heard seconds from its start (no chapters: 0 to the position)."""
    spans = getattr(st, "spans", None)
    if spans is not None:
        return [(float(a), float(b)) for a, b in spans]
    if not ep.chapters:
        return [(0.0, st.position_s)] if st.position_s > 0 else []
    out = []
    for ch, p in zip(ep.chapters, prog.fit(st, ep)):
        if p.heard_s > 0:
            out.append((ch.start_s, ch.start_s + p.heard_s))
    return out


def apply_remote(library: Library, items: list[RemoteItem], kind: str, summary: str) -> Action | None:
    """Apply ``items`` (oldest first) in ONE history action; None when nothing changed."""
    if not items:
        return None
    episodes = {ep.id: ep for ep in library.episodes_of(list(dict.fromkeys(i.eid for i in items)))}

    def states(tx: Transaction, now: str) -> dict[str, EpisodeState]:
        out: dict[str, EpisodeState] = {}
        for item in items:
            ep = episodes[item.eid]
            st = out.get(item.eid) or EpisodeState.from_doc(tx.get("state", "episodes", item.eid))
            out[item.eid] = _apply_one(ep, st, item, now)
        return out

    return library.apply_states(kind, summary, states)


def _apply_one(ep: Episode, st: EpisodeState, item: RemoteItem, now: str) -> EpisodeState:
    if item.kind == "new":
        return prog.mark_new(st, now)
    if item.kind == "heard":
        heard = _apply_one(ep, st, RemoteItem(item.eid, "play", item.started_s, item.position_s), now)
        return heard if heard.status == "listened" else heard.with_(position_s=st.position_s)
    end = ep.duration_s if ep.duration_s else item.total_s
    position = item.position_s if end is None else min(item.position_s, end)
    started = min(item.started_s, position)
    if end is not None and position >= end - prog.END_TOLERANCE_S and not ep.duration_s:
        return prog.mark_listened(ep, st, now)  # the other app knew the length; we do not
    was = "in_progress" if st.status == "listened" else st.status  # credit from started, not 0
    credited = prog.report_position(ep, st.with_(position_s=started, status=was), position, now)
    if st.status == "listened":
        credited = credited.with_(status="listened", listened_at=st.listened_at)
    return credited
