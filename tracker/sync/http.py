"""A small JSON-over-HTTP client for sync servers.

Measured against real servers (research/sync-gpodder.md): Basic auth is sent up front
(a 401 without a realm never triggers urllib's retry), bodies go as
``application/json`` (anything else is refused), every request has a timeout, and one
keep-alive connection carries a whole sync (10,000 actions are 334 requests).
Every failure is a ``SyncError`` with one line that never holds the password.

The socket timeout bounds each silence; a watchdog bounds each whole request
(connect, headers and body) to three times it, as downloads do, so a server that drips
one byte every half second cannot keep a sync waiting.
"""

from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
import http.client
import math
from http.cookies import CookieError, SimpleCookie
import socket
import ssl
import threading
from typing import Any
from urllib.parse import urlencode, urlsplit

import orjson

from .. import __version__
from ..deadline import Watchdog
from ..model.errors import SyncError
from ..model.text import clean_line

MAX_BODY = 256 * 1024 * 1024
CHUNK = 256 * 1024
BOM = b"\xef\xbb\xbf"  # a PHP source saved with one puts it before every answer; phone apps skip it
WHOLE_REQUEST = 3  # a request may take this many times the timeout, however slowly it drips


class LoginRefused(SyncError):
    """The server said 401: the user or password is wrong."""


class AccessRefused(SyncError):
    """The server (or a web firewall or proxy before it) said 403: not the credentials,
    so the line does not send the user to retype a right password."""


class Refused(SyncError):
    """The server refused the request itself (HTTP 400 and the like): sent again as it
    is, it is refused again, so the caller may send its parts alone."""

    def __init__(self, message: str, status: str) -> None:
        super().__init__(message)
        self.status = status  # "HTTP 400 Bad Request"


class Http:
    def __init__(self, server: str, user: str, password: str, timeout_s: float) -> None:
        parts = urlsplit(server)
        self.https = parts.scheme == "https"
        self.host = parts.hostname or ""
        self.port = parts.port
        self.base = parts.path.rstrip("/")
        self.where = f"{self.host}:{self.port}" if self.port else self.host
        self.user = user
        self.timeout_s = timeout_s
        token = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
        self._headers = {
            "Authorization": f"Basic {token}",
            "User-Agent": f"tracker/{__version__}",
            "Accept": "application/json",
            "Accept-Encoding": "identity",
        }
        self._conn: http.client.HTTPConnection | None = None
        self._session: str | None = None  # the server's session cookie: kept in memory only
        self._watchdog = Watchdog()
        self._stopping = threading.Event()
        self.requests = 0
        self.last_cookie: str | None = None
        self.last_location: str | None = None
        self.last_retry_after: str | None = None
        self.last_content_type: str | None = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def stop(self) -> None:
        """From another thread (the app is closing): the request under way ends now and
        any after it fails at once, so nothing waits for a silent server."""
        self._stopping.set()
        self._watchdog.cut()

    def get(self, path: str, query: dict[str, Any] | None = None) -> Any:
        return self.request("GET", path, query)

    def post(self, path: str, body: Any) -> Any:
        return self.request("POST", path, body=body)

    def use_session(self, cookie_header: str | None) -> None:
        """Send the session cookie the login answered with instead of the password: a
        server checks a password hash (slow on purpose) on every Basic request."""
        if cookie_header:
            jar = SimpleCookie()
            try:
                jar.load(cookie_header)
            except CookieError:
                return
            morsel = jar.get("sessionid")
            if morsel is not None and morsel.value:
                self._session = morsel.value

    def request(self, method: str, path: str, query: dict[str, Any] | None = None, body: Any = None) -> Any:
        """The decoded JSON answer (None for an empty body)."""
        try:
            return self._request(method, path, query, body, self._session is not None)
        except (LoginRefused, AccessRefused):
            if self._session is None:
                raise
            self._session = None  # the session ended (401, or 403 on some servers): the password once more
            return self._request(method, path, query, body, False)

    def _request(self, method: str, path: str, query: dict[str, Any] | None, body: Any, by_session: bool) -> Any:
        target = self.base + path + (("?" + urlencode(query)) if query else "")
        what = f"{method} {path}"
        headers = dict(self._headers)
        if by_session:
            del headers["Authorization"]
            headers["Cookie"] = f"sessionid={self._session}"
        payload = None
        if body is not None:
            payload = orjson.dumps(body)
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            reused = self._conn is not None
            try:
                status, reason, raw, cookie = self._exchange_in_time(method, target, payload, headers, what)
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as err:
                self.close()
                if reused and attempt == 1:
                    continue  # the server closed an idle keep-alive connection: one fresh try
                raise SyncError(f"the connection to the sync server {self.where} dropped during {what} ({_why(err)})") from None
            except (socket.timeout, TimeoutError):
                self.close()
                raise SyncError(f"the sync server {self.where} did not answer {what} within {self.timeout_s:g} s") from None
            except ssl.SSLError as err:
                self.close()
                raise SyncError(f"TLS with the sync server {self.where} failed ({clean_line(str(err.reason or err))[:120]})") from None
            except http.client.IncompleteRead:
                self.close()
                raise SyncError(f"the connection to the sync server {self.where} dropped during {what} (answer cut short)") from None
            except http.client.HTTPException as err:
                self.close()
                raise SyncError(f"the sync server {self.where} answered {what} with broken HTTP ({type(err).__name__})") from None
            except ConnectionRefusedError:
                self.close()
                raise SyncError(f"cannot reach the sync server {self.where}: connection refused (is it running?)") from None
            except socket.gaierror:
                self.close()
                raise SyncError(f"cannot reach the sync server: unknown host {self.host!r}") from None
            except OSError as err:
                self.close()
                raise SyncError(f"cannot reach the sync server {self.where}: {_why(err)}") from None
        self.requests += 1
        self.last_cookie = cookie
        if status == 401:
            raise LoginRefused(f"the sync server {self.where} refused the login of {self.user!r} (HTTP {status}): "
                               "check the user and password with `tracker sync setup`")
        if status == 403:
            raise AccessRefused(f"the sync server {self.where} refused access to {what} (HTTP 403 "
                                f"{clean_line(reason)[:80]}): a firewall or proxy before it, or the server, forbids it")
        if status == 404:
            raise SyncError(f"the sync server {self.where} has no {path} (HTTP 404): check the URL and --flavor")
        later = _try_again(self.last_retry_after) if status == 429 or status >= 500 else ""
        if status >= 500:
            raise SyncError(f"the sync server {self.where} failed on {what} (HTTP {status} {clean_line(reason)[:80]}){later}")
        if 300 <= status < 400:
            raise SyncError(self._moved(status, path, what))
        if not 200 <= status < 300:
            said = f"HTTP {status} {clean_line(reason)[:80]}".strip()
            message = f"the sync server {self.where} refused {what} ({said}){later}"
            if 400 <= status < 500 and status not in (408, 429):
                raise Refused(message, said)
            raise SyncError(message)
        raw = raw.removeprefix(BOM)
        if not raw.strip():
            return None
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            if _is_web_page(raw, self.last_content_type):
                raise SyncError(f"the sync server {self.where} answered {what} with a web page, not the sync API "
                                "(often a network's login page, as on public Wi-Fi: sign in with a browser)") from None
            raise SyncError(f"the sync server {self.where} answered {what} with malformed JSON") from None

    def _moved(self, status: int, path: str, what: str) -> str:
        """A redirect is not followed (it would carry the password elsewhere): the line
        names where the server lives now (http:// moved to https://, most often), when the
        redirect is to this same request at another address; one to another page (a
        captive portal's or a sign-on login) names no server."""
        where = clean_line(self.last_location or "")[:200]
        base = where.split("?", 1)[0]
        moved = base.startswith(("http://", "https://")) and base.endswith(path)
        base = base[:-len(path)] if moved else ""
        hint = f": set sync up with {base} (`tracker sync setup {base} --user ...`)" if base else ""
        return f"the sync server {self.where} sends {what} elsewhere (HTTP {status}{' to ' + where if where else ''}){hint}"

    def _exchange_in_time(self, method: str, target: str, payload: bytes | None,
                          headers: dict[str, str], what: str) -> tuple[int, str, bytes, str | None]:
        """``_exchange`` under the watchdog: past the deadline it is one line, whatever
        the cut connection made of the answer (an error or a body cut short)."""
        conn = self._connection()
        self._watchdog.arm(conn, self.timeout_s * WHOLE_REQUEST)
        if self._stopping.is_set():  # after arming: a stop before it is seen here, one after it cuts
            self._watchdog.cut()
        answer: tuple[int, str, bytes, str | None] | None
        try:
            answer = self._exchange(conn, method, target, payload, headers)
        except (OSError, http.client.HTTPException, ValueError):  # ValueError: an ssl socket cut mid-read
            if not self._watchdog.disarm():
                raise
            answer = None
        except BaseException:
            self._watchdog.disarm()
            raise
        else:
            if self._watchdog.disarm():
                answer = None
        if answer is None:
            self.close()
            if self._stopping.is_set():
                raise SyncError(f"sync stopped during {what}: tracker is closing")
            raise SyncError(f"the sync server {self.where} did not finish {what} within "
                            f"{self.timeout_s * WHOLE_REQUEST:g} s (it answers too slowly)")
        return answer

    def _exchange(self, conn: http.client.HTTPConnection, method: str, target: str, payload: bytes | None,
                  headers: dict[str, str]) -> tuple[int, str, bytes, str | None]:
        conn.request(method, target, body=payload, headers=headers)
        response = conn.getresponse()
        declared = (response.getheader("Content-Length") or "").lstrip("0")
        # (a length of thousands of digits is over the limit too: int() refuses to read it)
        if declared.isdecimal() and (len(declared) > 18 or int(declared) > MAX_BODY):
            self.close()
            said = f"{int(declared)} bytes" if len(declared) <= 18 else f"a length of {len(declared)} digits"
            raise SyncError(f"the sync server {self.where} sent {said}, over the {MAX_BODY}-byte limit")
        parts: list[bytes] = []
        size = 0
        while True:
            chunk = response.read(CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_BODY:
                self.close()
                raise SyncError(f"the sync server {self.where} sent more than {MAX_BODY} bytes")
            parts.append(chunk)
        if declared and declared.isdecimal() and size < int(declared) and not response.chunked:
            # http.client hands back a body cut short without a word when read in chunks
            # (a chunked answer's length, which wins over any Content-Length, is checked by it)
            raise http.client.IncompleteRead(b"".join(parts), int(declared) - size)
        self.last_location = response.getheader("Location")
        self.last_retry_after = response.getheader("Retry-After")
        self.last_content_type = response.getheader("Content-Type")
        if response.will_close:
            self.close()
        return response.status, response.reason or "", b"".join(parts), response.getheader("Set-Cookie")

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            if self.https:
                self._conn = http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout_s,
                                                         context=ssl.create_default_context())
            else:
                self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout_s)
        return self._conn


def _is_web_page(raw: bytes, content_type: str | None) -> bool:
    """An answer that is HTML, by its type or its first bytes: a captive portal answers
    every request with its login page, and "malformed JSON" would blame the server."""
    if (content_type or "").split(";", 1)[0].strip().lower() in ("text/html", "application/xhtml+xml"):
        return True
    head = raw[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or (head.startswith(b"<") and b"<html" in head)


def _try_again(retry_after: str | None) -> str:
    """": try again in 2 min" from a busy server's Retry-After (seconds, or an HTTP date
    said as a local time when it is hours away), "" without a usable one: the user learns
    when another sync is let through; sync itself does not wait that long."""
    text = (retry_after or "").strip()
    now = datetime.now(timezone.utc)
    try:
        if text.isdecimal() and len(text) <= 9:  # (more is decades: no use to say)
            when = now + timedelta(seconds=int(text))
        else:
            when = parsedate_to_datetime(text)
            if when.tzinfo is None:
                when = when.replace(tzinfo=timezone.utc)
        seconds = max(0, math.ceil((when - now).total_seconds()))
        at = when.astimezone()
    except (TypeError, ValueError, IndexError, OverflowError):
        return ""
    if seconds == 0:
        return ": try again now"
    if seconds < 120:
        return f": try again in {seconds} s"
    if seconds < 2 * 3600:
        return f": try again in {math.ceil(seconds / 60)} min"
    day = "" if at.date() == now.astimezone().date() else f"{at:%Y-%m-%d} "
    return f": try again after {day}{at:%H:%M}"


def _why(err: BaseException) -> str:
    text = getattr(err, "strerror", None) or str(err) or type(err).__name__
    return clean_line(str(text))[:120]
