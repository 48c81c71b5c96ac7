"""The library's files.

The catalog is large and rarely written; listening state is small and often
written, so a mark never rewrites the catalog. Episodes are spread over sixteen
files by the first character of their id, so that a command naming one episode
parses a sixteenth of the catalog (the CLI's cost is Python start-up, not the
library). Multi-file writes are atomic (the store's journal).
"""

from __future__ import annotations

from store import FileSpec

SHARD_KEYS = "0123456789abcdef"

CATALOG = FileSpec("catalog", 1)  # table: shows
SHARDS = [FileSpec(f"episodes-{k}", 1) for k in SHARD_KEYS]  # table: episodes (no descriptions)
NOTES = FileSpec("notes", 1)  # table: notes (episode descriptions, read on demand)
STATE = FileSpec("state", 1)  # tables: episodes (status, position, chapters), queue
HISTORY = FileSpec("history", 1)  # tables: actions, seq

SPECS = [CATALOG, *SHARDS, NOTES, STATE, HISTORY]
SHARD_NAMES = [spec.name for spec in SHARDS]


def shard_of(eid: str) -> str:
    """The file holding episode ``eid`` (ids are hex; any other first character is spread too)."""
    first = eid[:1].lower()
    index = SHARD_KEYS.find(first) if first else 0
    if index < 0:
        index = ord(first) % len(SHARD_KEYS)
    return SHARD_NAMES[index]
