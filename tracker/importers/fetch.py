"""HTTP(S) downloads with a size limit, timeouts and conditional GET."""

from __future__ import annotations

import os
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from .. import __version__
from ..model.errors import ImportFailed

DEFAULT_TIMEOUT_S = 20.0
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
CHUNK = 256 * 1024


@dataclass
class Fetched:
    url: str
    body: bytes = b""
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None


def is_url(source: str) -> bool:
    return source[:8].lower().startswith(("http://", "https://"))


def timeout_s() -> float:
    return _env_float("TRACKER_HTTP_TIMEOUT", DEFAULT_TIMEOUT_S)


def max_bytes() -> int:
    return int(_env_float("TRACKER_MAX_DOWNLOAD", DEFAULT_MAX_BYTES))


def fetch(url: str, etag: str | None = None, last_modified: str | None = None,
          limit: int | None = None) -> Fetched:
    """Download ``url``; every failure is an ``ImportFailed`` with one clear line."""
    if not is_url(url):
        raise ImportFailed(f"not an http(s) URL: {url}")
    timeout = timeout_s()
    limit = max_bytes() if limit is None else limit
    headers = {"User-Agent": f"tracker/{__version__}", "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)
    deadline = time.monotonic() + timeout * 3  # a server that drips bytes still ends
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise ImportFailed(f"{url}: {int(declared)} bytes is over the {limit}-byte limit")
            parts: list[bytes] = []
            size = 0
            while True:
                if time.monotonic() > deadline:
                    raise ImportFailed(f"{url}: download timed out after {timeout * 3:g} s")
                chunk = response.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise ImportFailed(f"{url}: download is over the {limit}-byte limit")
                parts.append(chunk)
            return Fetched(
                url=response.geturl(),
                body=b"".join(parts),
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
            )
    except urllib.error.HTTPError as err:
        if err.code == 304:
            return Fetched(url=url, not_modified=True, etag=etag, last_modified=last_modified)
        raise ImportFailed(f"{url}: HTTP {err.code} {err.reason}") from None
    except urllib.error.URLError as err:
        reason = err.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise ImportFailed(f"{url}: timed out after {timeout:g} s") from None
        raise ImportFailed(f"{url}: cannot connect ({reason})") from None
    except (socket.timeout, TimeoutError):
        raise ImportFailed(f"{url}: timed out after {timeout:g} s") from None
    except (ConnectionError, OSError) as err:
        raise ImportFailed(f"{url}: connection failed ({err})") from None


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, "")) or default
    except ValueError:
        return default
