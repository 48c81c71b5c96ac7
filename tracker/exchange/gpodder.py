"""gpodder.net episode actions (API 2), as AntennaPod, gPodder and Nextcloud use them.

Export: one ``play`` action per episode with listening state. Import: the latest
action per episode wins; ``play`` sets the position (a position at the end marks it
listened), ``new`` resets; other actions are ignored, names compared without case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from store import Transaction

from ..model import progress as prog
from ..model.library import Library
from ..model.records import EpisodeState


def export_actions(library: Library) -> list[dict[str, Any]]:
    shows = library.shows()
    out = []
    episodes = library.episodes()
    for eid, doc in sorted(library.state_docs().items()):
        ep = episodes.get(eid)
        if ep is None or not ep.audio_url:
            continue
        st = EpisodeState.from_doc(doc)
        stamp = _gpodder_time(st.updated_at)
        podcast = shows.get(ep.show_id, {}).get("feed_url") or ""
        base = {"podcast": podcast, "episode": ep.audio_url, "timestamp": stamp}
        if ep.guid:
            base["guid"] = ep.guid
        if st.status == "new":
            out.append({**base, "action": "new"})
            continue
        total = int(ep.duration_s or st.position_s or 0)
        position = total if st.status == "listened" else int(st.position_s)
        out.append({**base, "action": "play", "started": 0, "position": position, "total": total})
    return out


@dataclass(frozen=True)
class Applied:
    matched: int
    changed: int
    unmatched: int

    @property
    def message(self) -> str:
        episodes = f"{self.matched:,} episode{'' if self.matched == 1 else 's'}"
        actions = f"{self.unmatched:,} action{'' if self.unmatched == 1 else 's'}"
        return f"{episodes} matched ({self.changed:,} changed), {actions} matched nothing"


def apply_actions(library: Library, actions: list[dict[str, Any]]) -> Applied:
    by_guid: dict[str, str] = {}
    by_url: dict[str, str] = {}
    for key, ep in library.episodes().items():
        if ep.guid:
            by_guid[ep.guid] = key
        if ep.audio_url:
            by_url[ep.audio_url] = key
    latest: dict[str, dict[str, Any]] = {}
    unmatched = 0
    for action in actions:
        kind = str(action.get("action", "")).lower()
        if kind not in ("play", "new"):
            continue
        eid = by_guid.get(str(action.get("guid") or "")) or by_url.get(str(action.get("episode") or ""))
        if eid is None:
            unmatched += 1
            continue
        if eid not in latest or str(action.get("timestamp", "")) >= str(latest[eid].get("timestamp", "")):
            latest[eid] = {**action, "action": kind}

    def states(tx: Transaction, now: str) -> dict[str, EpisodeState]:
        out = {}
        for eid, action in latest.items():
            ep = library.episode(eid)
            st = EpisodeState.from_doc(tx.get("state", "episodes", eid))
            if action["action"] == "new":
                out[eid] = prog.mark_new(st, now)
                continue
            position = _number(action.get("position"))
            total = _number(action.get("total"))
            if position is None:
                continue
            if total and position >= total - prog.END_TOLERANCE_S:
                out[eid] = prog.mark_listened(ep, st, now)
            else:
                if ep.duration_s is not None:
                    position = min(position, ep.duration_s)
                out[eid] = prog.report_position(ep, st, position, now)
        return out

    applied = library.apply_states("import_gpodder", f"applied {len(latest)} gpodder episode actions", states)
    changed = len(applied.after) if applied else 0
    return Applied(len(latest), changed, unmatched)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def _gpodder_time(iso: str | None) -> str:
    if not iso:
        return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    dt = datetime.fromisoformat(iso).astimezone(timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S")
