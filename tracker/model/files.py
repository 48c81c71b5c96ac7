"""The library's files. The catalog is large and rarely written; listening state
is small and often written, so a mark never rewrites the catalog."""

from store import FileSpec

CATALOG = FileSpec("catalog", 1)  # tables: shows, episodes (without descriptions)
NOTES = FileSpec("notes", 1)  # table: notes (episode descriptions, read on demand)
STATE = FileSpec("state", 1)  # tables: episodes (status, position, chapters), queue
HISTORY = FileSpec("history", 1)  # tables: actions, seq

SPECS = [CATALOG, NOTES, STATE, HISTORY]
