"""Choosing and ordering episodes: the filters the CLI and the TUI share.

Works on episode ids and their listings (the small part of the catalog), so the
same code serves a 100k-episode TUI and a script.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .library import Library
from .records import Status
from .search import SearchIndex, haystack

SORTS = ("-published", "published", "duration", "title")
SORT_NAMES = {"-published": "newest first", "published": "oldest first", "duration": "shortest first",
              "title": "by title"}

Listings = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Selection:
    status: Status | None = None
    show: str | None = None
    search: str | None = None
    since: date | None = None
    until: date | None = None
    queued: bool = False
    sort: str = "-published"


def select_ids(library: Library, sel: Selection, index: SearchIndex | None = None) -> list[str]:
    """Ids of the episodes ``sel`` chooses, in its order."""
    listings = library.listings()
    ids = order(listings, sel.sort)
    return filter_ids(library, ids, sel, index)


def filter_ids(library: Library, ordered: list[str], sel: Selection, index: SearchIndex | None = None) -> list[str]:
    """Keep the ids of ``ordered`` (already in order) that ``sel`` chooses."""
    listings = library.listings()
    keep: set[str] | None = None
    if sel.search:
        keep = (index or search_index(library)).search(sel.search)
    ids = ordered if keep is None else [e for e in ordered if e in keep]
    if sel.status:
        states = library.state_docs()
        ids = [e for e in ids if (states.get(e) or {}).get("status", "new") == sel.status]
    if sel.show:
        needle = sel.show.casefold()
        shows = {sid for sid, s in library.shows().items() if needle in s.get("title", "").casefold()}
        ids = [e for e in ids if listings[e].get("show_id") in shows]
    if sel.since:
        lo = sel.since.isoformat()
        ids = [e for e in ids if (listings[e].get("published") or "")[:10] >= lo and listings[e].get("published")]
    if sel.until:
        hi = sel.until.isoformat()
        ids = [e for e in ids if listings[e].get("published") and listings[e]["published"][:10] <= hi]
    if sel.queued:
        queued = {q.id for q in library.queue()}
        ids = [e for e in ids if e in queued]
    return ids


def search_index(library: Library, with_descriptions: bool = True) -> SearchIndex:
    listings = library.listings()
    shows = library.shows()
    notes = library.store.table("notes", "notes") if with_descriptions else {}
    ids = list(listings)
    texts = [
        haystack(doc.get("title", ""), (shows.get(doc.get("show_id", "")) or {}).get("title", ""),
                 (notes.get(eid) or {}).get("text", ""))
        for eid, doc in listings.items()
    ]
    return SearchIndex(ids, texts)


def order(listings: Listings, sort: str) -> list[str]:
    """All ids in ``sort`` order; undated episodes come last in date orders."""
    if sort == "title":
        return sorted(listings, key=lambda e: (listings[e].get("title", "").casefold(), e))
    if sort == "duration":
        return sorted(listings, key=lambda e: (listings[e].get("duration_s") is None, listings[e].get("duration_s") or 0, e))
    newest_first = sort != "published"
    dated = sorted((e for e in listings if listings[e].get("published")),
                   key=lambda e: (listings[e]["published"], e), reverse=newest_first)
    return dated + sorted(e for e in listings if not listings[e].get("published"))
