"""Catalog writes: a source's show and episodes merged in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .files import DETAIL_NAMES, LISTING_NAMES, NOTE_NAMES, shard_index, split
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
    where = {eid: shard_index(eid) for eid in episodes}
    files = sorted({name for k in set(where.values()) for name in (LISTING_NAMES[k], DETAIL_NAMES[k], NOTE_NAMES[k])})
    with library.store.transaction("catalog", *files) as tx:
        old_show = tx.get("catalog", "shows", show_id) or {}
        merged_show = {**old_show, **{k: v for k, v in show.items() if v is not None}}
        if merged_show != old_show:
            tx.put("catalog", "shows", show_id, merged_show)
        for eid, doc in episodes.items():
            k = where[eid]
            listing_name, details_name, notes_name = LISTING_NAMES[k], DETAIL_NAMES[k], NOTE_NAMES[k]
            listing, details = split({**doc, "show_id": show_id})
            old_listing = tx.get(listing_name, "episodes", eid)
            old_details = tx.get(details_name, "details", eid)
            if old_listing is None:
                added += 1
            elif old_listing == listing and old_details == details:
                unchanged += 1
            else:
                updated += 1
            if old_listing != listing:
                tx.put(listing_name, "episodes", eid, listing)
            if old_details != details:
                tx.put(details_name, "details", eid, details)
            text = notes.get(eid, "")
            old_note = tx.get(notes_name, "notes", eid)
            if (old_note or {}).get("text", "") != text:
                tx.put(notes_name, "notes", eid, {"text": text})
    return Merged(added, updated, unchanged)
