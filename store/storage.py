"""A TinyDB Storage that is safe to share between processes.

Stock ``JSONStorage`` rewrites its file in place and keeps a handle open, so a
kill mid-write tears the file and another process's writes go unseen. This one
re-opens the path on every read, skips the parse when the file is unchanged
(same inode, size and times), and writes only inside a store transaction, which
holds the writer lock and replaces the file atomically.

A commit that only adds documents is spliced onto the file's old bytes
(``encode.py``). Those bytes are not kept in memory: held, they would add the size
of every file written to the process for as long as it lives (five import commits
of 20k episodes, 224 MB of files: a peak of 860 MB with the bytes held, 700 MB
without, as before splicing). Only where each table lies in the file is kept, and
the next commit reads the file back while it still has the signature it had when
this process wrote it (the test that lets ``read`` skip the parse): a copy from the
page cache, some 20 ms for those 224 MB, against some 400 ms of encoding them. A
file this process has not written yet, or one changed since, is encoded whole.

On POSIX the file written is kept open (``_pinned``) until it is replaced or read
anew: its inode cannot be freed and given to another file meanwhile, so the
signature names that file alone, and its bytes are read from that descriptor. (A
file replaced twice by another process within one clock tick, with the same size,
could otherwise reuse the inode and pass for it, and its bytes be spliced as ours.)
"""

from __future__ import annotations

import gc
import os
import stat
from pathlib import Path
from typing import Any

import orjson
from tinydb import Storage

from .atomic import write_atomic
from .encode import Encoded, Span, encode
from .errors import StoreError, UnreadableFile

Data = dict[str, dict[str, Any]]
Signature = tuple[int, int, int, int]


class Damaged(Exception):
    """The file exists but does not hold a JSON object (internal: the store recovers)."""


class AtomicJSONStorage(Storage):
    splice = True  # False encodes every commit whole (the benchmark's baseline)

    def __init__(self, path: str | os.PathLike[str], **_ignored: Any) -> None:
        self.path = Path(path)
        self._data: Data | None = None
        self._signature: Signature | None = None
        self._spans: dict[str, Span] | None = None  # where _data's tables lie in the file, when we wrote it
        self._pinned: int | None = None  # the file we wrote, kept open while _spans describe it
        self._open_transaction = False
        self.generation = 0  # goes up whenever the data this storage hands out changes

    # -- reading -----------------------------------------------------------------
    def read(self) -> Data | None:
        """The whole document; parsed again only when the file changed on disk.

        Callers must treat the result as read-only: it is shared with later reads.
        """
        try:
            # Non-blocking: a FIFO in the file's place must not hang the open (a regular
            # file ignores the flag).
            fd = os.open(self.path, os.O_RDONLY | _NONBLOCK)
        except FileNotFoundError:
            lost = lost_link(self.path)
            if lost:
                raise UnreadableFile(f"cannot read {self.path.name}: {lost}") from None
            if self._signature is not None:
                self.generation += 1
            self._data, self._signature, self._spans = None, None, None
            self._unpin()
            return None
        except PermissionError as err:
            raise UnreadableFile(f"cannot read {self.path.name}: permission denied") from err
        except OSError as err:
            raise UnreadableFile(f"cannot read {self.path.name}: {err.strerror or err}") from err
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise UnreadableFile(f"cannot read {self.path.name}: {not_a_file(st)}")
            signature = signature_of(st)
            if signature == self._signature and self._data is not None:
                return self._data
            with os.fdopen(fd, "rb", closefd=False) as handle:
                raw = handle.read()
        except OSError as err:
            raise UnreadableFile(f"cannot read {self.path.name}: {err.strerror or err}") from err
        finally:
            os.close(fd)
        self._spans = None
        self._unpin()
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
        return self._signature == signature_of(st)

    def forget(self) -> None:
        """Drop the cached parse (after a failed write, say)."""
        self._data, self._signature, self._spans = None, None, None
        self._unpin()
        self.generation += 1

    # -- writing -----------------------------------------------------------------
    def encode(self, data: Data, grown: dict[str, dict[str, Any]]) -> Encoded:
        """The bytes of ``data``, a merge into what ``read`` last returned.

        Its tables that are the very objects ``read`` returned, and those named in
        ``grown`` (the old table plus those entries, keys it did not hold, merged in
        that order), are spliced from the file as this process wrote it, when it is
        still that file; every other table is encoded."""
        old, spans = self._data, self._spans
        if not self.splice or old is None or spans is None:
            return encode(data)
        reuse = {t: span for t, span in spans.items() if t in data and (t in grown or data[t] is old.get(t))}
        raw = self._as_written() if reuse else None
        if raw is None:
            return encode(data)
        return encode(data, raw, reuse, grown)

    def _as_written(self) -> bytes | None:
        """The file's bytes, when it is still the file ``_spans`` describe."""
        fd, signature = self._pinned, self._signature
        if fd is None or signature is None:
            return None
        try:
            if signature_of(os.stat(self.path)) != signature:
                return None  # replaced or touched since: its bytes are not known
            parts = []
            at, size = 0, signature[1]
            while at < size:
                chunk = os.pread(fd, size - at, at)
                if not chunk:
                    return None
                parts.append(chunk)
                at += len(chunk)
        except OSError:
            return None
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def _unpin(self) -> None:
        fd, self._pinned = self._pinned, None
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass

    def write(self, data: Data) -> None:
        if not self._open_transaction:
            raise StoreError(f"{self.path.name}: writes go through a store transaction")
        self._write(data, encode(data))

    def commit(self, data: Data, encoded: Encoded | None = None) -> None:
        """Write ``data`` (as ``encoded``, when given: see ``encode``); only the store
        calls this, inside a transaction, under the lock."""
        self._open_transaction = True
        try:
            self._write(data, encoded or encode(data))
        finally:
            self._open_transaction = False

    def _write(self, data: Data, encoded: Encoded) -> None:
        try:
            write_atomic(self.path, encoded.parts)
        except Exception:
            self.forget()
            raise
        self._cache(data, encoded.spans)

    def adopt(self, data: Data, spans: dict[str, Span] | None = None) -> None:
        """The file was replaced with ``data`` (laid out as ``spans``) by a multi-file
        commit: cache it as read."""
        self._cache(data, spans)

    def _cache(self, data: Data, spans: dict[str, Span] | None) -> None:
        self._unpin()
        fd = None
        if spans is not None and _CAN_PIN:
            try:
                fd = os.open(self.path, os.O_RDONLY)
            except OSError:
                fd = None
        self._signature = signature_of(os.fstat(fd) if fd is not None else os.stat(self.path))
        self._data = data
        self._spans = spans if fd is not None else None
        self._pinned = fd
        self.generation += 1

    def close(self) -> None:
        self.forget()

    def __del__(self) -> None:
        self._unpin()  # (a store dropped lets go of the file it held open)


_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def lost_link(path: Path) -> str | None:
    """Why a missing file is not simply missing: it is a symlink into a folder that is not
    there (a drive not mounted, a synced folder gone). Read as empty, the library would show
    no listening at all, and say nothing; into a folder that exists, a write creates it."""
    if not os.path.islink(path):
        return None
    target = Path(os.path.realpath(path))
    if target.parent.is_dir():
        return None
    return f"it links to {os.readlink(path)}, whose folder does not exist: is its drive mounted?"


def not_a_file(st: os.stat_result) -> str:
    """Why something in a library file's place is not read: a FIFO would hang the read, a
    device (a symlink to /dev/zero or /dev/null) never ends or reads as empty, and "restoring"
    a backup over it would replace the device itself."""
    if stat.S_ISDIR(st.st_mode):
        return "it is a folder, not a file"
    return "it is a pipe or a device, not a file"


# Only where an open file can be replaced (POSIX; on Windows it would refuse the rename)
# and read at an offset without moving a shared position.
_CAN_PIN = os.name == "posix" and hasattr(os, "pread")


def signature_of(st: os.stat_result) -> Signature:
    """What tells a file's versions apart without reading it: files are replaced, never
    rewritten in place, so a new version is a new inode (and times)."""
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def parse(raw: bytes) -> Data:
    """Parse a library file; raise ``Damaged`` when it is not a JSON object."""
    if not raw.strip():
        raise Damaged("the file is empty")
    enabled = gc.isenabled()
    gc.disable()  # a large parse allocates many containers; collecting midway roughly doubles the cost
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as err:
        raise Damaged(f"it is not valid JSON: {err.msg} at byte {err.pos}") from None
    finally:
        if enabled:
            gc.enable()
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise Damaged("it does not hold TinyDB tables")
    return data
