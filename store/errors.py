"""Errors the store raises. Each carries one line fit to show a user."""

from __future__ import annotations


class StoreError(Exception):
    """Base of every store failure; ``str(err)`` is a complete sentence for the user.

    ``exit_code`` is the status a command line should end with: 1, an operational failure,
    unless the user's own input was at fault (2)."""

    exit_code = 1


class LibraryBusy(StoreError):
    """Another process held the writer lock for longer than the timeout."""


class CorruptFile(StoreError):
    """A library file does not parse and no good backup could replace it."""


class ReadOnlyFile(StoreError):
    """A write was attempted on a file written by a newer schema."""


class UnreadableFile(StoreError):
    """The operating system refused to read a library file."""


class WriteFailed(StoreError):
    """Writing a file failed (a full disk, a read-only folder, say); the old file is intact."""


class NoLibrary(StoreError):
    """The folder does not exist, or holds none of the library's files, and the store was
    opened without creating it."""


class NotALibrary(StoreError):
    """The library path names something that is not a folder (a file, say)."""


class TargetInLibrary(StoreError):
    """An export was aimed inside the library folder, where it would replace library files."""

    exit_code = 2


class BadSetting(StoreError):
    """An environment setting the store reads (``TRACKER_LOCK_TIMEOUT``) holds a value it cannot use.

    A usage error: the faces report it with their usage exit status (2)."""

    exit_code = 2
