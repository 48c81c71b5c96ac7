"""A show is its feed URL (or podcast:guid), a file's path, and its title only where
nothing else names it; renames keep ids and progress; old libraries keep their ids."""

from __future__ import annotations

import io
from pathlib import Path

from tests import feeds
from tests.feed_server import FeedServer
from tracker.importers.records import episode_id, short_hash, show_id
from tracker.importers.service import import_sources, refresh
from tracker.model.catalog import merge_show
from tracker.model.library import Library

ITEM = "<item><title>Pilot</title><guid>pilot</guid><itunes:duration>1200</itunes:duration></item>"


def test_two_feeds_with_the_same_title_stay_two_shows(tmp_path: Path, server: FeedServer) -> None:
    a = server.add("/a.xml", feeds.rss(ITEM, title="Podcast"))
    b = server.add("/b.xml", feeds.rss(ITEM, title="Podcast"))
    library = Library(tmp_path / "lib")
    import_sources(library, [a, b])
    assert sorted(s["feed_url"] for s in library.shows().values()) == [a, b]
    assert len(library.episodes()) == 2


def test_two_files_with_the_same_title_stay_two_shows(tmp_path: Path) -> None:
    for name in ("one.xml", "two.xml"):
        (tmp_path / name).write_bytes(feeds.rss(ITEM, title="Podcast"))
    library = Library(tmp_path / "lib")
    import_sources(library, [str(tmp_path / "one.xml"), str(tmp_path / "two.xml")])
    assert len(library.shows()) == 2 and len(library.episodes()) == 2


def test_a_renamed_show_keeps_its_id_episodes_and_progress(tmp_path: Path, server: FeedServer) -> None:
    url = server.add("/feed.xml", feeds.rss(ITEM, title="Old Name"))
    library = Library(tmp_path / "lib")
    import_sources(library, [url])
    (sid,) = library.shows()
    (eid,) = library.episodes()
    library.report_progress(eid, 300)
    server.add("/feed.xml", feeds.rss(ITEM, title="New Name"))
    (o,) = refresh(library)
    assert o.ok and o.added == 0
    assert list(library.shows()) == [sid] and library.shows()[sid]["title"] == "New Name"
    assert list(library.episodes()) == [eid] and library.state(eid).position_s == 300
    server.hits.clear()
    refresh(library)
    assert server.hit_paths() == ["/feed.xml"]  # one show, one fetch


def test_a_show_that_moved_is_found_by_its_podcast_guid(tmp_path: Path, server: FeedServer) -> None:
    guid = '<podcast:guid>7a3e6a2c-0000-5000-8000-000000000001</podcast:guid>'
    old = server.add("/old.xml", feeds.rss(guid + ITEM, title="Mover"))
    new = server.add("/new.xml", feeds.rss(guid + ITEM, title="Mover"))
    library = Library(tmp_path / "lib")
    import_sources(library, [old])
    import_sources(library, [new])
    assert len(library.shows()) == 1 and len(library.episodes()) == 1


def test_a_show_that_announced_its_new_feed_url_is_found_there(tmp_path: Path, server: FeedServer) -> None:
    """A feed that said where it was moving (itunes:new-feed-url), imported at that new
    address (once the old one stopped answering), became a second show: every episode
    twice, the ones heard shown new. It is the same show, now refreshed at the new URL."""
    new = server.url("/new.xml")
    moving = f"<itunes:new-feed-url>{new}</itunes:new-feed-url>"
    old = server.add("/old.xml", feeds.rss(moving + ITEM, title="Mover"))
    library = Library(tmp_path / "lib")
    import_sources(library, [old])
    (sid,) = library.shows()
    (eid,) = library.episodes()
    library.report_progress(eid, 300)
    server.add("/old.xml", b"gone", status=404)
    server.add("/new.xml", feeds.rss(ITEM + ITEM.replace("pilot", "second").replace("Pilot", "Second"), title="Mover"))
    (o,) = import_sources(library, [new])
    assert o.ok and (o.added, o.episodes) == (1, 2)
    assert list(library.shows()) == [sid] and library.shows()[sid]["feed_url"] == new
    assert len(library.episodes()) == 2 and library.state(eid).position_s == 300
    server.hits.clear()
    (again,) = refresh(library)
    assert again.ok and server.hit_paths() == ["/new.xml"]


def test_a_refresh_follows_a_feed_to_the_address_it_said_it_moved_to(tmp_path: Path, server: FeedServer) -> None:
    """A feed that announced its move (itunes:new-feed-url) was still fetched at the old
    address by every refresh, until that address died and the show stopped updating
    with no word of where it went. The next refresh reads it at its new address."""
    new = server.url("/new.xml")
    old = server.add("/old.xml", feeds.rss(f"<itunes:new-feed-url>{new}</itunes:new-feed-url>" + ITEM, title="Mover"),
                     etag='"old"')
    library = Library(tmp_path / "lib")
    import_sources(library, [old])
    (sid,) = library.shows()
    (eid,) = library.episodes()
    library.report_progress(eid, 300)
    server.add("/new.xml", feeds.rss(ITEM + ITEM.replace("pilot", "second").replace("Pilot", "Second"), title="Mover"))
    server.hits.clear()
    (o,) = refresh(library)
    assert o.ok and o.source == new and (o.added, o.episodes) == (1, 2)
    assert server.hit_paths() == ["/new.xml"] and "If-None-Match" not in server.hits[0][1]
    assert list(library.shows()) == [sid] and library.shows()[sid]["feed_url"] == new
    assert library.state(eid).position_s == 300
    server.hits.clear()
    refresh(library)
    assert server.hit_paths() == ["/new.xml"]


def test_a_feed_that_names_a_new_address_giving_no_feed_is_still_read_where_it_is(tmp_path: Path,
                                                                                  server: FeedServer) -> None:
    page = server.add("/site", b"<!DOCTYPE html><html><body>Our show</body></html>")
    old = server.add("/old.xml", feeds.rss(f"<itunes:new-feed-url>{page}</itunes:new-feed-url>" + ITEM, title="Stays"))
    library = Library(tmp_path / "lib")
    import_sources(library, [old])
    server.add("/old.xml", feeds.rss(f"<itunes:new-feed-url>{page}</itunes:new-feed-url>" + ITEM
                                     + ITEM.replace("pilot", "second"), title="Stays"))
    steps: list[object] = []
    outcomes = refresh(library, progress=steps.append)
    assert [(o.source, o.ok, o.added) for o in outcomes] == [(old, True, 1)]
    assert [s.line() for s in steps] == ["[1/1] Stays"]  # type: ignore[attr-defined]
    assert [s["feed_url"] for s in library.shows().values()] == [old]


def test_a_show_living_at_a_url_another_said_it_moved_to_stays_itself(tmp_path: Path, server: FeedServer) -> None:
    b = server.url("/b.xml")
    a = server.add("/a.xml", feeds.rss(f"<itunes:new-feed-url>{b}</itunes:new-feed-url>" + ITEM, title="A"))
    server.add("/b.xml", feeds.rss(ITEM.replace("pilot", "b-1"), title="B"))
    library = Library(tmp_path / "lib")
    import_sources(library, [b])
    import_sources(library, [a])
    refresh(library)
    assert sorted(s["title"] for s in library.shows().values()) == ["A", "B"] and len(library.episodes()) == 2


def _item(guid: str | None, title: str, audio: str, date: str = "Mon, 06 May 2024 09:30:00 GMT") -> str:
    named = f"<guid>{guid}</guid>" if guid else ""
    return (f"<item><title>{title}</title>{named}<pubDate>{date}</pubDate>"
            f'<enclosure url="{audio}" length="1" type="audio/mpeg"/></item>')


def test_an_episode_whose_guid_a_host_migration_changed_stays_one_episode(tmp_path: Path, server: FeedServer) -> None:
    """A show moved host (or its guids went from http:// to https://, or gained guids):
    the same enclosure under a new guid became a second episode, shown new beside the one
    heard, the queue on the old copy. It is the same episode, keeping its id and state;
    a new episode sharing an old one's audio (a re-post) under another title stays apart."""
    url = server.add("/feed.xml", feeds.rss(_item("http://x/?p=1", "One", "https://cdn/1.mp3")
                                            + _item(None, "Two", "https://cdn/2.mp3")))
    library = Library(tmp_path / "lib")
    import_sources(library, [url])
    ids = {e.title: eid for eid, e in library.episodes().items()}
    library.mark_listened([ids["One"]])
    library.report_progress(ids["Two"], 120)
    moved = (_item("https://x/?p=1", "One", "https://cdn/1.mp3") + _item("two-guid", "Two", "https://cdn/2.mp3")
             + _item("trailer", "Trailer again", "https://cdn/1.mp3", "Tue, 07 May 2024 09:30:00 GMT"))
    server.add("/feed.xml", feeds.rss(moved))
    (o,) = refresh(library)
    assert (o.added, o.updated) == (1, 2)
    after = {e.title: eid for eid, e in library.episodes().items()}
    assert after == {**ids, "Trailer again": after["Trailer again"]}
    assert library.state(ids["One"]).status == "listened" and library.state(ids["Two"]).position_s == 120
    assert library.episode(ids["One"]).guid == "https://x/?p=1"
    server.add("/feed.xml", feeds.rss(moved.replace("https://cdn/2.mp3", "https://new-cdn/2.mp3")))
    (again,) = refresh(library)
    assert (again.added, again.updated, again.episodes) == (0, 1, 3) and len(library.episodes()) == 3


def test_items_sharing_one_guid_keep_their_state_when_a_new_one_is_published(tmp_path: Path,
                                                                           server: FeedServer) -> None:
    """A feed whose items all carry one guid (the show's address): the newest item took
    the guid's id, so each new episode took over the previous newest one's id and state.
    The new episode showed listened, the one heard showed new. Each keeps its own now,
    the item that held the guid alone (or in a library made before) included."""
    same = "https://show.example/"
    one = _item(same, "One", "https://cdn/1.mp3")
    two = _item(same, "Two", "https://cdn/2.mp3", "Tue, 07 May 2024 09:30:00 GMT")
    three = _item(same, "Three", "https://cdn/3.mp3", "Wed, 08 May 2024 09:30:00 GMT")
    url = server.add("/feed.xml", feeds.rss(two))
    library = Library(tmp_path / "lib")
    import_sources(library, [url])
    (heard,) = library.episodes()
    library.mark_listened([heard])
    server.add("/feed.xml", feeds.rss(two + one))
    refresh(library)
    ids = {e.title: eid for eid, e in library.episodes().items()}
    assert ids["Two"] == heard
    server.add("/feed.xml", feeds.rss(three + two + one))
    (o,) = refresh(library)
    assert o.added == 1 and "2 items repeat another item's guid" in o.message
    status = {e.title: library.state(eid).status for eid, e in library.episodes().items()}
    assert status == {"Three": "new", "Two": "listened", "One": "new"}
    assert {e.title: eid for eid, e in library.episodes().items() if e.title != "Three"} == ids


def test_an_episode_whose_address_and_guid_both_changed_stays_one_by_title_and_date(
        tmp_path: Path, server: FeedServer) -> None:
    """A feed without guids whose enclosures gained a measurement prefix (Podtrac and the
    like come and go), or a host move that changed guid and address at once: every
    episode came again as new beside the one heard. The same title on the same date is
    the same episode; another title that day is not."""
    url = server.add("/feed.xml", feeds.rss(_item(None, "One", "https://cdn/1.mp3")))
    library = Library(tmp_path / "lib")
    import_sources(library, [url])
    (eid,) = library.episodes()
    library.report_progress(eid, 90)
    server.add("/feed.xml", feeds.rss(_item(None, "One", "https://dts.podtrac.com/redirect.mp3/cdn/1.mp3")
                                      + _item("other", "Another that day", "https://cdn/2.mp3")))
    (o,) = refresh(library)
    assert (o.added, o.updated) == (1, 1)
    assert library.episode(eid).audio_url == "https://dts.podtrac.com/redirect.mp3/cdn/1.mp3"
    assert library.state(eid).position_s == 90 and len(library.episodes()) == 2


def test_a_pasted_show_page_is_known_by_its_title(tmp_path: Path) -> None:
    page = "Paste Show\n\nHost\nundefined\nMay 7, 2024 • 29min\n\nFirst\n\nWords.\n"
    library = Library(tmp_path / "lib")
    (tmp_path / "page.txt").write_text(page)
    import_sources(library, [str(tmp_path / "page.txt")])
    import io

    import_sources(library, ["-"], stdin=io.BytesIO(page.encode()))
    assert list(library.shows()) == [show_id("Paste Show")] and len(library.episodes()) == 1


def legacy_library(folder: Path, url: str | None, title: str = "Legacy Show") -> tuple[Library, str, str]:
    """A library as the previous version wrote it: the show's id a hash of its title."""
    library = Library(folder)
    sid = show_id(title)
    eid = short_hash(sid + "\x00" + "guid:pilot")
    doc = {"show_id": sid, "title": "Pilot", "published": None, "duration_s": 1200, "guid": "pilot",
           "audio_url": None, "link": None, "season": None, "number": None, "chapters": [], "chapters_source": None}
    merge_show(library, sid, {"title": title, "kind": "rss", "feed_url": url, "source": url or "legacy.xml"},
               {eid: doc}, {eid: ""})
    library.report_progress(eid, 400)
    return library, sid, eid


def test_an_old_library_keeps_its_ids_when_refreshed_and_renamed(tmp_path: Path, server: FeedServer) -> None:
    url = server.add("/feed.xml", feeds.rss(ITEM, title="Renamed Since"))
    library, sid, eid = legacy_library(tmp_path / "lib", url)
    (o,) = refresh(library)
    assert o.ok and o.added == 0
    assert list(library.shows()) == [sid] and library.shows()[sid]["key"] == f"url:{url}"
    assert list(library.episodes()) == [eid] and library.state(eid).position_s == 400


def test_an_old_file_show_is_adopted_by_its_title(tmp_path: Path) -> None:
    library, sid, eid = legacy_library(tmp_path / "lib", None)
    (tmp_path / "legacy.xml").write_bytes(feeds.rss(ITEM, title="Legacy Show"))
    (o,) = import_sources(library, [str(tmp_path / "legacy.xml")])
    assert o.ok and o.added == 0
    assert list(library.shows()) == [sid] and library.shows()[sid]["key"].startswith("file:")
    assert list(library.episodes()) == [eid]


def test_an_old_show_of_another_url_is_not_taken_over(tmp_path: Path, server: FeedServer) -> None:
    other = server.add("/other.xml", feeds.rss(ITEM, title="Legacy Show"))
    library, sid, eid = legacy_library(tmp_path / "lib", "https://elsewhere.example/feed.xml")
    import_sources(library, [other])
    assert len(library.shows()) == 2 and len(library.episodes()) == 2
    assert library.state(eid).position_s == 400


def test_untitled_feeds_are_named_after_their_url_or_file(tmp_path: Path, server: FeedServer) -> None:
    body = feeds.rss(ITEM).replace(b"<title>Night Shift Radio</title>", b"")
    url = server.add("/untitled.xml", body)
    (tmp_path / "nameless.xml").write_bytes(body)
    library = Library(tmp_path / "lib")
    outcomes = import_sources(library, [url, str(tmp_path / "nameless.xml")])
    assert [o.show for o in outcomes] == [url, "nameless.xml"]
    assert len(library.shows()) == 2


def test_episode_ids_follow_the_show_id() -> None:
    from tracker.importers.records import FeedEpisode

    ep = FeedEpisode(title="x", guid="g")
    assert episode_id("a", ep) != episode_id("b", ep)


def test_items_that_all_give_one_enclosure_each_keep_their_own_episode_when_guids_change() -> None:
    """A feed whose every item encloses one placeholder file, guids all changed: each item
    is its own stored episode again, found by that audio and its title or date (looked up,
    so 3,000 such items are not 9 million comparisons)."""
    from tracker.importers.identity import moved_episodes
    from tracker.model.catalog import ShowUpdate

    n = 3000
    orphans = {f"old{i:04d}": {"title": f"Episode {i}", "published": None if i % 2 else f"2024-01-{1 + i % 28:02d}",
                               "audio_url": "https://cdn/placeholder.mp3", "guid": f"g{i}"} for i in range(n)}
    listings = {f"new{i:04d}": {"show_id": "s", "title": f"Episode {i}" if i % 3 else f"Renamed {i}",
                                "published": orphans[f"old{i:04d}"]["published"], "duration_s": None}
                for i in reversed(range(n))}
    details = {eid: {"guid": f"h{eid}", "audio_url": "https://cdn/placeholder.mp3"} for eid in listings}
    update = ShowUpdate("s", {}, listings, {eid: "" for eid in listings}, details)
    moved = moved_episodes(update, list(listings), orphans)
    for i in range(n):
        title = listings[f"new{i:04d}"]["title"]
        got = next(eid for eid, doc in moved.episodes.items() if doc["title"] == title)
        if i % 3:  # the same title: its own episode
            assert got == f"old{i:04d}", (i, got)
        elif not i % 2:  # renamed, but dated: the first free episode of that audio and date
            assert got.startswith("old") and orphans[got]["published"] == listings[f"new{i:04d}"]["published"]
        else:  # renamed and undated: nothing ties it to an old one
            assert got == f"new{i:04d}"


def test_a_feed_piped_in_is_the_show_its_self_link_names(tmp_path: Path, server: FeedServer) -> None:
    """``curl URL | tracker import -`` after ``tracker import URL`` made a second show:
    standard input names no feed, so the show was known by its title, every episode
    twice. The feed's ``atom:link rel="self"`` says where it lives: the same show, and a
    show first read from standard input is refreshed there."""
    url = server.url("/feed.xml")
    own = f'<atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="self" href="{url}"/>'
    body = feeds.rss(own + ITEM, title="Piped")
    server.add("/feed.xml", body)
    library = Library(tmp_path / "lib")
    import_sources(library, [url])
    library.report_progress(next(iter(library.episodes())), 300)
    (o,) = import_sources(library, ["-"], stdin=io.BytesIO(body))
    assert o.ok and o.added == 0
    assert len(library.shows()) == 1 and len(library.episodes()) == 1
    assert next(iter(library.shows().values()))["feed_url"] == url

    fresh = Library(tmp_path / "fresh")
    import_sources(fresh, ["-"], stdin=io.BytesIO(body))
    assert [s.get("feed_url") for s in fresh.shows().values()] == [url]
    server.hits.clear()
    (o,) = refresh(fresh)
    assert o.ok and server.hit_paths() == ["/feed.xml"]
    import_sources(fresh, [url])
    assert len(fresh.shows()) == 1 and len(fresh.episodes()) == 1


def test_a_feed_permanently_redirected_is_one_show_at_either_address(tmp_path: Path, server: FeedServer) -> None:
    """A feed imported at an address that redirects for good (301, 308: an OPML list
    from before a host move, an http:// address now https://) was stored under the old
    address; imported again at its new one, it became a second show, every episode
    twice. The new address is where it lives now, as if it said so (itunes:new-feed-url)."""
    new = server.add("/new.xml", feeds.rss(ITEM, title="Moved"))
    old = server.redirect("/old.xml", new, status=301)
    opml = server.add("/list.opml", f'<opml version="2.0"><body><outline xmlUrl="{old}"/></body></opml>'.encode())
    library = Library(tmp_path / "lib")
    import_sources(library, [opml])
    library.report_progress(next(iter(library.episodes())), 300)
    (o,) = import_sources(library, [new])
    assert o.ok and o.added == 0
    assert len(library.shows()) == 1 and library.state(next(iter(library.episodes()))).position_s == 300
    server.hits.clear()
    (o,) = refresh(library)
    assert o.ok and server.hit_paths() == ["/new.xml"]


def test_a_feed_redirected_for_now_is_not_taken_for_its_target(tmp_path: Path, server: FeedServer) -> None:
    """A temporary redirect (302, 307: a CDN's signed address, a host's "feed not found"
    page shared by many feeds) says nothing of where a feed lives: two feeds redirected
    to one place stay two shows."""
    target = server.add("/shared.xml", feeds.rss(ITEM, title="Shared"))
    a = server.redirect("/a.xml", target, status=302)
    b = server.redirect("/b.xml", target, status=307)
    library = Library(tmp_path / "lib")
    import_sources(library, [a])
    import_sources(library, [b])
    assert sorted(s["feed_url"] for s in library.shows().values()) == [a, b]
