"""URL import against a real HTTP server on 127.0.0.1: redirects, 404, time-outs, 304."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

from tests import feeds
from tracker.importers.service import import_sources, refresh
from tracker.model.library import Library

FEED = feeds.rss(feeds.ITEMS.replace('url="chapters/002.json"', 'url="/chapters/002.json"'))
ETAG = '"v1"'


class Handler(BaseHTTPRequestHandler):
    hits: list[tuple[str, str | None]] = []

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        Handler.hits.append((self.path, self.headers.get("If-None-Match")))
        if self.path == "/feed.xml":
            if self.headers.get("If-None-Match") == ETAG:
                self.send_response(304)
                self.end_headers()
                return
            self._send(FEED, etag=ETAG)
        elif self.path == "/chapters/002.json":
            self._send(feeds.CHAPTERS_002)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/feed.xml")
            self.end_headers()
        elif self.path == "/slow":
            time.sleep(3)
            self._send(FEED)
        elif self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Length", str(10**12))
            self.end_headers()
        else:
            self.send_error(404, "Not Found")

    def _send(self, body: bytes, etag: str | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture()
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("TRACKER_HTTP_TIMEOUT", "0.5")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Handler.hits = []
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_url_feed_with_remote_json_chapters(tmp_path: Path, server: str) -> None:
    library = Library(tmp_path / "lib")
    (o,) = import_sources(library, [f"{server}/feed.xml"])
    assert o.ok and o.episodes == 4
    radio = next(e for e in library.episodes().values() if e.title == "Radio Silence")
    assert radio.chapters_source == "json" and len(radio.chapters) == 5
    show = next(iter(library.shows().values()))
    assert show["feed_url"] == f"{server}/feed.xml" and show["etag"] == ETAG


def test_no_remote_chapters_fetches_no_chapter_file(tmp_path: Path, server: str) -> None:
    library = Library(tmp_path / "lib")
    import_sources(library, [f"{server}/feed.xml"], remote_chapters=False)
    assert all(not path.startswith("/chapters") for path, _ in Handler.hits)
    radio = next(e for e in library.episodes().values() if e.title == "Radio Silence")
    assert radio.chapters_source == "notes"


def test_redirect_is_followed(tmp_path: Path, server: str) -> None:
    library = Library(tmp_path / "lib")
    (o,) = import_sources(library, [f"{server}/moved"])
    assert o.ok and o.episodes == 4


def test_404_is_a_clear_error(tmp_path: Path, server: str) -> None:
    library = Library(tmp_path / "lib")
    (o,) = import_sources(library, [f"{server}/nothing-here.xml"])
    assert not o.ok and "HTTP 404" in o.message
    assert library.episodes() == {}


def test_slow_server_times_out(tmp_path: Path, server: str) -> None:
    library = Library(tmp_path / "lib")
    started = time.perf_counter()
    (o,) = import_sources(library, [f"{server}/slow"])
    assert not o.ok and "timed out" in o.message
    assert time.perf_counter() - started < 2.5


def test_download_over_the_size_limit_is_refused(tmp_path: Path, server: str) -> None:
    library = Library(tmp_path / "lib")
    (o,) = import_sources(library, [f"{server}/huge"])
    assert not o.ok and "limit" in o.message


def test_unreachable_host_is_a_clear_error(tmp_path: Path) -> None:
    library = Library(tmp_path / "lib")
    (o,) = import_sources(library, ["http://127.0.0.1:9/feed.xml"])
    assert not o.ok and "cannot connect" in o.message


def test_refresh_sends_the_etag_and_handles_304(tmp_path: Path, server: str) -> None:
    library = Library(tmp_path / "lib")
    import_sources(library, [f"{server}/feed.xml"])
    eid = next(iter(library.episodes()))
    library.mark([eid], listened=True)
    Handler.hits = []
    (o,) = refresh(library)
    assert o.ok and o.not_modified
    assert ("/feed.xml", ETAG) in Handler.hits
    assert library.state(eid).status == "listened"
