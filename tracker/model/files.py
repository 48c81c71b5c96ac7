"""The library's files.

The catalog is large and rarely written; listening state is small and often
written, so a mark never rewrites the catalog. An episode is kept in two parts:
its listing (show, title, date, duration: what a list shows), its details
(chapters, guid, URLs) and its description (notes), so the TUI can list 100k episodes without holding every
chapter in memory. Both parts are spread over sixteen files by the first character of the episode's id, so a command naming one episode parses a
sixteenth of the catalog. Multi-file writes are atomic (the store's journal).
"""

from __future__ import annotations

from typing import Any

from store import FileSpec

SHARD_KEYS = "0123456789abcdef"
LISTING_FIELDS = ("show_id", "title", "published", "duration_s")

CATALOG = FileSpec("catalog", 1)  # table: shows
LISTINGS = [FileSpec(f"episodes-{k}", 1) for k in SHARD_KEYS]  # table: episodes (listing fields)
DETAILS = [FileSpec(f"details-{k}", 1) for k in SHARD_KEYS]  # table: details (the rest)
NOTES = [FileSpec(f"notes-{k}", 1) for k in SHARD_KEYS]  # table: notes (descriptions, read on demand)
STATE = FileSpec("state", 1)  # tables: episodes (status, position, chapters), queue
HISTORY = FileSpec("history", 1)  # tables: actions (the newest), seq
HISTORY_ARCHIVE = FileSpec("history-archive", 1)  # table: actions (older; see model/history.py)
SYNC = FileSpec("sync", 1)  # sync bookkeeping: outbox, cursors, agreed states (written by tracker/sync only)

SPECS = [CATALOG, *LISTINGS, *DETAILS, *NOTES, STATE, HISTORY, HISTORY_ARCHIVE, SYNC]
LISTING_NAMES = [spec.name for spec in LISTINGS]
DETAIL_NAMES = [spec.name for spec in DETAILS]
NOTE_NAMES = [spec.name for spec in NOTES]


def shard_index(eid: str) -> int:
    """Ids are hex; any other first character is spread over the shards too."""
    first = eid[:1].lower()
    index = SHARD_KEYS.find(first) if first else 0
    return index if index >= 0 else ord(first) % len(SHARD_KEYS)


def listing_file(eid: str) -> str:
    return LISTING_NAMES[shard_index(eid)]


def details_file(eid: str) -> str:
    return DETAIL_NAMES[shard_index(eid)]


def notes_file(eid: str) -> str:
    return NOTE_NAMES[shard_index(eid)]


def split(doc: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A full episode document as (listing, details); the show's name is not stored twice."""
    listing = {k: doc.get(k) for k in LISTING_FIELDS}
    details = {k: v for k, v in doc.items() if k not in LISTING_FIELDS and k not in ("show", "description")}
    return listing, details
