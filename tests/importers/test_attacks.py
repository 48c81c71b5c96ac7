"""Entity attacks are refused fast and cheaply, and nothing is stored."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from tests import feeds
from tests.feed_server import FeedServer
from tracker.importers.service import import_sources
from tracker.importers.xmlsafe import stream
from tracker.model.errors import ImportFailed
from tracker.model.library import Library

ATTACKS = {
    "billion laughs": feeds.BILLION_LAUGHS,
    "quadratic blowup": feeds.quadratic_blowup(),
    "external entity": feeds.EXTERNAL_ENTITY,
    "external dtd": feeds.EXTERNAL_DTD,
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_attack_is_refused_in_under_a_second_and_100_mb(tmp_path: Path, name: str) -> None:
    path = tmp_path / "attack.xml"
    path.write_bytes(ATTACKS[name])
    library = Library(tmp_path / "lib")
    tracemalloc.start()
    started = time.perf_counter()
    (o,) = import_sources(library, [str(path)])
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert not o.ok
    assert "refused" in o.message or "malformed" in o.message or "undefined entity" in o.message
    assert "root:" not in o.message  # nothing of /etc/passwd leaks
    assert elapsed < 1.0, f"{name} took {elapsed:.2f} s"
    assert peak < 100 * 1024 * 1024, f"{name} peaked at {peak / 1e6:.0f} MB"
    assert library.episodes() == {} and library.shows() == {}



ITEM = "<item><title>&a;</title><guid>1</guid></item>"
PLACED = {
    # the DOCTYPE after a declaration, a PI and comments: still the document's head
    "after comments": '<?xml version="1.0"?>\n<?style x?>\n<!-- a -->\n<!-- b -->\n'
                      '<!DOCTYPE rss [<!ENTITY a "SECRET">]>\n<rss><channel><title>T</title>' + ITEM + "</channel></rss>",
    # inside the root: the parser refuses it before reading what it declares
    "inside the root": '<rss><!DOCTYPE rss [<!ENTITY a "SECRET">]><channel><title>T</title>' + ITEM
                       + "</channel></rss>",
}


@pytest.mark.parametrize("name", sorted(PLACED))
def test_a_doctype_anywhere_declares_nothing(tmp_path: Path, name: str) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(PLACED[name])
    library = Library(tmp_path / "lib")
    (o,) = import_sources(library, [str(path)])
    assert not o.ok
    assert "refused" in o.message or "malformed" in o.message
    assert library.episodes() == {} and library.shows() == {}


def test_where_the_head_ends_is_unknown_the_whole_document_is_searched() -> None:
    # a head longer than the search for the root reads (detection turns such a document
    # away first; the parser's own check must not rely on it)
    doc = ("<!--" + "x" * 300_000 + '-->\n<!DOCTYPE rss [<!ENTITY a "SECRET">]>\n'
           "<rss><channel><title>T</title>" + ITEM + "</channel></rss>").encode()
    with pytest.raises(ImportFailed, match="refused"):
        stream(doc, ("rss", "channel"), "item", lambda el, names: el.findtext("title"))


# -- hangs and blow-ups from small inputs (issue 8): generous bounds, these check complexity -----
def timed(fn: object) -> float:
    started = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - started


def test_show_page_date_line_is_not_cubic(tmp_path: Path) -> None:
    # "May 1 •" then thousands of spaces and a letter: 52 s for 3 KB before.
    line = "May 1, 2024 •" + " " * 3000 + "x"
    path = tmp_path / "page.txt"
    path.write_text("Show\n\n" + "\n".join([line] * 100))
    library = Library(tmp_path / "lib")
    elapsed = timed(lambda: import_sources(library, [str(path)]))
    assert elapsed < 2, f"took {elapsed:.1f} s"


def test_title_first_chapters_are_not_quadratic(tmp_path: Path) -> None:
    # Ten episodes whose notes are 5 KB paragraphs starting "Guest: Jane Doe.": 33 s before.
    paragraph = "Guest: Jane Doe. " + "words and more words " * 250
    items = "".join(f"<item><title>E{i}</title><guid>g{i}</guid><description>{paragraph} {i}:00</description></item>"
                    for i in range(10))
    (tmp_path / "feed.xml").write_bytes(feeds.rss(items))
    elapsed = timed(lambda: import_sources(Library(tmp_path / "lib"), [str(tmp_path / "feed.xml")]))
    assert elapsed < 3, f"took {elapsed:.1f} s"


def test_stamp_chain_search_is_not_quadratic(tmp_path: Path) -> None:
    # 20 items of 3 KB packed with stamps (a 60 KB feed): 58 s before.
    stamps = " ".join(f"{m}:{s:02d} a" for m in range(0, 60) for s in range(0, 60, 7))[:3000]
    items = "".join(f"<item><title>E{i}</title><guid>g{i}</guid><description>{stamps}</description></item>"
                    for i in range(20))
    (tmp_path / "feed.xml").write_bytes(feeds.rss(items))
    library = Library(tmp_path / "lib")
    elapsed = timed(lambda: import_sources(library, [str(tmp_path / "feed.xml")]))
    assert elapsed < 3, f"took {elapsed:.1f} s"
    assert all(len(e.chapters) <= 500 for e in library.episodes().values())


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)
    library = Library(tmp_path / "lib")
    started = time.perf_counter()
    (o,) = import_sources(library, [str(fifo)])
    assert not o.ok and "not a regular file" in o.message
    assert time.perf_counter() - started < 2


def test_dev_zero_is_refused(tmp_path: Path) -> None:
    (o,) = import_sources(Library(tmp_path / "lib"), ["/dev/zero"])
    assert not o.ok and "not a regular file" in o.message


def test_a_file_over_the_cap_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_MAX_DOWNLOAD", "1000")
    (tmp_path / "big.xml").write_bytes(feeds.rss("<item><title>x</title></item>" * 100))
    (o,) = import_sources(Library(tmp_path / "lib"), [str(tmp_path / "big.xml")])
    assert not o.ok and "limit" in o.message


def test_a_big_chapters_file_linked_from_50_items_is_read_once(tmp_path: Path, server: FeedServer) -> None:
    # A 2 MB chapters file linked from 50 items: 17 s, 1.5 GB and a 125 MB library before.
    import json as _json

    chapters = [{"startTime": i, "title": f"Chapter {i} " + "x" * 20} for i in range(30_000)]
    body = _json.dumps({"version": "1.2.0", "chapters": chapters}).encode()
    assert 1.9e6 < len(body) < 2 * 1024 * 1024
    server.add("/big.json", body)
    items = "".join(f'<item><title>E{i}</title><guid>g{i}</guid><itunes:duration>99999</itunes:duration>'
                    f'<podcast:chapters url="{server.url("/big.json")}" type="application/json+chapters"/></item>'
                    for i in range(50))
    feed = server.add("/feed.xml", feeds.rss(items))
    library = Library(tmp_path / "lib")
    tracemalloc.start()
    started = time.perf_counter()
    (o,) = import_sources(library, [feed])
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert o.ok and o.episodes == 50
    assert server.hit_paths().count("/big.json") == 1
    assert all(len(e.chapters) == 500 for e in library.episodes().values())
    assert elapsed < 10, f"took {elapsed:.1f} s"
    assert peak < 400 * 1024 * 1024, f"peaked at {peak / 1e6:.0f} MB"
    size = sum(p.stat().st_size for p in (tmp_path / "lib").rglob("*.json"))
    assert size < 30 * 1024 * 1024, f"library is {size / 1e6:.0f} MB"


def test_fifty_items_sharing_one_guid_are_reported_not_merged(tmp_path: Path) -> None:
    items = "".join(f'<item><title>Part {i}</title><guid>same</guid>'
                    f'<enclosure url="https://x.example/{i}.mp3" type="audio/mpeg" length="1"/></item>'
                    for i in range(50))
    (tmp_path / "feed.xml").write_bytes(feeds.rss(items))
    library = Library(tmp_path / "lib")
    (o,) = import_sources(library, [str(tmp_path / "feed.xml")])
    assert o.ok and o.added == 50 and len(library.episodes()) == 50
    assert "49 items repeat another item's guid" in o.message


def test_lowercase_doctype_is_a_web_page(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_bytes(b"<!doctype html>\n<html><body>hi</body></html>")
    (o,) = import_sources(Library(tmp_path / "lib"), [str(tmp_path / "page.html")])
    assert not o.ok and "web page" in o.message


def test_an_unknown_encoding_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "f.xml").write_bytes(b'<?xml version="1.0" encoding="x-klingon"?><rss><channel/></rss>')
    (o,) = import_sources(Library(tmp_path / "lib"), [str(tmp_path / "f.xml")])
    assert not o.ok and "unknown text encoding" in o.message


def test_out_of_range_numbers_and_dates_become_unknown(tmp_path: Path) -> None:
    items = ("<item><title>A</title><guid>a</guid><itunes:duration>" + "9" * 400 + "</itunes:duration>"
             "<pubDate>Fri, 31 Dec 9999 23:59:59 +0000</pubDate></item>"
             "<item><title>B</title><guid>b</guid><pubDate>0001-01-01T00:00:00+05:00</pubDate></item>")
    (tmp_path / "f.xml").write_bytes(feeds.rss(items))
    library = Library(tmp_path / "lib")
    (o,) = import_sources(library, [str(tmp_path / "f.xml")])
    assert o.ok
    assert {(e.duration_s, e.published) for e in library.episodes().values()} == {(None, None)}


@pytest.mark.parametrize("start", ["9" * 400, "9" * 5000 + ":00:00", "1." + "9" * 5000])
def test_a_chapter_start_of_thousands_of_digits_is_dropped_not_a_crash(tmp_path: Path, start: str) -> None:
    items = ('<item><title>A</title><guid>a</guid><itunes:duration>600</itunes:duration><psc:chapters>'
             f'<psc:chapter start="0" title="One"/><psc:chapter start="{start}" title="Huge"/>'
             '<psc:chapter start="60" title="Two"/></psc:chapters></item>')
    (tmp_path / "f.xml").write_bytes(feeds.rss(items))
    library = Library(tmp_path / "lib")
    (o,) = import_sources(library, [str(tmp_path / "f.xml")])
    assert o.ok, o.message
    (episode,) = library.episodes().values()
    assert [c.title for c in episode.chapters] == ["One", "Two"]


def test_a_file_over_the_cap_says_how_big_and_what_lets_it_in(tmp_path: Path) -> None:
    """A 100k-episode library's own export is over the default cap; the refusal was
    '166835667 bytes is over the 104857600-byte limit', naming no way past it."""
    from tests.cli.support import one_line_error
    from tests.helpers import run_cli

    source = tmp_path / "big.xml"
    source.write_bytes(feeds.rss("<item><title>x</title><guid>x</guid></item>" + " " * 2**21))
    r = run_cli(tmp_path / "lib", "import", str(source), env={"TRACKER_MAX_DOWNLOAD": str(2**20)})
    err = one_line_error(r, 1)
    assert "is 2 MB, over the 1 MB limit (TRACKER_MAX_DOWNLOAD raises it)" in err, err
    assert run_cli(tmp_path / "lib", "import", str(source), env={"TRACKER_MAX_DOWNLOAD": str(2**22)}).returncode == 0


def test_one_item_sharing_a_guid_is_said_in_the_singular(tmp_path: Path) -> None:
    """'1 items repeat another item's guid', '1 duplicate items skipped'."""
    same = '<item><title>Twin</title><guid>same</guid><enclosure url="https://x.example/a.mp3" length="1"/></item>'
    items = same + same + '<item><title>Other</title><guid>same</guid></item>'
    (tmp_path / "feed.xml").write_bytes(feeds.rss(items))
    (o,) = import_sources(Library(tmp_path / "lib"), [str(tmp_path / "feed.xml")])
    assert "; 1 item repeats another item's guid (kept apart); 1 duplicate item skipped" in o.message, o.message


def test_a_run_of_brackets_before_the_stamps_is_not_quadratic() -> None:
    # Notes whose line opens with 48,000 "(" before "0:00 Intro 1:00 ...": each bracket
    # trimmed copied the rest, 0.35 s a description (a 30-item feed: 12 s) before.
    from tracker.chapters.notes import notes_chapters

    notes = "\U0001f600" + "(" * 48_000 + " 0:00 Intro 1:00 Topic two 2:00 Topic three"
    found: list[list[str]] = []
    elapsed = timed(lambda: found.extend([c.title for c in notes_chapters(notes)] for _ in range(20)))
    assert elapsed < 3, f"took {elapsed:.1f} s"
    assert found == [["Intro", "Topic two", "Topic three"]] * 20


def test_notes_sharing_a_long_footer_are_searched_in_linear_time() -> None:
    # 40 episodes whose notes end in the same 6,000-word footer (sponsors, links, credits):
    # its phrases are boilerplate, and each word of a last title was compared with every
    # one of them (2.5 s for the 40 before; a footer twice as long, four times that).
    from tracker.chapters.notes import notes_chapters, repeated_phrases

    footer = " ".join(f"w{i * 7919 % 10007}" for i in range(6000))
    notes = [f"0:00 Intro 5:00 Topic {k} 10:00 " + " ".join(f"v{k}x{i}" for i in range(300)) + f"\n{footer}"
             for k in range(40)]
    boilerplate = repeated_phrases(notes)
    assert len(boilerplate) > 5000
    found: list[int] = []
    elapsed = timed(lambda: found.extend(len(notes_chapters(text, None, boilerplate)) for text in notes))
    assert elapsed < 1.5, f"took {elapsed:.1f} s"
    assert found == [0] * 40  # (the last title runs on for 300 words: no chapters, as before)


def test_many_plays_of_one_episode_are_not_quadratic(tmp_path: Path) -> None:
    # A phone's years of one long audiobook, in 20,000 short plays: 10 s before (each play
    # merged all 2,000 spans again and summed them several times).
    import json as _json

    audio = "https://cdn.example.org/book.mp3"
    (tmp_path / "feed.xml").write_bytes(feeds.rss(
        f'<item><title>Book</title><guid>b</guid><itunes:duration>40000</itunes:duration>'
        f'<enclosure url="{audio}" length="1" type="audio/mpeg"/></item>'))
    library = Library(tmp_path / "lib")
    import_sources(library, [str(tmp_path / "feed.xml")])
    plays = [{"podcast": "https://x.example/feed", "episode": audio, "action": "play",
              "timestamp": f"2024-0{1 + i // 2500}-{1 + i // 100 % 25:02d}T{i % 24:02d}:{i % 60:02d}:00",
              "started": (i * 4.7) % 39000, "position": (i * 4.7) % 39000 + 2, "total": 40000} for i in range(20_000)]
    (tmp_path / "actions.json").write_text(_json.dumps(plays))
    elapsed = timed(lambda: import_sources(library, [str(tmp_path / "actions.json")]))
    (eid,) = library.episodes()
    state = library.state(eid)
    assert len(state.spans) == 2000 and state.status == "in_progress"
    assert elapsed < 5, f"took {elapsed:.1f} s"
