"""The Nextcloud flavor against a recorded contract (data/nextcloud-contract.json): the
requests tracker makes, in order, with their paths, queries and payloads, answered
as the gpoddersync app answers (upper-case actions, ``+00:00`` times, ``-1``)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.sync.conftest import FeedHost, device
from tests.sync.test_devices import by_title, listening
from tracker.importers.service import import_sources
from tracker.sync.config import SyncSetup
from tracker.sync.engine import run_sync

CONTRACT = Path(__file__).parent / "data" / "nextcloud-contract.json"


def fill(value: Any, feed: str) -> Any:
    if isinstance(value, str):
        return value.replace("{feed}", feed)
    if isinstance(value, list):
        return [fill(v, feed) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, feed) for k, v in value.items()}
    return value


def matches(expected: Any, got: Any) -> bool:
    if expected == "*":
        return True
    if isinstance(expected, dict):
        return isinstance(got, dict) and expected.keys() == got.keys() and all(matches(v, got[k]) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(got, list) and len(expected) == len(got) and all(matches(e, g) for e, g in zip(expected, got))
    return bool(expected == got)


class ContractServer:
    def __init__(self, exchanges: list[dict[str, Any]]) -> None:
        self.expected = list(exchanges)
        self.problems: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                self._answer(None)

            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.headers.get("Content-Type") != "application/json":
                    server.problems.append(f"POST {self.path}: Content-Type {self.headers.get('Content-Type')}")
                self._answer(json.loads(raw))

            def _answer(self, body: Any) -> None:
                parts = urlsplit(self.path)
                got = {"method": self.command, "path": parts.path}
                if parts.query:
                    got["query"] = dict(parse_qsl(parts.query))
                if body is not None:
                    got["body"] = body
                if not (self.headers.get("Authorization") or "").startswith("Basic "):
                    server.problems.append(f"{self.command} {parts.path}: no Basic authorization sent up front")
                if not server.expected:
                    server.problems.append(f"unexpected request {got}")
                    self.send_error(500)
                    return
                exchange = server.expected.pop(0)
                if not matches(exchange["request"], got):
                    server.problems.append(f"expected {exchange['request']}, got {got}")
                payload = json.dumps(exchange["response"]["body"]).encode()
                self.send_response(exchange["response"]["status"])
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def nextcloud(feed_host: FeedHost) -> Iterator[tuple[ContractServer, str]]:
    feed = feed_host.add("alpha", "Alpha Show")
    contract = json.loads(CONTRACT.read_text())
    server = ContractServer(fill(contract["exchanges"], feed))
    try:
        yield server, feed
    finally:
        server.close()


def test_nextcloud_flavor_follows_the_recorded_contract(tmp_path: Path, nextcloud: tuple[ContractServer, str],
                                                        config_dir: Path) -> None:
    server, feed = nextcloud
    setup = SyncSetup(server=server.url, user="ada", device="laptop", flavor="nextcloud", password="app-password")
    library = device(tmp_path, "laptop", setup)
    assert all(o.ok for o in import_sources(library, [feed]))
    library.report_progress(by_title(library)["Alpha Show 1"], 250)

    first = run_sync(library, setup)
    assert first.actions_down == 1  # the DOWNLOAD action is not listening
    assert listening(library, "Alpha Show 2")[:2] == ("in_progress", 420)
    second = run_sync(library, setup)  # the app sends the last action again: nothing changes
    assert second.episodes_changed == 0 and second.actions_up == 0
    assert server.problems == [] and server.expected == []
