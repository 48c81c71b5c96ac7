"""Choosing and ordering episodes: the filters the CLI and the TUI share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .library import Library
from .records import Episode, Status

SORTS = ("published", "-published", "duration", "title")


@dataclass(frozen=True)
class Selection:
    status: Status | None = None
    show: str | None = None
    search: str | None = None
    since: date | None = None
    until: date | None = None
    queued: bool = False
    sort: str = "-published"


def select(library: Library, sel: Selection) -> list[Episode]:
    episodes = list(library.episodes().values())
    states = library.state_docs()
    if sel.status:
        episodes = [e for e in episodes if (states.get(e.id) or {}).get("status", "new") == sel.status]
    if sel.show:
        needle = sel.show.casefold()
        episodes = [e for e in episodes if needle in e.show.casefold()]
    if sel.since:
        lo = sel.since.isoformat()
        episodes = [e for e in episodes if e.published and e.published[:10] >= lo]
    if sel.until:
        hi = sel.until.isoformat()
        episodes = [e for e in episodes if e.published and e.published[:10] <= hi]
    if sel.queued:
        queued = {q.id for q in library.queue()}
        episodes = [e for e in episodes if e.id in queued]
    if sel.search:
        episodes = search(library, episodes, sel.search)
    return order(episodes, sel.sort)


def search(library: Library, episodes: list[Episode], text: str) -> list[Episode]:
    """Every word must appear in the title, the show or the description (any case)."""
    words = text.casefold().split()
    if not words:
        return episodes
    notes = library.store.table("notes", "notes")
    out = []
    for e in episodes:
        hay = f"{e.title}\n{e.show}".casefold()
        if all(w in hay for w in words):
            out.append(e)
            continue
        full = hay + "\n" + (notes.get(e.id) or {}).get("text", "").casefold()
        if all(w in full for w in words):
            out.append(e)
    return out


def order(episodes: list[Episode], sort: str) -> list[Episode]:
    if sort == "title":
        return sorted(episodes, key=lambda e: (e.title.casefold(), e.id))
    if sort == "duration":
        return sorted(episodes, key=lambda e: (e.duration_s is None, e.duration_s or 0, e.id))
    newest_first = sort != "published"
    dated = sorted((e for e in episodes if e.published), key=lambda e: (e.published, e.id), reverse=newest_first)
    return dated + sorted((e for e in episodes if not e.published), key=lambda e: e.id)
