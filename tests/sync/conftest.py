"""A real gpodder.net API server for the sync tests, a feed host, and tracker devices.

The server (gpodder-fastapi-router under uvicorn) runs as its own process on
127.0.0.1, on a socket this fixture binds to port 0 and hands over, with a fresh
SQLite file per session; each test registers its own user, so tests share nothing.
Without the server installed the tests skip, unless ``CI`` is set
(``.ci/run`` sets it), where that is a failure.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import urllib.request
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests import feeds
from tests.sync import server
from tests.sync.proxy import FaultProxy
from tracker.model.library import Library
from tracker.sync.config import SyncSetup, save

@pytest.fixture(scope="session")
def gpodder_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a running gpodder.net API server."""
    if not server.available():
        if os.environ.get("CI"):
            pytest.fail("the sync test server is not installed: pip install --ignore-requires-python "
                        "-r tests/sync/server-requirements.txt")
        pytest.skip("the sync test server is not installed (pip install --ignore-requires-python "
                    "-r tests/sync/server-requirements.txt)")
    url, proc = server.start_server(tmp_path_factory.mktemp("gpodder-server"))
    try:
        yield url
    finally:
        server.stop_server(proc)


class Raw:
    """Plain HTTP to the server, as another app (a phone) talks to it."""

    def __init__(self, base: str, user: str, password: str) -> None:
        self.base, self.user = base, user
        self.auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Authorization": self.auth, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
        return json.loads(raw) if raw.strip() else None


@dataclass
class Account:
    server: str
    user: str
    password: str

    def raw(self) -> Raw:
        return Raw(self.server, self.user, self.password)

    def setup(self, device: str, server: str | None = None, flavor: str = "gpodder", timeout_s: float = 10.0) -> SyncSetup:
        return SyncSetup(server=server or self.server, user=self.user, device=device, flavor=flavor,
                         password=self.password, timeout_s=timeout_s)

    def group(self, *devices: str) -> None:
        """Put devices in one sync group (what a user does on gpodder.net's web page), so
        subscriptions are shared; episode actions are per user anyway."""
        for device in devices:
            self.raw().call("POST", f"/api/2/devices/{self.user}/{device}.json", {"caption": device, "type": "mobile"})
        self.raw().call("POST", f"/api/2/sync-devices/{self.user}.json", {"synchronize": [list(devices)], "stop-synchronize": []})


@pytest.fixture
def account(gpodder_server: str) -> Account:
    user = "u" + uuid.uuid4().hex[:10]
    password = "pw-" + uuid.uuid4().hex
    Raw(gpodder_server, user, password).call("POST", f"/api/2/auth/{user}/register.json", {"password": password})
    return Account(gpodder_server, user, password)


# -- feeds the devices subscribe to ---------------------------------------------------------------
def feed(title: str, slug: str, episodes: int = 3, length: int = 600) -> bytes:
    """A small feed with chapters: each episode is ``length`` s long (600 by default) with
    three chapters of a third each (0, 200 and 400 s by default)."""
    items = []
    for i in range(1, episodes + 1):
        items.append(f"""
  <item>
    <title>{title} {i}</title>
    <guid isPermaLink="false">{slug}-{i}</guid>
    <pubDate>Tue, 0{i} May 2024 10:00:00 GMT</pubDate>
    <enclosure url="https://cdn.example.org/{slug}/{i}.mp3" length="1" type="audio/mpeg"/>
    <itunes:duration>{length}</itunes:duration>
    <psc:chapters version="1.2">
      <psc:chapter start="0" title="Start"/>
      <psc:chapter start="{length // 3}" title="Middle"/>
      <psc:chapter start="{2 * length // 3}" title="End"/>
    </psc:chapters>
  </item>""")
    return feeds.rss("".join(items), title=title)


class FeedHost:
    def __init__(self) -> None:
        self.feeds: dict[str, bytes] = {}
        self.gate: threading.Barrier | None = None  # when set, each request waits for the others
        host = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                if host.gate is not None:
                    try:
                        host.gate.wait()
                    except threading.BrokenBarrierError:  # asked for one at a time
                        self.send_error(503)
                        return
                body = host.feeds.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def add(self, slug: str, title: str, episodes: int = 3, length: int = 600) -> str:
        self.feeds[f"/{slug}.xml"] = feed(title, slug, episodes, length)
        return f"{self.base}/{slug}.xml"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def feed_host() -> Iterator[FeedHost]:
    host = FeedHost()
    try:
        yield host
    finally:
        host.close()


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("TRACKER_CONFIG", str(folder))
    return folder


def device(tmp_path: Path, name: str, setup: SyncSetup) -> Library:
    """A tracker library set up to sync as device ``name`` (config in the test's folder)."""
    folder = tmp_path / name
    library = Library(folder)
    save(folder, setup)
    return library


@pytest.fixture
def proxy(gpodder_server: str) -> Iterator[FaultProxy]:
    """A fault-injecting proxy in front of the server (``tests/sync/proxy.py``)."""
    p = FaultProxy(int(gpodder_server.rsplit(":", 1)[1]))
    try:
        yield p
    finally:
        p.close()
