"""Shows as a list: each with its counts of episodes by status and whether it is
subscribed (for the TUI's Shows screen and the CLI). One pass over the listings and
the listening state: about as cheap as listing the episodes themselves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .reads import Reads


@dataclass(frozen=True, slots=True)
class ShowSummary:
    id: str
    title: str
    feed_url: str | None
    refreshed_at: str | None  # when its feed was last fetched (the importer stamps `fetched_at`)
    subscribed: bool
    episodes: int
    new: int
    in_progress: int
    listened: int

    def to_doc(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


def show_summaries(library: Reads) -> list[ShowSummary]:
    """Every show in the catalog, by title (case-insensitive)."""
    counts: dict[str, list[int]] = {}
    states = library.state_docs()
    index = {"new": 1, "in_progress": 2, "listened": 3}
    for eid, listing in library.listings().items():
        row = counts.setdefault(listing.get("show_id", ""), [0, 0, 0, 0])
        row[0] += 1
        row[index.get((states.get(eid) or {}).get("status", "new"), 1)] += 1
    hidden = library.unsubscribed()
    out = []
    for sid, show in library.listed_shows().items():
        total, new, in_progress, listened = counts.get(sid, [0, 0, 0, 0])
        out.append(ShowSummary(sid, show.get("title", ""), show.get("feed_url"),
                               show.get("fetched_at") or show.get("refreshed_at"), sid not in hidden, total, new, in_progress, listened))
    return sorted(out, key=lambda s: (s.title.casefold(), s.id))
