"""Errors the store raises. Each carries one line fit to show a user."""

from __future__ import annotations


class StoreError(Exception):
    """Base of every store failure; ``str(err)`` is a complete sentence for the user."""


class LibraryBusy(StoreError):
    """Another process held the writer lock for longer than the timeout."""


class CorruptFile(StoreError):
    """A library file does not parse and no good backup could replace it."""


class ReadOnlyFile(StoreError):
    """A write was attempted on a file written by a newer schema."""


class UnreadableFile(StoreError):
    """The operating system refused to read a library file."""


class WriteFailed(StoreError):
    """Writing a library file failed (a full disk, say); the old file is intact."""
