"""URL imports against a real HTTP server on 127.0.0.1: redirects, errors, time-outs, limits, 304."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests import feeds
from tests.feed_server import FeedServer
from tracker.importers.service import import_sources, refresh
from tracker.model.library import Library

FEED = feeds.rss(feeds.ITEMS.replace('url="chapters/002.json"', 'url="/chapters/002.json"'))
ETAG = '"v1"'


def serve_feed(server: FeedServer) -> str:
    server.add("/chapters/002.json", feeds.CHAPTERS_002)
    return server.add("/feed.xml", FEED, etag=ETAG)


def test_url_feed_with_remote_json_chapters(tmp_path: Path, server: FeedServer) -> None:
    library = Library(tmp_path / "lib")
    (o,) = import_sources(library, [serve_feed(server)])
    assert o.ok and o.episodes == 4
    radio = next(e for e in library.episodes().values() if e.title == "Radio Silence")
    assert radio.chapters_source == "json" and len(radio.chapters) == 5
    show = next(iter(library.shows().values()))
    assert show["feed_url"] == server.url("/feed.xml") and show["etag"] == ETAG


def test_no_remote_chapters_fetches_no_chapter_file(tmp_path: Path, server: FeedServer) -> None:
    library = Library(tmp_path / "lib")
    import_sources(library, [serve_feed(server)], remote_chapters=False)
    assert not any(path.startswith("/chapters") for path in server.hit_paths())
    radio = next(e for e in library.episodes().values() if e.title == "Radio Silence")
    assert radio.chapters_source == "notes"


def test_redirect_is_followed_and_links_resolve_where_it_led(tmp_path: Path, server: FeedServer) -> None:
    serve_feed(server)
    server.redirect("/moved", "/feed.xml")
    library = Library(tmp_path / "lib")
    (o,) = import_sources(library, [server.url("/moved")])
    assert o.ok and o.episodes == 4
    radio = next(e for e in library.episodes().values() if e.title == "Radio Silence")
    assert radio.chapters_source == "json"


def test_redirect_to_ftp_is_not_followed(tmp_path: Path, server: FeedServer) -> None:
    server.redirect("/to-ftp", "ftp://127.0.0.1/feed.xml")
    library = Library(tmp_path / "lib")
    (o,) = import_sources(library, [server.url("/to-ftp")])
    assert not o.ok and "only http(s)" in o.message and "ftp://" in o.message


def test_404_is_a_clear_error_naming_the_url_once(tmp_path: Path, server: FeedServer) -> None:
    library = Library(tmp_path / "lib")
    url = server.url("/nothing-here.xml")
    (o,) = import_sources(library, [url])
    assert not o.ok and o.message == "HTTP 404 Not Found"
    assert o.source == url and url not in o.message
    assert library.episodes() == {}


def test_hostile_reason_phrase_reaches_no_terminal(tmp_path: Path, server: FeedServer) -> None:
    server.add("/evil", b"", status=500, reason="\x1b]0;owned\x07\x1b[2J Broken")
    library = Library(tmp_path / "lib")
    (o,) = import_sources(library, [server.url("/evil")])
    assert not o.ok and o.message.startswith("HTTP 500") and "Broken" in o.message
    assert "\x1b" not in o.message and "\x07" not in o.message


def test_slow_server_times_out(tmp_path: Path, server: FeedServer) -> None:
    server.add("/slow", FEED, delay=3)
    library = Library(tmp_path / "lib")
    started = time.monotonic()
    (o,) = import_sources(library, [server.url("/slow")])
    assert not o.ok and "timed out" in o.message
    assert time.monotonic() - started < 2.5


def test_slow_drip_cannot_outlast_the_deadline(tmp_path: Path, server: FeedServer) -> None:
    # One byte every 0.1 s never leaves the socket silent for the 0.5 s time-out; the
    # whole download still ends at three times it.
    server.add("/drip", FEED, drip=0.1)
    library = Library(tmp_path / "lib")
    started = time.monotonic()
    (o,) = import_sources(library, [server.url("/drip")])
    elapsed = time.monotonic() - started
    assert not o.ok and "timed out" in o.message
    assert elapsed < 5, f"the drip held the import for {elapsed:.1f} s"


def test_download_over_the_size_limit_is_refused(tmp_path: Path, server: FeedServer) -> None:
    server.add("/huge", b"", content_length=10**12)
    library = Library(tmp_path / "lib")
    (o,) = import_sources(library, [server.url("/huge")])
    assert not o.ok and "limit" in o.message


def test_a_declared_length_in_digits_int_refuses_is_ignored(tmp_path: Path, server: FeedServer) -> None:
    # "Content-Length: ²" passes str.isdigit(); the body, ended by the closed connection, is read
    server.add("/odd", FEED, content_length="\u00b2", headers={"Connection": "close"})
    library = Library(tmp_path / "lib")
    (o,) = import_sources(library, [server.url("/odd")], remote_chapters=False)
    assert o.ok and o.episodes == 4, o.message


@pytest.mark.parametrize("url", ["https://", "http:///feed.xml", "https://:443/feed.xml"])
def test_an_address_that_names_no_server_says_so(tmp_path: Path, url: str) -> None:
    (o,) = import_sources(Library(tmp_path / "lib"), [url])
    assert not o.ok and "names no server" in o.message and "redirected" not in o.message, o.message


def test_gzip_body_is_read(tmp_path: Path, server: FeedServer) -> None:
    import gzip

    server.add("/gz", gzip.compress(FEED), headers={"Content-Encoding": "gzip"})
    library = Library(tmp_path / "lib")
    (o,) = import_sources(library, [server.url("/gz")], remote_chapters=False)
    assert o.ok and o.episodes == 4


def test_gzip_bomb_stops_at_the_limit(tmp_path: Path, server: FeedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    import gzip

    monkeypatch.setenv("TRACKER_MAX_DOWNLOAD", "1000000")
    server.add("/bomb", gzip.compress(b"<" * 50_000_000), headers={"Content-Encoding": "gzip"})
    library = Library(tmp_path / "lib")
    (o,) = import_sources(library, [server.url("/bomb")])
    assert not o.ok and "limit" in o.message


def test_unreachable_host_is_a_clear_error(tmp_path: Path) -> None:
    library = Library(tmp_path / "lib")
    (o,) = import_sources(library, ["http://127.0.0.1:9/feed.xml"])
    assert not o.ok and "cannot connect" in o.message


def test_refresh_sends_the_etag_and_handles_304(tmp_path: Path, server: FeedServer) -> None:
    library = Library(tmp_path / "lib")
    import_sources(library, [serve_feed(server)])
    eid = next(iter(library.episodes()))
    library.mark([eid], listened=True)
    server.hits.clear()
    (o,) = refresh(library)
    assert o.ok and o.not_modified and o.show == "Night Shift Radio"
    assert [(p, h.get("If-None-Match")) for p, h in server.hits] == [("/feed.xml", ETAG)]
    assert library.state(eid).status == "listened"


@pytest.mark.parametrize("value", ["inf", "nan", "-3", "0", "soon"])
def test_bad_timeout_setting_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    from tracker.model.errors import UsageError

    monkeypatch.setenv("TRACKER_HTTP_TIMEOUT", value)
    with pytest.raises(UsageError) as err:
        import_sources(Library(tmp_path / "lib"), ["http://127.0.0.1:9/feed.xml"])
    assert "TRACKER_HTTP_TIMEOUT" in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("value", ["inf", "nan", "-1"])
def test_bad_download_cap_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    from tracker.model.errors import UsageError

    monkeypatch.setenv("TRACKER_MAX_DOWNLOAD", value)
    with pytest.raises(UsageError, match="TRACKER_MAX_DOWNLOAD"):
        import_sources(Library(tmp_path / "lib"), ["http://127.0.0.1:9/feed.xml"])


@pytest.mark.parametrize("unread", ["server error", "no remote chapters"])
def test_a_refresh_that_cannot_read_the_chapters_file_keeps_the_chapters(
        tmp_path: Path, server: FeedServer, unread: str) -> None:
    # The feed changed (a new episode) while its chapters file could not be read: every
    # episode's JSON chapters were replaced by the notes' guess, or by none, marks and all.
    library = Library(tmp_path / "lib")
    import_sources(library, [serve_feed(server)])
    radio = next(e for e in library.episodes().values() if e.title == "Radio Silence")
    library.mark_chapter(radio.id, 5, "done")
    server.add("/feed.xml", FEED.replace(b"<item>", b"<item><title>Brand new</title><guid>new-1</guid></item><item>", 1),
               etag='"v2"')
    if unread == "server error":
        server.add("/chapters/002.json", b"busy", status=503)
    (o,) = refresh(library, remote_chapters=unread != "no remote chapters")
    assert o.ok and o.added == 1
    again = library.episode(radio.id)
    assert again.chapters_source == "json" and again.chapters == radio.chapters
    assert library.chapter_states(radio.id)[4] == "done"


def _import_with_chapters(tmp_path: Path, server: FeedServer, body: bytes) -> Library:
    server.add("/chapters/002.json", body.replace(b"]}", b', {"startTime": 300, "title": "More"}, '
                                                      b'{"startTime": 600, "title": "Most"}]}'))
    library = Library(tmp_path / "lib")
    (o,) = import_sources(library, [server.add("/feed.xml", FEED)])
    assert o.ok, o.message
    return library


def test_a_json_chapter_start_of_400_digits_drops_only_its_chapter(tmp_path: Path, server: FeedServer) -> None:
    # A whole number too large for a float (valid JSON) made the whole feed fail to import
    # ("could not be read (OverflowError ...)"): four episodes lost for one chapter's typo.
    huge = "9" * 400
    body = ('{"chapters": [{"startTime": 0, "title": "Intro"}, '
            f'{{"startTime": {huge}, "title": "Broken"}}, {{"startTime": 60, "title": "Main", "endTime": {huge}}}]}}')
    library = _import_with_chapters(tmp_path, server, body.encode())
    radio = next(e for e in library.episodes().values() if e.title == "Radio Silence")
    assert [(c.title, c.start_s) for c in radio.chapters] == [("Intro", 0), ("Main", 60), ("More", 300), ("Most", 600)]


def test_a_json_chapter_title_with_half_an_emoji_imports(tmp_path: Path, server: FeedServer) -> None:
    # A title cut inside an emoji by a JavaScript tool (UTF-16 strings) is written as a
    # lone surrogate escape, "\ud83d". The import crashed with a traceback saving it.
    body = b'{"chapters": [{"startTime": 0, "title": "Intro \\ud83d"}, {"startTime": 60, "title": "Main"}]}'
    library = _import_with_chapters(tmp_path, server, body)
    radio = next(e for e in library.episodes().values() if e.title == "Radio Silence")
    assert [(c.title, c.start_s) for c in radio.chapters] == [("Intro", 0), ("Main", 60), ("More", 300), ("Most", 600)]


@pytest.mark.parametrize("unread", ["server error", "no remote chapters"])
def test_a_chapters_file_not_read_at_import_is_read_by_the_next_refresh(
        tmp_path: Path, server: FeedServer, unread: str) -> None:
    # The chapters server was down at import (or --no-remote-chapters): the feed's ETag was
    # kept, so every later refresh heard "not modified" and the file was never tried again;
    # the episode kept the notes' guess for good.
    if unread == "server error":
        server.add("/chapters/002.json", b"busy", status=503)
    else:
        server.add("/chapters/002.json", feeds.CHAPTERS_002)
    library = Library(tmp_path / "lib")
    import_sources(library, [server.add("/feed.xml", FEED, etag=ETAG)], remote_chapters=unread != "no remote chapters")
    radio = next(e for e in library.episodes().values() if e.title == "Radio Silence")
    assert radio.chapters_source == "notes"
    server.add("/chapters/002.json", feeds.CHAPTERS_002)
    (o,) = refresh(library)
    assert o.ok
    assert library.episode(radio.id).chapters_source == "json"
    (o,) = refresh(library)  # read now: the next refresh asks "changed?" again
    assert o.not_modified


@pytest.mark.parametrize("body, status", [(b"gone", 404), (b"<html>not chapters</html>", 200), (b" " * 2_200_000, 200)])
def test_a_chapters_file_another_try_would_not_mend_keeps_the_feed_s_etag(
        tmp_path: Path, server: FeedServer, body: bytes, status: int) -> None:
    # Only a passing failure makes the next refresh read the feed whole: a missing, too
    # large or non-JSON file would have cost a full download of the feed every time.
    server.add("/chapters/002.json", body, status=status)
    library = Library(tmp_path / "lib")
    import_sources(library, [server.add("/feed.xml", FEED, etag=ETAG)])
    (o,) = refresh(library)
    assert o.not_modified
