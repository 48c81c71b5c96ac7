"""Catalog writes: a source's show and episodes merged in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .files import details_file, listing_file, notes_file, split
from .library import Library


@dataclass(frozen=True)
class Merged:
    added: int
    updated: int
    unchanged: int


def merge_show(
    library: Library,
    show_id: str,
    show: dict[str, Any],
    episodes: dict[str, dict[str, Any]],
    notes: dict[str, str],
) -> Merged:
    """Add or update a show and its episodes in one atomic commit. Listening state is
    never touched, and episodes that vanished from the source are kept."""
    added = updated = unchanged = 0
    files = sorted({f(eid) for eid in episodes for f in (listing_file, details_file, notes_file)})
    with library.store.transaction("catalog", *files) as tx:
        old_show = tx.get("catalog", "shows", show_id) or {}
        merged_show = {**old_show, **{k: v for k, v in show.items() if v is not None}}
        if merged_show != old_show:
            tx.put("catalog", "shows", show_id, merged_show)
        for eid, doc in episodes.items():
            listing, details = split({**doc, "show_id": show_id})
            old_listing = tx.get(listing_file(eid), "episodes", eid)
            old_details = tx.get(details_file(eid), "details", eid)
            if old_listing is None:
                added += 1
            elif old_listing == listing and old_details == details:
                unchanged += 1
            else:
                updated += 1
            if old_listing != listing:
                tx.put(listing_file(eid), "episodes", eid, listing)
            if old_details != details:
                tx.put(details_file(eid), "details", eid, details)
            text = notes.get(eid, "")
            old_note = tx.get(notes_file(eid), "notes", eid)
            if (old_note or {}).get("text", "") != text:
                tx.put(notes_file(eid), "notes", eid, {"text": text})
    return Merged(added, updated, unchanged)


def set_show_fields(library: Library, show_id: str, **fields: Any) -> None:
    """Update a few fields of a show (validators after a refresh, say)."""
    with library.store.transaction("catalog") as tx:
        old = tx.get("catalog", "shows", show_id)
        if old is not None:
            tx.put("catalog", "shows", show_id, {**old, **fields})
