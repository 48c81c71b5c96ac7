"""Persistence for the tracker library: TinyDB files that survive crashes and sharing.

Knows nothing of podcasts, Textual or the CLI.
"""

from .describe import FileInfo, LibraryInfo
from .errors import (
    BadSetting,
    CorruptFile,
    LibraryBusy,
    NoLibrary,
    NotALibrary,
    ReadOnlyFile,
    StoreError,
    TargetInLibrary,
    UnreadableFile,
    WriteFailed,
)
from .export import write_export
from .schema import FileSpec
from .store import Store
from .transaction import Transaction

__all__ = [
    "BadSetting",
    "CorruptFile",
    "FileInfo",
    "FileSpec",
    "LibraryBusy",
    "LibraryInfo",
    "NoLibrary",
    "NotALibrary",
    "ReadOnlyFile",
    "Store",
    "StoreError",
    "TargetInLibrary",
    "Transaction",
    "UnreadableFile",
    "WriteFailed",
    "write_export",
]
