"""A fault-injecting HTTP proxy on 127.0.0.1 between tracker and the sync server.

It forwards requests one by one (keep-alive kept) and, when a fault is planned, lets
``after`` requests through and injects it into every request from then on (an outage:
a client's one retry on a fresh connection meets it too):
- ``drop_request``: reads the headers and half the body, then closes (mid-upload);
- ``drop_answer``: forwards the request (the server commits it) and closes instead of
  answering, so the client never hears the acknowledgement;
- ``error500``: answers 500 without forwarding;
- ``stall``: reads the request and answers nothing until the client gives up;
- ``garbage``: answers 200 with malformed JSON;
- ``cut_answer`` (not among the random faults): forwards the request and sends the
  answer's head and half its body, then closes (Content-Length says more was coming);
- ``bom`` (not among the random faults): forwards and answers with a UTF-8 byte order
  mark before the JSON, as a PHP file saved with one makes its server do;
- ``canned`` (not among the random faults): answers ``canned`` (status line, extra
  header lines, body) without forwarding, as a web firewall, a busy server or a captive
  portal in front of the server does;
- ``drip`` (not among the random faults: it is slow on purpose): forwards the request
  and sends the answer one byte every ``drip_s`` seconds, never silent long enough for
  a socket timeout.

``sanitize`` (old URL -> new) plays a server with URL rules of its own, as gpodder.net
has (``feeds2.feedburner.com`` -> ``feeds.feedburner.com``): subscription uploads are
stored under the new URL and answered with ``update_urls``. ``edit`` (request line,
answer -> answer) plays a server that lies in a JSON answer it sends. ``refuse``
(request line, body -> bool) plays a stricter server: a request it picks is answered
400 without forwarding.
"""

from __future__ import annotations

import json
import select
import socket
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

FAULTS = ("drop_request", "drop_answer", "error500", "stall", "garbage")
STALL_LIMIT_S = 20.0


@dataclass
class Plan:
    fault: str | None = None
    after: int = 0  # requests to let through first
    seen: int = 0
    fired: list[str] = field(default_factory=list)


class FaultProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.plan = Plan()
        self.seen: list[tuple[bytes, bytes]] = []  # (request line, body) of every request
        self.drip_s = 0.5
        self.sanitize: dict[str, str] = {}
        self.edit: Callable[[bytes, Any], Any] | None = None
        self.refuse: Callable[[bytes, bytes], bool] | None = None
        self.canned: tuple[bytes, list[bytes], bytes] = (b"HTTP/1.1 200 OK", [], b"{}")
        self._lock = threading.Lock()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._closed = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def inject(self, fault: str | None, after: int = 0) -> None:
        with self._lock:
            self.plan = Plan(fault, after)

    def close(self) -> None:
        self._closed.set()
        self._sock.close()

    # -- plumbing ------------------------------------------------------------------------------------
    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _next_fault(self) -> str | None:
        with self._lock:
            plan = self.plan
            plan.seen += 1
            if plan.fault and plan.seen > plan.after:
                plan.fired.append(plan.fault)
                return plan.fault
            return None

    def _serve(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        try:
            buffer = b""
            while True:
                head, buffer = _read_head(client, buffer)
                if head is None:
                    return
                length = _content_length(head)
                fault = self._next_fault()
                if fault == "drop_request":
                    body, buffer = _read_exact(client, buffer, length // 2)
                    return
                body, buffer = _read_exact(client, buffer, length)
                with self._lock:
                    self.seen.append((head.split(b"\r\n", 1)[0], body))
                if self.refuse is not None and self.refuse(head.split(b"\r\n", 1)[0], body):
                    _reply(client, b"HTTP/1.1 400 Bad Request", b'{"detail": "invalid action"}')
                    continue
                if fault == "error500":
                    _reply(client, b"HTTP/1.1 500 Internal Server Error", b'{"detail": "injected"}')
                    continue
                if fault == "garbage":
                    _reply(client, b"HTTP/1.1 200 OK", b'{"actions": [ {"podcast": ')
                    continue
                if fault == "canned":
                    status, extra, answer = self.canned
                    client.sendall(b"\r\n".join([status, *extra, b"Content-Length: " + str(len(answer)).encode()])
                                   + b"\r\n\r\n" + answer)
                    continue
                if fault == "stall":
                    _wait_for_close(client)
                    return
                rewritten = self._sanitized(head, body)
                if rewritten is not None:
                    head, body = _with_body(head, rewritten[0])
                if upstream is None:
                    upstream = socket.create_connection(self.upstream, timeout=30)
                upstream.sendall(head + body)
                answer_head, rest = _read_head(upstream, b"")
                if answer_head is None:
                    return
                answer_body, _ = _read_exact(upstream, rest, _content_length(answer_head))
                if rewritten is not None and answer_head.startswith(b"HTTP/1.1 200"):
                    answer = json.loads(answer_body)
                    answer["update_urls"] = [*answer.get("update_urls", []), *rewritten[1]]
                    answer_head, answer_body = _with_body(answer_head, json.dumps(answer).encode())
                if self.edit is not None and answer_head.startswith(b"HTTP/1.1 200") and answer_body.strip():
                    answer = self.edit(head.split(b"\r\n", 1)[0], json.loads(answer_body))
                    answer_head, answer_body = _with_body(answer_head, json.dumps(answer).encode())
                if fault == "drop_answer":
                    return
                if fault == "bom" and answer_body:
                    answer_head, answer_body = _with_body(answer_head, b"\xef\xbb\xbf" + answer_body)
                if fault == "cut_answer":
                    client.sendall(answer_head + answer_body[:len(answer_body) // 2])
                    return
                if fault == "drip":
                    self._drip(client, answer_head + answer_body)
                    return
                client.sendall(answer_head + answer_body)
        except OSError:
            return
        finally:
            client.close()
            if upstream is not None:
                upstream.close()

    def _sanitized(self, head: bytes, body: bytes) -> tuple[bytes, list[list[str]]] | None:
        """A subscription upload with ``sanitize`` applied, and the rewrites made."""
        if not self.sanitize or not head.startswith(b"POST /api/2/subscriptions/"):
            return None
        changes = json.loads(body)
        done = []
        for name in ("add", "remove"):
            for i, url in enumerate(changes.get(name, [])):
                if url in self.sanitize:
                    changes[name][i] = self.sanitize[url]
                    done.append([url, self.sanitize[url]])
        return json.dumps(changes).encode(), done

    def _drip(self, client: socket.socket, answer: bytes) -> None:
        """One byte at a time until the answer is sent or the client hangs up."""
        for i in range(len(answer)):
            if self._closed.wait(self.drip_s):
                return
            client.sendall(answer[i:i + 1])


def _read_head(sock: socket.socket, buffer: bytes) -> tuple[bytes | None, bytes]:
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            return None, b""
        buffer += chunk
    head, rest = buffer.split(b"\r\n\r\n", 1)
    return head + b"\r\n\r\n", rest


def _read_exact(sock: socket.socket, buffer: bytes, length: int) -> tuple[bytes, bytes]:
    while len(buffer) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        buffer += chunk
    return buffer[:length], buffer[length:]


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip() or 0)
    return 0


def _with_body(head: bytes, body: bytes) -> tuple[bytes, bytes]:
    """``head`` with its Content-Length set for ``body``."""
    lines = [line for line in head.split(b"\r\n") if line and not line.lower().startswith(b"content-length:")]
    return b"\r\n".join([*lines, b"Content-Length: " + str(len(body)).encode()]) + b"\r\n\r\n", body


def _reply(sock: socket.socket, status: bytes, body: bytes) -> None:
    sock.sendall(status + b"\r\nContent-Type: application/json\r\nContent-Length: "
                 + str(len(body)).encode() + b"\r\n\r\n" + body)


def _wait_for_close(sock: socket.socket) -> None:
    """Answer nothing until the client hangs up (or a generous limit passes)."""
    ready, _, _ = select.select([sock], [], [], STALL_LIMIT_S)
    if ready:
        try:
            sock.recv(1)
        except OSError:
            pass
