"""OPML lists: contained (a list from the network never reads this disk), no recursion,
each feed isolated, and an export that stays well-formed whatever the titles hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from xml.etree import ElementTree

from tests import feeds
from tests.feed_server import FeedServer
from tests.helpers import run_cli
from tracker.importers.opml import export_opml, parse_opml
from tracker.importers.service import import_sources
from tracker.model.catalog import merge_show
from tracker.model.library import Library

ITEM = "<item><title>Only</title><guid>only</guid></item>"


def test_a_local_list_may_name_files_beside_it_and_urls(tmp_path: Path, server: FeedServer) -> None:
    (tmp_path / "local.xml").write_bytes(feeds.rss(ITEM, title="Local Feed"))
    url = server.add("/remote.xml", feeds.rss(ITEM, title="Remote Feed"))
    (tmp_path / "subs.opml").write_bytes(feeds.opml("local.xml", url))
    library = Library(tmp_path / "lib")
    outcomes = import_sources(library, [str(tmp_path / "subs.opml")])
    assert [o.ok for o in outcomes] == [True, True, True]
    assert {s["title"] for s in library.shows().values()} == {"Local Feed", "Remote Feed"}


def test_remote_opml_reads_no_local_file(tmp_path: Path, server: FeedServer) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_bytes(feeds.rss(ITEM, title="Private Feed"))
    ok = server.add("/ok.xml", feeds.rss(ITEM, title="Public Feed"))
    opml = server.add("/subs.opml", feeds.opml(str(secret), f"file://{secret}", ok, "/dev/zero"))
    library = Library(tmp_path / "lib")
    outcomes = import_sources(library, [opml])
    refused = [o for o in outcomes if not o.ok]
    assert len(refused) == 3
    assert all("may name only http(s) feeds" in o.message for o in refused)
    assert {s["title"] for s in library.shows().values()} == {"Public Feed"}


def test_remote_opml_relative_entries_are_urls_on_its_server(tmp_path: Path, server: FeedServer) -> None:
    server.add("/lists/feed.xml", feeds.rss(ITEM, title="Beside The List"))
    opml = server.add("/lists/subs.opml", feeds.opml("feed.xml"))
    library = Library(tmp_path / "lib")
    assert all(o.ok for o in import_sources(library, [opml]))
    assert next(iter(library.shows().values()))["feed_url"] == server.url("/lists/feed.xml")


def test_an_opml_listing_itself_is_read_once(tmp_path: Path, server: FeedServer) -> None:
    url = server.url("/self.opml")
    server.add("/self.opml", feeds.opml(url, url))
    outcomes = import_sources(Library(tmp_path / "lib"), [url])
    assert server.hit_paths() == ["/self.opml"]
    assert outcomes[0].kind == "opml" and "skipped" in outcomes[1].message


def test_a_local_opml_listing_itself_does_not_recurse(tmp_path: Path) -> None:
    path = tmp_path / "loop.opml"
    path.write_bytes(feeds.opml("loop.opml", str(path)))
    outcomes = import_sources(Library(tmp_path / "lib"), [str(path)])
    assert len(outcomes) == 3 and all("skipped" in o.message for o in outcomes[1:])


def test_an_opml_inside_an_opml_is_not_followed(tmp_path: Path, server: FeedServer) -> None:
    inner = server.add("/inner.opml", feeds.opml(server.url("/never.xml")))
    outer = server.add("/outer.opml", feeds.opml(inner))
    outcomes = import_sources(Library(tmp_path / "lib"), [outer])
    assert not outcomes[1].ok and "OPML list inside an OPML list" in outcomes[1].message
    assert "/never.xml" not in server.hit_paths()


def test_one_bad_feed_is_one_failed_line(tmp_path: Path, server: FeedServer) -> None:
    urls = [server.add(f"/{n}.xml", feeds.rss(ITEM, title=f"Show {n}")) for n in range(3)]
    server.add("/bad.xml", b"<rss><channel><title>no end")
    opml = server.add("/subs.opml", feeds.opml(urls[0], server.url("/bad.xml"), urls[1], "ftp://x/feed", urls[2]))
    library = Library(tmp_path / "lib")
    outcomes = import_sources(library, [opml])
    assert [o.ok for o in outcomes] == [True, True, False, True, False, True]
    assert "only http(s) URLs and files" in outcomes[4].message
    assert len(library.shows()) == 3


def test_a_list_without_usable_feeds_says_why(tmp_path: Path) -> None:
    (tmp_path / "empty.opml").write_bytes(b"""<?xml version="1.0"?><opml version="2.0"><body>
        <outline text="Folder"><outline text="No URL here"/><outline text="Nor here" type="rss"/></outline>
        </body></opml>""")
    (o,) = import_sources(Library(tmp_path / "lib"), [str(tmp_path / "empty.opml")])
    assert not o.ok and o.message == "lists no feeds: its 2 entries have no xmlUrl"


def test_a_list_of_one_says_so_in_the_singular(tmp_path: Path) -> None:
    """"lists 1 feeds" and "its 1 entries have no xmlUrl" read wrong."""
    (tmp_path / "one.xml").write_bytes(feeds.rss(ITEM, title="One Feed"))
    (tmp_path / "one.opml").write_bytes(feeds.opml("one.xml"))
    listing, feed = import_sources(Library(tmp_path / "lib"), [str(tmp_path / "one.opml")])
    assert listing.message == "lists 1 feed" and feed.ok
    (tmp_path / "none.opml").write_bytes(b"""<?xml version="1.0"?><opml version="2.0"><body>
        <outline text="No URL here" type="rss"/></body></opml>""")
    (o,) = import_sources(Library(tmp_path / "lib"), [str(tmp_path / "none.opml")])
    assert not o.ok and o.message == "lists no feeds: its entry has no xmlUrl"


def test_export_is_well_formed_whatever_the_titles_hold(tmp_path: Path) -> None:
    library = Library(tmp_path / "lib")
    hostile = 'Q&A <"quotes"> \x01\x1b[2J\u202e \ud7ff'
    merge_show(library, "s1", {"title": hostile, "feed_url": "https://a.example/feed?x=1&y=2"}, {}, {})
    merge_show(library, "s2", {"title": "From a file", "self_url": "https://b.example/feed.xml"}, {}, {})
    merge_show(library, "s3", {"title": "Pasted page"}, {}, {})
    exported = export_opml(library.shows())
    text = exported.text
    assert exported.left_out == ["Pasted page"]
    root = ElementTree.fromstring(text.encode())  # well-formed, or this raises
    outlines = {o.get("text"): o for o in root.iter("outline")}
    assert outlines['Q&A <"quotes"> [2J \ud7ff'].get("xmlUrl") == "https://a.example/feed?x=1&y=2"
    assert outlines["From a file"].get("xmlUrl") == "https://b.example/feed.xml"
    assert "Pasted page" not in outlines  # (no feed address: left out, and said so)
    assert sorted(s.url for s in parse_opml(text.encode()).subscriptions) == [
        "https://a.example/feed?x=1&y=2", "https://b.example/feed.xml"]


def test_export_names_no_feed_url_that_is_not_a_web_address(tmp_path: Path) -> None:
    """A feed read from a file whose self link is relative ("feed.xml") was exported as
    xmlUrl="feed.xml": no app can fetch it, and importing the list back read (or failed
    to find) a file of that name beside it."""
    (tmp_path / "feed.xml").write_bytes(feeds.rss(ITEM, title="Relative Self").replace(
        b"<channel>", b'<channel><atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="self" href="other.xml"/>', 1))
    library = Library(tmp_path / "lib")
    import_sources(library, [str(tmp_path / "feed.xml")])
    (show,) = library.shows().values()
    assert show.get("self_url") == "other.xml"  # (as read: the premise of this test)
    root = ElementTree.fromstring(export_opml(library.shows()).text.encode())
    assert [o.get("xmlUrl") for o in root.iter("outline")] == []


def test_export_lists_subscriptions_only_not_shows_unsubscribed_from(tmp_path: Path) -> None:
    library = Library(tmp_path / "lib")
    merge_show(library, "s1", {"title": "Kept", "feed_url": "https://a.example/feed.xml"}, {}, {})
    merge_show(library, "s2", {"title": "Dropped", "feed_url": "https://b.example/feed.xml"}, {}, {})
    library.unsubscribe("s2")
    out = run_cli(library.folder, "export", "--format", "opml")
    assert out.returncode == 0, out.stderr
    assert [s.url for s in parse_opml(out.stdout.encode()).subscriptions] == ["https://a.example/feed.xml"]


def test_a_feed_that_breaks_the_parser_costs_only_its_own_line(tmp_path: Path, server: FeedServer,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever goes wrong inside one source (here a parser bug), the other feeds import."""
    from tracker.importers import parsers

    real = parsers.Parsers.understand

    def understand(self, read, many, alone=False):  # type: ignore[no-untyped-def]
        if read.raw and b"Show 1" in read.raw:
            raise OverflowError("int too large to convert")
        return real(self, read, many, alone)

    monkeypatch.setattr(parsers.Parsers, "understand", understand)
    urls = [server.add(f"/{n}.xml", feeds.rss(ITEM, title=f"Show {n}")) for n in range(3)]
    opml = server.add("/subs.opml", feeds.opml(*urls))
    library = Library(tmp_path / "lib")
    outcomes = import_sources(library, [opml])
    assert [o.ok for o in outcomes] == [True, True, False, True]
    assert "could not be read (OverflowError" in outcomes[2].message
    assert len(library.shows()) == 2


def test_a_list_of_exactly_the_most_feeds_is_read_and_one_more_refused() -> None:
    """10,000 feeds were refused as 'lists more than 10000 feeds'."""
    from tracker.importers.opml import MAX_OUTLINES
    from tracker.model.errors import ImportFailed

    def opml(n: int) -> bytes:
        body = "".join(f'<outline type="rss" text="F{i}" xmlUrl="https://x.example/{i}.xml"/>' for i in range(n))
        return f'<?xml version="1.0"?><opml version="2.0"><body>{body}</body></opml>'.encode()

    assert len(parse_opml(opml(MAX_OUTLINES)).subscriptions) == MAX_OUTLINES
    with pytest.raises(ImportFailed, match=f"more than {MAX_OUTLINES:,} feeds"):
        parse_opml(opml(MAX_OUTLINES + 1))


def test_a_hand_written_list_is_mended_as_a_feed_is() -> None:
    """A bare '&' in a title or a URL's query, or an HTML entity ('&eacute;'), made the
    whole list 'malformed XML', where a feed with the same slips is read."""
    raw = ('<?xml version="1.0"?><opml version="2.0"><body>'
           '<outline type="rss" text="Tom & Jerry" xmlUrl="https://x.example/feed?a=1&b=2"/>'
           '<outline type="rss" text="Caf&eacute;" xmlUrl="https://y.example/feed"/>'
           '</body></opml>').encode()
    subs = parse_opml(raw).subscriptions
    assert [(s.title, s.url) for s in subs] == [("Tom & Jerry", "https://x.example/feed?a=1&b=2"),
                                                ("Café", "https://y.example/feed")]


def test_an_opml_export_imports_back_though_some_shows_have_no_feed_address(tmp_path: Path,
                                                                            server: FeedServer) -> None:
    """Shows read from a file or a show page were written as outlines with no xmlUrl, and
    importing the export back failed (exit 1, "lists no feeds") when they were all it held.
    They are left out, said in one line, and the list (even one left empty) imports back."""
    from tests.helpers import SHOW_PAGE

    (tmp_path / "file.xml").write_bytes(feeds.rss(ITEM, title="From a File"))
    lib, out = tmp_path / "lib", tmp_path / "subs.opml"
    assert run_cli(lib, "import", str(tmp_path / "file.xml"), str(SHOW_PAGE)).returncode == 0
    r = run_cli(lib, "export", "--format", "opml", "-o", str(out))
    assert r.returncode == 0
    assert r.stderr.count("\n") == 1 and "left out 2 shows" in r.stderr and "no feed address" in r.stderr
    back = run_cli(tmp_path / "again", "import", str(out))
    assert back.returncode == 0, back.stdout + back.stderr

    url = server.add("/feed.xml", feeds.rss(ITEM, title="From the Web"))
    assert run_cli(lib, "import", url).returncode == 0
    assert run_cli(lib, "export", "--format", "opml", "-o", str(out)).returncode == 0
    back = run_cli(tmp_path / "again", "import", "--json", str(out))
    assert back.returncode == 0, back.stdout + back.stderr
    assert [s.url for s in parse_opml(out.read_bytes()).subscriptions] == [url]


def test_every_outline_with_an_xml_url_is_a_feed_whatever_its_type_or_spelling(tmp_path: Path) -> None:
    """``type="feed"``, ``type=" rss"`` and ``xmlURL`` were skipped, and a list of only those
    said 'it has no <outline> entries'; a plain ``url`` still needs a feed's type."""
    listing = parse_opml(b"""<?xml version="1.0"?><opml version="1.0"><body>
        <outline type="feed" text="Typed feed" xmlUrl="https://a.example/1.xml"/>
        <outline type=" RSS " text="Spaced type" xmlUrl="https://a.example/2.xml"/>
        <outline text="Capitals" xmlURL="https://a.example/3.xml"/>
        <outline type="link" text="Plain url" url="https://a.example/4.xml"/>
        <outline type="include" text="Another list" url="https://a.example/more.opml"/>
        </body></opml>""")
    assert [(s.title, s.url) for s in listing.subscriptions] == [
        ("Typed feed", "https://a.example/1.xml"), ("Spaced type", "https://a.example/2.xml"),
        ("Capitals", "https://a.example/3.xml"), ("Plain url", "https://a.example/4.xml")]
    assert listing.without_feed == 1
    (tmp_path / "include.opml").write_bytes(b"""<?xml version="1.0"?><opml version="2.0"><body>
        <outline type="include" text="Another list" url="https://a.example/more.opml"/></body></opml>""")
    (o,) = import_sources(Library(tmp_path / "lib"), [str(tmp_path / "include.opml")])
    assert not o.ok and o.message == "lists no feeds: its entry has no xmlUrl"


def test_a_list_in_a_namespace_is_read() -> None:
    """``<opml xmlns="http://opml.org/spec2">`` was taken for an OPML list by its root,
    then refused as 'not an OPML file'."""
    listing = parse_opml(b"""<?xml version="1.0"?><opml xmlns="http://opml.org/spec2" version="2.0"><body>
        <outline type="rss" text="Namespaced" xmlUrl="https://a.example/ns.xml"/></body></opml>""")
    assert [(s.title, s.url) for s in listing.subscriptions] == [("Namespaced", "https://a.example/ns.xml")]


def test_an_opml_entry_given_as_a_subscribe_link_is_its_feed(tmp_path: Path, server: FeedServer) -> None:
    url = server.add("/a.xml", feeds.rss(ITEM, title="Show A"))
    opml = server.add("/subs.opml", feeds.opml("itpc://" + url.removeprefix("http://")))
    library = Library(tmp_path / "lib")
    outcomes = import_sources(library, [opml])
    assert [o.ok for o in outcomes] == [True, True]
    assert [s["feed_url"] for s in library.shows().values()] == [url]
