"""Persistence for the tracker library: TinyDB files that survive crashes and sharing.

Knows nothing of podcasts, Textual or the CLI.
"""

from .errors import CorruptFile, LibraryBusy, ReadOnlyFile, StoreError, UnreadableFile, WriteFailed
from .schema import FileSpec
from .store import Store, Transaction

__all__ = [
    "CorruptFile",
    "FileSpec",
    "LibraryBusy",
    "ReadOnlyFile",
    "Store",
    "StoreError",
    "Transaction",
    "UnreadableFile",
    "WriteFailed",
]
