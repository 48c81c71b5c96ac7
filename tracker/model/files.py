"""The library's files and tables: every name in one place.

The catalog is large and rarely written; listening state is small and often
written, so a mark never rewrites the catalog. An episode is kept in three parts:
its listing (show, title, date, duration: what a list shows), its details
(chapters, guid, URLs) and its description (notes), so the TUI can list 100k
episodes without holding every chapter in memory. Each part is spread over sixteen
files by the first character of the episode's id, so a command naming one episode
parses a sixteenth of the catalog. Multi-file writes are atomic (the store's journal).
"""

from __future__ import annotations

from typing import Any, Callable

from store import FileSpec

from .records import EPISODE_FIELDS

SHARD_KEYS = "0123456789abcdef"
LISTING_FIELDS = ("show_id", "title", "published", "duration_s")
DETAIL_FIELDS = tuple(f for f in EPISODE_FIELDS if f not in LISTING_FIELDS)

# Files (``NAME.json``) ...
CATALOG_FILE = "catalog"
STATE_FILE = "state"
HISTORY_FILE = "history"
ARCHIVE_FILE = "history-archive"  # the single archive of libraries from before segments
ARCHIVE_SEGMENTS = [f"history-archive-{k:03d}" for k in range(1, 257)]  # see model/history.py
LISTING_NAMES = [f"episodes-{k}" for k in SHARD_KEYS]
DETAIL_NAMES = [f"details-{k}" for k in SHARD_KEYS]
NOTE_NAMES = [f"notes-{k}" for k in SHARD_KEYS]

# ... and their tables.
SHOWS = "shows"  # catalog: show id -> title, feed URL, ...
EPISODES = "episodes"  # listing files: id -> listing; state: id -> listening state
DETAILS = "details"  # details files: id -> chapters, guid, URLs
NOTES = "notes"  # notes files: id -> {"text": description}
QUEUE = "queue"  # state: "queue" -> {"items": [[id, chapter], ...]}
QUEUE_KEY = "queue"
DAYS = "days"  # state: local date -> heard seconds per show (the stats' day log)
SHOW_PREFS = "shows"  # state: show id -> {"speed": 1.5, "unsubscribed": true}
REVISION = "revision"  # state and history: "rev" -> {"n": the library's write counter} (both: see changes.py)
ACTIONS = "actions"  # history files: seq -> action
SEQ = "seq"  # history: "next" -> {"n": next sequence number}
REDO = "redo"  # history: seq -> an undone action, until a new change
SEGMENT_INDEX = "archive"  # history: "segments" -> {"names": archive segment files, oldest first}

SYNC = FileSpec("sync", 1)  # sync bookkeeping: cursors, outbox, subscriptions (written by tracker/sync only)
SYNC_AGREED = FileSpec("sync-agreed", 1)  # sync: per episode, the state agreed with the server (large, rarely written)
SYNC_SEEN = FileSpec("sync-seen", 1)  # sync: the remote actions already taken in, of those asked for again

STATE_VERSION = 2  # 2: heard time as spans, chapter marks by identity (see migrate.py)

StateMigration = Callable[[dict[str, Any]], dict[str, Any]]


def specs(migrate_state: StateMigration | None = None) -> list[FileSpec]:
    """Every file of a library; ``migrate_state`` turns a schema-1 state file into 2
    (it needs the catalog's chapters, so the library passes it in)."""
    state_steps = {1: migrate_state} if migrate_state is not None else {}
    return [
        FileSpec(CATALOG_FILE, 1),
        *(FileSpec(name, 1) for name in LISTING_NAMES),
        *(FileSpec(name, 1) for name in DETAIL_NAMES),
        *(FileSpec(name, 1) for name in NOTE_NAMES),
        FileSpec(STATE_FILE, STATE_VERSION, state_steps),
        FileSpec(HISTORY_FILE, 1),
        FileSpec(ARCHIVE_FILE, 1),
        *(FileSpec(name, 1) for name in ARCHIVE_SEGMENTS),
        SYNC,
        SYNC_AGREED,
        SYNC_SEEN,
    ]


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
