"""The tracker's own export: the whole library (catalog, notes, state, queue, history).

Importing it into an empty library and exporting again gives the same document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from store import Transaction

from ..model import history
from ..model.errors import ImportFailed
from ..model.catalog import merge_show
from ..model.library import Library
from ..model.records import EpisodeState

FORMAT = "tracker-export"
VERSION = 1


def export(library: Library) -> dict[str, Any]:
    episodes = library.episode_docs()
    notes = dict(library.descriptions())
    return {
        "format": FORMAT,
        "version": VERSION,
        "shows": dict(sorted(library.shows().items())),
        "episodes": {eid: {**doc, "description": notes.get(eid, "")}
                     for eid, doc in sorted(episodes.items())},
        "state": dict(sorted(library.state_docs().items())),
        "queue": [e.to_doc() for e in library.queue()],
        "history": {str(a.seq): a.to_doc() for a in reversed(library.history())},
    }


@dataclass(frozen=True)
class Imported:
    episodes: int
    added: int
    updated: int
    message: str


def import_export(library: Library, data: dict[str, Any]) -> Imported:
    if data.get("version") != VERSION:
        raise ImportFailed(f"tracker export version {data.get('version')!r} is not supported (this tracker reads {VERSION})")
    shows: dict[str, Any] = data.get("shows") or {}
    episodes: dict[str, Any] = data.get("episodes") or {}
    added = updated = 0
    by_show: dict[str, dict[str, Any]] = {}
    for eid, doc in episodes.items():
        by_show.setdefault(doc.get("show_id", ""), {})[eid] = doc
    for sid, eps in by_show.items():
        docs = {eid: {k: v for k, v in d.items() if k != "description"} for eid, d in eps.items()}
        notes = {eid: d.get("description", "") for eid, d in eps.items()}
        merged = merge_show(library, sid, shows.get(sid, {"title": next(iter(docs.values())).get("show", "")}), docs, notes)
        added, updated = added + merged.added, updated + merged.updated
    states = data.get("state") or {}
    queue = data.get("queue")

    def apply(tx: Transaction, now: str) -> dict[str, EpisodeState]:
        return {eid: EpisodeState.from_doc(doc) for eid, doc in states.items() if eid in episodes}

    library.apply_states("import", f"imported listening state of {len(states)} episodes", apply)
    _restore_queue_and_history(library, queue, data.get("history") or {})
    return Imported(len(episodes), added, updated, f"{added:,} new, {updated:,} updated, state of {len(states):,} episode{'' if len(states) == 1 else 's'}")


def _restore_queue_and_history(library: Library, queue: list[Any] | None, exported: dict[str, Any]) -> None:
    with library.store.transaction(history.RECENT, "state") as tx:
        if queue is not None and not (tx.get("state", "queue", "queue") or {}).get("items"):
            tx.put("state", "queue", "queue", {"items": queue})
        history.adopt(tx, exported)
    history.roll_over(library.store)
