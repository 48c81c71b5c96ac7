"""Choosing and ordering episodes: the filters the CLI and the TUI share.

Works on episode ids and their listings (the small part of the catalog), so the
same code serves a 100k-episode TUI and a script.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .library import Library
from .local_dates import local_date
from .records import Status
from .search import SearchIndex, head
from .text import fold
from .vocabulary import SORT_NAMES, SORTS  # noqa: F401 - re-exported

Listings = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Selection:
    status: Status | None = None
    show: str | None = None  # shows whose title holds this
    search: str | None = None
    since: date | None = None
    until: date | None = None
    queued: bool = False
    sort: str = "-published"
    unsubscribed: bool = False  # include the episodes of shows unsubscribed from
    show_id: str | None = None  # exactly this show (a title may be held by another's, or shared)


def select_ids(library: Library, sel: Selection) -> list[str]:
    """Ids of the episodes ``sel`` chooses, in its order."""
    ordered = order(library.listings(), sel.sort)
    index = search_index(library, ordered) if sel.search else None
    return filter_ids(library, ordered, sel, index)


def filter_ids(library: Library, ordered: list[str], sel: Selection, index: SearchIndex | None = None) -> list[str]:
    """Keep the ids of ``ordered`` that ``sel`` chooses. A search needs ``index`` built
    in the same order (it returns its matches in that order)."""
    ids = ordered
    if sel.search:
        if index is None:
            index = search_index(library, ordered)
        elif index.ids is not ordered and index.ids != ordered:
            index = index.reorder(ordered)
        ids = index.search(sel.search)
    return refine(library, ids, sel)


def refine(library: Library, ids: list[str], sel: Selection, positions: dict[str, int] | None = None) -> list[str]:
    """Apply every filter of ``sel`` but the text search to ``ids`` (order kept).
    ``positions``: each id's index in ``ids``, from a caller that keeps it (the TUI, per
    sort): a status then starts from the few episodes with a state, never a scan of all."""
    listings = library.listings()
    if sel.status:  # first, while ``positions`` still index ``ids``
        ids = of_status(ids, library.state_docs(), sel.status, positions)
    hidden = set() if sel.unsubscribed else library.unsubscribed()
    if hidden:
        ids = [e for e in ids if listings[e].get("show_id") not in hidden]
    if sel.show:
        needle = fold(sel.show)
        shows = {sid for sid, s in library.listed_shows().items() if needle in fold(s.get("title", ""))}
        ids = [e for e in ids if listings[e].get("show_id") in shows]
    if sel.show_id:
        ids = [e for e in ids if listings[e].get("show_id") == sel.show_id]
    if sel.since:
        lo = sel.since.isoformat()
        ids = [e for e in ids if listings[e].get("published") and local_date(listings[e]["published"]) >= lo]
    if sel.until:
        hi = sel.until.isoformat()
        ids = [e for e in ids if listings[e].get("published") and local_date(listings[e]["published"]) <= hi]
    if sel.queued:
        queued = {q.id for q in library.queue()}
        ids = [e for e in ids if e in queued]
    return ids


def of_status(ids: list[str], states: dict[str, dict[str, Any]], status: str,
              positions: dict[str, int] | None = None) -> list[str]:
    """The ids of ``ids`` of ``status`` (no state is new), in their order. From the few
    episodes with a state, not a look-up per id: at 100k episodes the TUI's f held the
    screen 100 ms on a look-up per id, and 15-35 ms on a set test per id (each id's
    string read from memory). With ``positions``, only the episodes with a state are
    looked at: "new" is ``ids`` cut around them, another status they sorted by position."""
    if status == "new":
        others = [e for e, s in states.items() if (s or {}).get("status", "new") != "new"]
        if positions is None:
            drop = set(others)
            return [e for e in ids if e not in drop]
        out: list[str] = []
        start = 0
        for cut in sorted([positions[e] for e in others if e in positions]):
            out += ids[start:cut]
            start = cut + 1
        out += ids[start:]
        return out
    these = [e for e, s in states.items() if (s or {}).get("status", "new") == status]
    if positions is None:
        keep = set(these)
        return [e for e in ids if e in keep]
    return sorted((e for e in these if e in positions), key=positions.__getitem__)


def search_index(library: Library, ordered: list[str], with_descriptions: bool = True) -> SearchIndex:
    """An index in the order of ``ordered``; descriptions are read one notes file at a time."""
    listings = library.listings()
    shows = library.listed_shows()
    heads = (head(listings[e].get("title", ""), (shows.get(listings[e].get("show_id", "")) or {}).get("title", ""))
             for e in ordered)
    descriptions = library.descriptions(forget=True) if with_descriptions else ()
    return SearchIndex.build(ordered, heads, descriptions)


def order(listings: Listings, sort: str) -> list[str]:
    """All ids in ``sort`` order; undated episodes come last in date orders.

    One plain key per id and a stable sort: at 100k episodes about twice as fast as a
    tuple key. Ties keep the library's own order, which is the same on every run."""
    if sort == "title":
        keys = {e: fold(d.get("title", "")) for e, d in listings.items()}
        missing: list[str] = []
    else:
        field = "duration_s" if sort == "duration" else "published"
        keys = {e: d[field] for e, d in listings.items() if d.get(field) is not None and d.get(field) != ""}
        missing = [e for e in listings if e not in keys]
    ids = sorted(keys, key=keys.__getitem__, reverse=sort == "-published")
    return ids + missing
