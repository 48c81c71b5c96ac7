"""Where an import reads from: a URL, a local file, or standard input.

Local reads take only regular files, up to the download size cap: a FIFO would
block forever and ``/dev/zero`` never ends, so both are refused before a byte is
read (the file is opened without blocking and checked on its descriptor).
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urljoin, urlsplit

from ..model.errors import ImportFailed
from .fetch import is_url, max_bytes, over_limit
from .identity import normal_url

STDIN = "-"


SUBSCRIBE_SCHEMES = ("itpc", "pcast", "podcast", "feed")  # podcast apps' "subscribe" links


def feed_address(source: str) -> str:
    """A podcast app's subscribe link as the web address it stands for, as gPodder reads
    them: ``itpc://host/feed.xml`` and ``pcast://``, ``podcast://``, ``feed://`` are
    ``http://host/feed.xml``; ``feed:https://host/feed.xml`` is the address it wraps.
    Anything else comes back as given."""
    scheme, colon, _ = source[:16].partition(":")
    if not colon or scheme.lower() not in SUBSCRIBE_SCHEMES:
        return source
    rest = source[len(scheme) + 1:].strip()
    if is_url(rest):  # feed:https://host/feed.xml
        return rest
    if not rest.startswith("//"):  # (a file named "feed:notes" stays a file)
        return source
    rest = rest[2:]
    if is_url(rest):  # feed://https://host/feed.xml, as some pages write it
        return rest
    return "http://" + rest if rest and not rest.startswith("/") else source


def kind_of(source: str) -> str:
    """``url``, ``stdin`` or ``file``; any other scheme is refused with one line."""
    if is_url(source):
        return "url"
    if source == STDIN:
        return "stdin"
    scheme = urlsplit(source).scheme.lower()
    if scheme == "file":
        return "file"
    if len(scheme) > 1 and "://" in source:  # (a one-letter scheme is a Windows drive)
        raise ImportFailed(f"only http(s) URLs and files are read, not {scheme}:// addresses")
    return "file"


def local_path(source: str) -> Path:
    """A file source as a path (``file://`` URLs and ``~`` understood)."""
    if source[:7].lower() == "file://":
        return Path(unquote(urlsplit(source).path))
    return Path(source).expanduser()


def text_path(path: str) -> None:
    """A feed's path must be text the library can keep (its files are JSON, which is
    Unicode): a name in another encoding (latin-1 'caf\\xe9.xml') is refused in one line."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        raise ImportFailed("its name (or its folder's) is not UTF-8: rename it to import it") from None


def read_file(path: Path, limit: int | None = None) -> bytes:
    """A regular file's bytes, at most ``limit`` (the download cap)."""
    limit = max_bytes() if limit is None else limit
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise ImportFailed(_missing(str(path))) from None
    except IsADirectoryError:
        raise ImportFailed("is a folder, not a file") from None
    except OSError as err:
        raise ImportFailed(f"cannot read it: {err.strerror}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ImportFailed("is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise ImportFailed("not a regular file (a device, pipe or socket is not read)")
        if info.st_size > limit:
            raise ImportFailed(f"the file {over_limit(limit, info.st_size)}")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return _read_capped(handle, limit, info.st_size)
    except OSError as err:
        raise ImportFailed(f"cannot read it: {err.strerror or err}") from None
    finally:
        os.close(fd)


def read_stdin(limit: int | None = None, stream: BinaryIO | None = None) -> bytes:
    """Standard input (a pasted show page, a feed piped in), up to the cap."""
    limit = max_bytes() if limit is None else limit
    source = stream if stream is not None else sys.stdin.buffer
    return _read_capped(source, limit, terminal=source.isatty())


def _read_capped(handle: BinaryIO, limit: int, expected: int = 0, terminal: bool = False) -> bytes:
    """At most ``limit`` bytes, read in pieces (a buffer of the cap's size is never made).
    From a ``terminal`` each piece is one read of its descriptor: Ctrl-D ends a paste once,
    and a buffered read waiting to fill its size would take the text before it and wait
    for a second Ctrl-D."""
    parts: list[bytes] = []
    size = 0
    piece = max(expected + 1, 1 << 16)
    while True:
        want = min(piece, limit + 1 - size)
        chunk = os.read(handle.fileno(), want) if terminal else handle.read(want)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise ImportFailed(f"it {over_limit(limit)}")
        parts.append(chunk)
    return b"".join(parts)


def _missing(source: str) -> str:
    head = source.split("/", 1)[0]
    if "." in head and " " not in head and not source.startswith((".", "/", "~")) and len(head) > 3:
        return "no such file; only http(s) URLs and files are read (for a feed on the web, write https://...)"
    return "no such file"


def listed_target(ref: str, base_url: str | None, folder: Path | None) -> str:
    """What an OPML entry names, as something to read: a list fetched from the network
    (``base_url``, where it was read from) names only network feeds; a local list may
    name files beside it (in ``folder``)."""
    ref = feed_address(ref)
    if is_url(ref):
        return ref
    kind_of(ref)  # ftp:// and other schemes: one line
    if base_url is not None:
        local = ref[:7].lower() == "file://" or ref.startswith(("/", "\\", "~")) or ref[1:3] in (":\\", ":/")
        joined = "" if local else urljoin(base_url, ref)
        if is_url(joined):
            return joined
        raise ImportFailed("refused: a list from the network may name only http(s) feeds, not local files")
    path = local_path(ref)
    if not path.is_absolute() and folder is not None:
        path = folder / path
    return str(path)


def visit_key(target: str) -> str:
    """What one run reads once: a URL normalised, a file by its real path."""
    if is_url(target):
        return normal_url(target)
    if target == STDIN:
        return target
    try:
        return str(local_path(target).resolve())
    except (OSError, RuntimeError, ValueError):
        return target
