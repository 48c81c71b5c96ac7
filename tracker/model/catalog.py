"""Catalog writes: shows and their episodes merged, many shows in one atomic commit.

A bulk import commits in batches (one commit per second or so, not one per feed):
every commit rewrites the files it touches, so committing per feed made the cost
of each feed grow with the library.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from store import Transaction

from .files import DETAIL_NAMES, LISTING_NAMES, NOTE_NAMES, shard_index, split
from .library import Library


@dataclass(frozen=True)
class Merged:
    added: int
    updated: int
    unchanged: int


@dataclass
class ShowUpdate:
    """One source's show and episodes, ready to merge."""

    show_id: str
    show: dict[str, Any]
    episodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


def merge_show(
    library: Library,
    show_id: str,
    show: dict[str, Any],
    episodes: dict[str, dict[str, Any]],
    notes: dict[str, str],
) -> Merged:
    """Add or update a show and its episodes in one atomic commit. Listening state is
    never touched, and episodes that vanished from the source are kept."""
    return merge_shows(library, [ShowUpdate(show_id, show, episodes, notes)])[0]


def merge_shows(library: Library, updates: list[ShowUpdate]) -> list[Merged]:
    """Merge several shows in one commit (all or none); one ``Merged`` per update."""
    if not updates:
        return []
    shards = {shard_index(eid) for u in updates for eid in u.episodes}
    files = sorted({name for k in shards for name in (LISTING_NAMES[k], DETAIL_NAMES[k], NOTE_NAMES[k])})
    with library.store.transaction("catalog", *files) as tx:
        return [_merge(tx, u) for u in updates]


def _merge(tx: Transaction, update: ShowUpdate) -> Merged:
    added = updated = unchanged = 0
    show_id = update.show_id
    old_show = tx.get("catalog", "shows", show_id) or {}
    merged_show = {**old_show, **{k: v for k, v in update.show.items() if v is not None}}
    if merged_show != old_show:
        tx.put("catalog", "shows", show_id, merged_show)
    for eid, doc in update.episodes.items():
        k = shard_index(eid)
        listing_name, details_name, notes_name = LISTING_NAMES[k], DETAIL_NAMES[k], NOTE_NAMES[k]
        listing, details = split({**doc, "show_id": show_id})
        text = update.notes.get(eid, "")
        old_listing = tx.get(listing_name, "episodes", eid)
        if old_listing is None:  # a new episode: nothing to compare (most of a first import)
            added += 1
            tx.put(listing_name, "episodes", eid, listing)
            tx.put(details_name, "details", eid, details)
            tx.put(notes_name, "notes", eid, {"text": text})
            continue
        old_details = tx.get(details_name, "details", eid)
        if old_listing == listing and old_details == details:
            unchanged += 1
        else:
            updated += 1
        if old_listing != listing:
            tx.put(listing_name, "episodes", eid, listing)
        if old_details != details:
            tx.put(details_name, "details", eid, details)
        old_note = tx.get(notes_name, "notes", eid)
        if (old_note or {}).get("text", "") != text:
            tx.put(notes_name, "notes", eid, {"text": text})
    return Merged(added, updated, unchanged)
