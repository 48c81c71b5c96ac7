"""A real HTTP server on 127.0.0.1 (an ephemeral port) serving feeds for tests and benchmarks.

Each route may answer after a delay, drip its body a byte at a time, honour ETags
(304), redirect, or fail. Stopping is instant: the accept loop polls every 10 ms,
handlers are daemon threads, and a handler waiting out a delay wakes when the
server stops (the old server cost 0.5 s per test to shut down).
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator
from contextlib import contextmanager


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    etag: str | None = None
    delay: float = 0.0  # seconds before answering
    drip: float | None = None  # seconds between single bytes of the body
    headers: dict[str, str] = field(default_factory=dict)
    content_length: int | str | None = None  # a declared length other than the body's (a str: sent as written)
    reason: str | None = None  # the status line's words, if not the standard ones


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128  # many clients connect at once (the default of 5 drops some)
    owner: "FeedServer"

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # a client that gave up mid-request (a time-out or Ctrl-C test): not the server's fault
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        owner = self.server.owner
        with owner.lock:
            owner.hits.append((self.path, dict(self.headers)))
            owner.in_flight += 1
            owner.most_in_flight = max(owner.most_in_flight, owner.in_flight)
        try:
            self._get(owner)
        finally:
            with owner.lock:
                owner.in_flight -= 1

    def _get(self, owner: "FeedServer") -> None:
        route = owner.routes.get(self.path)
        if route is None:
            self._answer(404, b"not here", {"Content-Type": "text/plain"})
            return
        delay = route.delay or owner.delay
        if delay and owner.stopping.wait(delay):
            return
        if route.etag and self.headers.get("If-None-Match") == route.etag:
            self._answer(304, b"", {"ETag": route.etag})
            return
        headers = {"Content-Type": "application/xml", **route.headers}
        if route.etag:
            headers["ETag"] = route.etag
        try:
            if route.drip is not None:
                self.send_response(route.status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(route.content_length or len(route.body)))
                self.end_headers()
                for i in range(len(route.body)):
                    if owner.stopping.wait(route.drip):
                        return
                    self.wfile.write(route.body[i : i + 1])
                    self.wfile.flush()
                return
            self._answer(route.status, route.body, headers, route.content_length, route.reason)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a time-out test): nothing to report

    def _answer(self, status: int, body: bytes, headers: dict[str, str], length: int | str | None = None,
                reason: str | None = None) -> None:
        self.send_response(status, reason)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        if body and status != 304:
            self.wfile.write(body)


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.delay = 0.0  # for every route without its own
        self.in_flight = 0
        self.most_in_flight = 0  # the most requests answered at once: how parallel a client was
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01},
                                        daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes = b"", **route: object) -> str:
        self.routes[path] = Route(body, **route)  # type: ignore[arg-type]
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 301) -> str:
        return self.add(path, status=status, headers={"Location": location})

    def hit_paths(self) -> list[str]:
        with self.lock:
            return [path for path, _ in self.hits]

    def start(self) -> "FeedServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()


@contextmanager
def serving() -> Iterator[FeedServer]:
    server = FeedServer().start()
    try:
        yield server
    finally:
        server.stop()
