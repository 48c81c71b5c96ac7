"""A TinyDB Storage that is safe to share between processes.

Stock ``JSONStorage`` rewrites its file in place and keeps a handle open, so a
kill mid-write tears the file and another process's writes go unseen. This one
re-opens the path on every read, skips the parse when the file is unchanged
(same inode, size and times), and writes only inside a store transaction, which
holds the writer lock and replaces the file atomically.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

import orjson
from tinydb import Storage

from .atomic import write_atomic
from .errors import StoreError, UnreadableFile

Data = dict[str, dict[str, Any]]
Signature = tuple[int, int, int, int]


class Damaged(Exception):
    """The file exists but does not hold a JSON object (internal: the store recovers)."""


class AtomicJSONStorage(Storage):
    def __init__(self, path: str | os.PathLike[str], **_ignored: Any) -> None:
        self.path = Path(path)
        self._data: Data | None = None
        self._signature: Signature | None = None
        self._open_transaction = False
        self.generation = 0  # goes up whenever the data this storage hands out changes

    # -- reading -----------------------------------------------------------------
    def read(self) -> Data | None:
        """The whole document; parsed again only when the file changed on disk.

        Callers must treat the result as read-only: it is shared with later reads.
        """
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            if self._signature is not None:
                self.generation += 1
            self._data, self._signature = None, None
            return None
        except PermissionError as err:
            raise UnreadableFile(f"cannot read {self.path.name}: permission denied") from err
        except OSError as err:
            raise UnreadableFile(f"cannot read {self.path.name}: {err.strerror or err}") from err
        try:
            st = os.fstat(fd)
            signature = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
            if signature == self._signature and self._data is not None:
                return self._data
            with os.fdopen(fd, "rb", closefd=False) as handle:
                raw = handle.read()
        except OSError as err:
            raise UnreadableFile(f"cannot read {self.path.name}: {err.strerror or err}") from err
        finally:
            os.close(fd)
        data = parse(raw)
        self._data, self._signature = data, signature
        self.generation += 1
        return data

    def is_current(self) -> bool:
        """True when the cached parse matches the file on disk."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return self._signature is None
        return self._signature == (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)

    def forget(self) -> None:
        """Drop the cached parse (after a failed write, say)."""
        self._data, self._signature = None, None
        self.generation += 1

    # -- writing -----------------------------------------------------------------
    def write(self, data: Data) -> None:
        if not self._open_transaction:
            raise StoreError(f"{self.path.name}: writes go through a store transaction")
        raw = orjson.dumps(data)
        try:
            write_atomic(self.path, raw)
        except Exception:
            self.forget()
            raise
        self._cache(data)

    def commit(self, data: Data) -> None:
        """Write ``data``; only the store calls this, inside a transaction, under the lock."""
        self._open_transaction = True
        try:
            self.write(data)
        finally:
            self._open_transaction = False

    def adopt(self, data: Data) -> None:
        """The file was replaced with ``data`` by a multi-file commit: cache it as read."""
        self._cache(data)

    def _cache(self, data: Data) -> None:
        st = os.stat(self.path)
        self._data = data
        self._signature = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        self.generation += 1

    def close(self) -> None:
        self.forget()


def parse(raw: bytes) -> Data:
    """Parse a library file; raise ``Damaged`` when it is not a JSON object."""
    if not raw.strip():
        raise Damaged("the file is empty")
    enabled = gc.isenabled()
    gc.disable()  # a large parse allocates many containers; collecting midway roughly doubles the cost
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as err:
        raise Damaged(f"it is not valid JSON ({err.msg} at byte {err.pos})") from None
    finally:
        if enabled:
            gc.enable()
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise Damaged("it does not hold TinyDB tables")
    return data
