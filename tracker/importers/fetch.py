"""HTTP(S) downloads: bounded in size and time, conditional, redirects to http(s) only.

The deadline covers the whole exchange, whatever the drip rate: a watchdog closes
the connection when it passes, so a server sending one byte every half second
cannot keep an import waiting. ``TRACKER_HTTP_TIMEOUT`` is how long the server may
stay silent; the whole download may take three times that. Messages never repeat
the URL: the caller names the source once.
"""

from __future__ import annotations

import math
import os
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from .. import __version__
from ..model.errors import ImportFailed, SettingError, Unreachable
from ..model.text import clean_line

if TYPE_CHECKING:  # the network modules load with the first download: a file import never needs them
    import http.client
    import ssl

    from ..deadline import Watchdog

DEFAULT_TIMEOUT_S = 20.0
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
WHOLE_DOWNLOAD = 3  # a download may take this many times the timeout, however slowly it drips
_SSL: list["ssl.SSLContext"] = []


@dataclass
class Fetched:
    url: str  # where the body came from, after redirects
    body: bytes = b""
    moved_to: str | None = None  # ``url``, when every redirect there was permanent (301, 308)
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None


def is_url(source: str) -> bool:
    return source[:8].lower().startswith(("http://", "https://"))


def env_number(name: str, default: float, most: float) -> float:
    """A positive, finite setting from the environment; anything else is one clear line."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not 0 < value <= most:
        raise SettingError(f"{name} must be a number above 0 and at most {most:g}, not {raw[:40]!r}")
    return value


def timeout_s() -> float:
    return env_number("TRACKER_HTTP_TIMEOUT", DEFAULT_TIMEOUT_S, 3600)


def max_bytes() -> int:
    return int(env_number("TRACKER_MAX_DOWNLOAD", DEFAULT_MAX_BYTES, 2**40))


def over_limit(limit: int, size: int | None = None) -> str:
    """Why a source too big is refused, in sizes a person reads, naming the setting that
    lets it in: a 100k-episode library's own export is over the default cap."""
    what = f"is {_size(size)}, over" if size is not None else "is over"
    return f"{what} the {_size(limit)} limit (TRACKER_MAX_DOWNLOAD raises it)"


def _size(n: int) -> str:
    return f"{n:,} bytes" if n < 2**20 else f"{n / 2**20:,.1f}".removesuffix(".0") + " MB"


def fetch(url: str, etag: str | None = None, last_modified: str | None = None,
          limit: int | None = None, gate: threading.Semaphore | None = None) -> Fetched:
    """Download ``url``; every failure is an ``ImportFailed`` with one clear line.
    ``gate`` bounds the connections open at once across threads."""
    import http.client
    import socket
    import zlib

    from ..deadline import Watchdog  # it loads socket: here, a file import starts without it

    if not is_url(url):
        raise ImportFailed("only http(s) URLs are fetched")
    timeout = timeout_s()
    limit = max_bytes() if limit is None else limit
    headers = {"User-Agent": f"tracker/{__version__}", "Accept-Encoding": "gzip", "Accept": "*/*"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    if gate is not None:
        gate.acquire()
    dog = Watchdog()
    dog.arm(None, timeout * WHOLE_DOWNLOAD)
    try:
        return _fetch(url, headers, timeout, limit, dog)
    except ImportFailed:
        raise
    except (socket.timeout, TimeoutError):
        raise Unreachable(f"timed out after {timeout:g} s") from None
    except (OSError, http.client.HTTPException, ValueError, zlib.error) as err:
        if dog.fired:
            raise Unreachable(f"download timed out after {timeout * WHOLE_DOWNLOAD:g} s") from None
        if isinstance(err, (ConnectionRefusedError, socket.gaierror)):
            raise Unreachable(f"cannot connect ({_reason(err)})") from None
        raise Unreachable(f"connection failed ({_reason(err)})") from None
    finally:
        dog.disarm()
        dog.close()
        if gate is not None:
            gate.release()


def _fetch(url: str, headers: dict[str, str], timeout: float, limit: int, dog: Watchdog) -> Fetched:
    import http.client

    current = url
    permanent = True  # every redirect so far said the feed moved for good
    for hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(current)
        if not hop and not parts.hostname:
            raise ImportFailed("not a web address: it names no server (https://example.com/feed.xml)")
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise ImportFailed(f"redirected to {clean_line(current)[:200]}: only http(s) addresses are followed")
        conn: http.client.HTTPConnection
        if parts.scheme.lower() == "https":
            conn = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout, context=_ssl())
        else:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        dog.watch(conn)
        try:
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            conn.request("GET", path, headers={**headers, "Host": parts.netloc.rpartition("@")[2]})
            response = conn.getresponse()
            status = response.status
            if status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                if not location:
                    raise ImportFailed(f"HTTP {status} without a Location to follow")
                current = urljoin(current, location.strip())
                permanent = permanent and status in (301, 308)
                continue
            moved_to = current if hop and permanent and current != url else None
            if status == 304:
                return Fetched(url=current, not_modified=True, etag=headers.get("If-None-Match"),
                               last_modified=headers.get("If-Modified-Since"), moved_to=moved_to)
            if not 200 <= status < 300:
                reason = clean_line(response.reason or "")[:80]
                failed = Unreachable if status >= 500 or status in (408, 429) else ImportFailed
                raise failed(f"HTTP {status} {reason}".rstrip())
            body = _read_body(response, limit, dog, timeout * WHOLE_DOWNLOAD)
            return Fetched(url=current, body=body, etag=response.getheader("ETag"),
                           last_modified=response.getheader("Last-Modified"), moved_to=moved_to)
        finally:
            conn.close()
    raise ImportFailed(f"more than {MAX_REDIRECTS} redirects")


def _read_body(response: "http.client.HTTPResponse", limit: int, dog: Watchdog, seconds: float) -> bytes:
    import zlib

    declared = response.getheader("Content-Length") or ""
    gzipped = (response.getheader("Content-Encoding") or "").strip().lower() == "gzip"
    if declared.isdecimal() and len(declared) < 20 and int(declared) > limit and not gzipped:
        raise ImportFailed(f"the download {over_limit(limit, int(declared))}")
    unzip = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzipped else None
    parts: list[bytes] = []
    size = 0
    while True:
        chunk = response.read1(CHUNK)
        if dog.fired:
            raise Unreachable(f"download timed out after {seconds:g} s")
        if not chunk:
            break
        if unzip is not None:
            chunk = unzip.decompress(chunk, limit + 1 - size)
        size += len(chunk)
        if size > limit:
            raise ImportFailed(f"the download {over_limit(limit)}")
        parts.append(chunk)
    return b"".join(parts)


def _ssl() -> "ssl.SSLContext":
    import ssl

    if not _SSL:
        _SSL.append(ssl.create_default_context())
    return _SSL[0]


def _reason(err: BaseException) -> str:
    text = getattr(err, "strerror", None) or str(err) or type(err).__name__
    return clean_line(str(text))[:120]
