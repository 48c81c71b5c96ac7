"""Refresh and bulk import in parallel, against a server that delays each response."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from tests import feeds
from tests.feed_server import FeedServer
from tracker.importers.opml import export_opml
from tracker.importers.service import Progress, import_sources, refresh
from tracker.model.library import Library


def show_feed(n: int, title: str | None = None) -> bytes:
    item = f"<item><title>Episode of {n}</title><guid>g-{n}</guid><itunes:duration>600</itunes:duration></item>"
    return feeds.rss(item, title=title or f"Show {n}")


def serve_shows(server: FeedServer, count: int, delay: float = 0.0) -> list[str]:
    return [server.add(f"/feed/{n}.xml", show_feed(n), etag=f'"e{n}"', delay=delay) for n in range(count)]


def opml_of(urls: list[str]) -> bytes:
    return feeds.opml(*urls)


def test_refresh_fetches_in_parallel_with_bounded_connections(tmp_path: Path, server: FeedServer) -> None:
    urls = serve_shows(server, 24)
    library = Library(tmp_path / "lib")
    assert all(o.ok for o in import_sources(library, urls, connections=8))
    server.delay = 0.2  # every answer now waits: a serial client would see one at a time
    server.most_in_flight = 0
    outcomes = refresh(library, connections=8)
    assert len(outcomes) == 24 and all(o.ok and o.not_modified for o in outcomes)
    assert server.most_in_flight == 8  # parallel, and never more than the bound


def test_connections_setting_bounds_the_downloads(tmp_path: Path, server: FeedServer,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    urls = serve_shows(server, 12, delay=0.1)
    monkeypatch.setenv("TRACKER_CONNECTIONS", "3")
    outcomes = import_sources(Library(tmp_path / "lib"), urls)
    assert all(o.ok for o in outcomes)
    assert server.most_in_flight == 3


def test_each_failure_is_reported_and_the_rest_go_on(tmp_path: Path, server: FeedServer) -> None:
    urls = serve_shows(server, 6, delay=0.05)
    server.add("/broken.xml", b"<rss><channel><title>cut off")
    urls[2:2] = [server.url("/missing.xml"), server.url("/broken.xml")]
    library = Library(tmp_path / "lib")
    outcomes = import_sources(library, urls)
    assert [o.source for o in outcomes] == urls  # reported in the order given
    assert [o.ok for o in outcomes] == [True, True, False, False, True, True, True, True]
    assert outcomes[2].message == "HTTP 404 Not Found" and "malformed XML" in outcomes[3].message
    assert len(library.shows()) == 6


def test_progress_is_reported_after_each_source(tmp_path: Path, server: FeedServer) -> None:
    urls = serve_shows(server, 5)
    steps: list[Progress] = []
    import_sources(Library(tmp_path / "lib"), urls, progress=steps.append)
    assert [s.done for s in steps] == [1, 2, 3, 4, 5]
    assert all(s.total == 5 for s in steps)
    assert {s.outcome.show for s in steps if s.outcome} == {f"Show {n}" for n in range(5)}
    assert steps[-1].line().startswith("[5/5] Show")


def test_opml_feeds_are_fetched_in_parallel_and_counted_in_progress(tmp_path: Path, server: FeedServer) -> None:
    urls = serve_shows(server, 10, delay=0.1)
    opml = server.add("/subs.opml", opml_of(urls))
    steps: list[Progress] = []
    outcomes = import_sources(Library(tmp_path / "lib"), [opml], progress=steps.append)
    assert outcomes[0].kind == "opml" and outcomes[0].message == "lists 10 feeds"
    assert all(o.ok and o.kind == "rss" for o in outcomes[1:]) and len(outcomes) == 11
    assert steps[-1].done == steps[-1].total == 11
    assert server.most_in_flight > 1


def test_refresh_keeps_conditional_get_and_reads_what_changed(tmp_path: Path, server: FeedServer) -> None:
    urls = serve_shows(server, 3)
    library = Library(tmp_path / "lib")
    import_sources(library, urls)
    server.add("/feed/1.xml", feeds.rss(
        "<item><title>New one</title><guid>g-new</guid></item><item><title>Episode of 1</title><guid>g-1</guid></item>",
        title="Show 1"), etag='"e1-v2"')
    server.hits.clear()
    outcomes = {o.show: o for o in refresh(library)}
    assert outcomes["Show 0"].not_modified and outcomes["Show 2"].not_modified
    assert outcomes["Show 1"].added == 1 and not outcomes["Show 1"].not_modified
    sent = {path: headers.get("If-None-Match") for path, headers in server.hits}
    assert sent == {"/feed/0.xml": '"e0"', "/feed/1.xml": '"e1"', "/feed/2.xml": '"e2"'}


def test_refresh_filter_and_nothing_to_refresh(tmp_path: Path, server: FeedServer) -> None:
    urls = serve_shows(server, 3)
    library = Library(tmp_path / "lib")
    import_sources(library, urls)
    assert [o.show for o in refresh(library, "show 2")] == ["Show 2"]
    assert refresh(library, "no such show") == []


def test_a_ctrl_c_keeps_what_was_done(tmp_path: Path, server: FeedServer) -> None:
    from tracker.model.errors import ImportInterrupted

    urls = serve_shows(server, 12, delay=0.05)
    library = Library(tmp_path / "lib")

    def interrupt_after_four(step: Progress) -> None:
        if step.done == 4:
            raise KeyboardInterrupt  # as a Ctrl-C lands in the main thread

    with pytest.raises(ImportInterrupted) as err:
        import_sources(library, urls, connections=2, progress=interrupt_after_four)
    assert err.value.exit_code == 130 and "saved" in str(err.value)
    again = Library(tmp_path / "lib")  # what another process sees
    assert len(again.shows()) >= 4


def test_opml_export_names_each_feed_url(tmp_path: Path, server: FeedServer) -> None:
    urls = serve_shows(server, 2)
    library = Library(tmp_path / "lib")
    import_sources(library, urls)
    text = export_opml(library.shows()).text
    assert all(f'xmlUrl="{u}"' in text for u in urls)


def test_large_feeds_of_a_bulk_import_parse_in_worker_processes_alike(tmp_path: Path, server: FeedServer,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from generate import make_feed

    urls = [server.add(f"/big/{n}.xml", make_feed(400, seed=n).replace(b"Generated Show", f"Big {n}".encode()))
            for n in range(3)]
    assert all(len(server.routes[f"/big/{n}.xml"].body) > 256 * 1024 for n in range(3))
    monkeypatch.setenv("TRACKER_PARSE_PROCESSES", "2")
    pooled = Library(tmp_path / "pooled")
    assert all(o.ok and o.added == 400 for o in import_sources(pooled, urls))
    monkeypatch.setenv("TRACKER_PARSE_PROCESSES", "0")
    here = Library(tmp_path / "here")
    assert all(o.ok for o in import_sources(here, urls))
    assert pooled.episode_docs() == here.episode_docs()
    assert dict(pooled.descriptions()) == dict(here.descriptions())


def test_a_pooled_import_ends_without_a_word_on_stderr(tmp_path: Path, server: FeedServer) -> None:
    """The worker pool is shut down with the run: the interpreter's own exit hook once
    wrote a traceback (a closed wake-up pipe) after every pooled import."""
    import sys

    from tests.helpers import run_cli

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from generate import make_feed

    urls = [server.add(f"/big/{n}.xml", make_feed(300, seed=n).replace(b"Generated Show", f"Big {n}".encode()))
            for n in range(3)]
    listing = server.add("/big.opml", opml_of(urls))
    done = run_cli(tmp_path / "lib", "import", listing, env={"TRACKER_PARSE_PROCESSES": "2"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("300 new") == 3
    assert done.stderr == ""


def test_worker_processes_parse_only_where_a_core_is_spare(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unset, the pool is used when most of a core is idle (a busy machine parses in the
    importing process: the pool's own cost would make it slower); the setting decides alone."""
    from tracker.importers import parsers

    monkeypatch.delenv("TRACKER_PARSE_PROCESSES", raising=False)
    monkeypatch.setattr(parsers, "cores", lambda: 2)
    monkeypatch.setattr(parsers, "spare_cores", lambda: 1.6)
    assert parsers.Parsers().workers is None and parsers.auto_workers() == 2
    monkeypatch.setattr(parsers, "spare_cores", lambda: 0.3)
    assert parsers.auto_workers() == 0
    monkeypatch.setattr(parsers, "cores", lambda: 1)
    monkeypatch.setattr(parsers, "spare_cores", lambda: 1.0)
    assert parsers.auto_workers() == 0
    monkeypatch.setenv("TRACKER_PARSE_PROCESSES", "0")
    assert parsers.Parsers().workers == 0
    monkeypatch.setenv("TRACKER_PARSE_PROCESSES", "3")
    assert parsers.Parsers().workers == 3
    monkeypatch.undo()
    import os

    assert 0.0 <= parsers.spare_cores(0.05) <= (os.cpu_count() or 1)


@pytest.mark.parametrize("raw", ["\u00b2", "\u2460", "1\u00b2", "abc", "-1", "1.5"])
def test_a_parse_processes_setting_that_is_not_a_number_means_none(raw: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Characters str.isdigit() accepts but int() refuses (a superscript two) read as 0
    like any other setting that is not a number, not as a ValueError traceback."""
    from tracker.importers.machine import parse_processes

    monkeypatch.setenv("TRACKER_PARSE_PROCESSES", raw)
    assert parse_processes() == 0


def test_no_parse_starts_in_the_importing_process_while_it_commits() -> None:
    """Parsing threads hold the GIL; a commit's system calls each waited behind them, so
    while the coordinator commits, a document waits to be parsed (and is, right after)."""
    import threading

    from tracker.importers.document import Read
    from tracker.importers.parsers import Parsers

    parsers = Parsers()
    read = Read("feed.xml", b"<rss><channel><title>T</title><item><title>A</title></item></channel></rss>")
    parsed: list[tuple[str, object]] = []
    worker = threading.Thread(target=lambda: parsed.append(parsers.understand(read, many=False)))
    with parsers.paused():
        worker.start()
        worker.join(0.3)
        assert parsed == []
    worker.join(5)
    assert parsed and parsed[0][0] == "rss"


def test_a_pooled_import_into_a_show_the_library_knows_by_an_older_id_keeps_that_id(
        tmp_path: Path, server: FeedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker process makes a new feed's update under the id a new show gets; a show
    stored under its title (libraries from before feed URLs were identities) keeps its
    own id, its episodes read again by the importing process."""
    import sys

    from tracker.importers.records import show_id
    from tracker.model.catalog import merge_show

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from generate import make_feed

    urls = [server.add(f"/big/{n}.xml", make_feed(400, seed=n).replace(b"Generated Show", f"Big {n}".encode()))
            for n in range(3)]
    library = Library(tmp_path / "lib")
    legacy = show_id("Big 0")
    merge_show(library, legacy, {"title": "Big 0", "kind": "rss", "feed_url": urls[0]}, {}, {})
    monkeypatch.setenv("TRACKER_PARSE_PROCESSES", "2")
    assert all(o.ok and o.added == 400 for o in import_sources(library, urls))
    by_show: dict[str, int] = {}
    for doc in library.episode_docs().values():
        by_show[doc["show_id"]] = by_show.get(doc["show_id"], 0) + 1
    assert by_show[legacy] == 400 and len(by_show) == 3 and set(library.shows()) == set(by_show)


def test_a_commit_due_just_before_the_end_is_left_to_the_final_one() -> None:
    """Every commit rewrites the files it touches: one due when the last few sources are
    about to finish costs nearly as much as the final commit again. At the pace so far
    they would end within the wait: skipped; a source that stalls lets the pace fall."""
    from tracker.importers.run import _ends_within

    assert _ends_within(2.0, pending=3, finished=90, elapsed=3.0)  # 0.1 s to go
    assert not _ends_within(2.0, pending=60, finished=40, elapsed=3.0)  # 4.5 s to go
    assert not _ends_within(2.0, pending=3, finished=90, elapsed=90.0)  # stalled: 3 s to go
    assert not _ends_within(2.0, pending=1, finished=0, elapsed=0.5)  # no pace yet


def test_a_feed_that_answers_not_modified_was_still_fetched_now(tmp_path: Path, server: FeedServer) -> None:
    """The Shows screen's "Refreshed" (when the feed was last fetched) stayed at the first
    import however often a refresh asked and the server answered 304."""
    (url,) = serve_shows(server, 1)
    library = Library(tmp_path / "lib")
    import_sources(library, [url])
    (sid,) = library.shows()
    stale = "2000-01-01T00:00:00+00:00"
    with library.store.transaction("catalog") as tx:
        tx.put("catalog", "shows", sid, {**tx.get("catalog", "shows", sid), "fetched_at": stale})
    (outcome,) = refresh(library)
    assert outcome.not_modified
    assert library.shows()[sid]["fetched_at"] > stale


def test_a_ctrl_c_counts_each_source_saved_once(tmp_path: Path, server: FeedServer) -> None:
    """The sources waiting in the batch were counted twice: '8 of 12 sources were read
    and saved' with 4 saved, and '34 of 30' in a long import."""
    from tracker.model.errors import ImportInterrupted

    urls = serve_shows(server, 12, delay=0.05)
    library = Library(tmp_path / "lib")

    def interrupt_after_four(step: Progress) -> None:
        if step.done == 4:
            raise KeyboardInterrupt

    with pytest.raises(ImportInterrupted) as err:
        import_sources(library, urls, connections=2, progress=interrupt_after_four)
    kept = len(Library(tmp_path / "lib").shows())
    assert f": {kept} of 12 sources were read and saved" in str(err.value)


def test_a_ctrl_c_during_a_commit_still_saves_that_batch(tmp_path: Path, server: FeedServer,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A Ctrl-C landing while a batch was being written threw the batch away (it had
    been taken off before the write), yet the line counted it as saved."""
    from tracker.importers import run
    from tracker.model.errors import ImportInterrupted

    urls = serve_shows(server, 3)
    library = Library(tmp_path / "lib")
    merge = run.merge_shows
    calls = []

    def interrupted_once(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise KeyboardInterrupt  # as a Ctrl-C lands mid-write (the store's transaction is not committed)
        return merge(*args, **kwargs)

    monkeypatch.setattr(run, "merge_shows", interrupted_once)
    with pytest.raises(ImportInterrupted) as err:
        import_sources(library, urls, connections=3)
    assert "3 of 3 sources were read and saved" in str(err.value)
    assert len(Library(tmp_path / "lib").shows()) == 3


def test_refresh_leaves_the_feeds_of_shows_unsubscribed_from(tmp_path: Path, server: FeedServer) -> None:
    """Every refresh (and R in the TUI) still downloaded the feeds of shows left; naming
    one (tracker refresh SHOW, r on its row) still fetches it."""
    urls = serve_shows(server, 2)
    library = Library(tmp_path / "lib")
    import_sources(library, urls)
    by_url = {s["feed_url"]: sid for sid, s in library.shows().items()}
    library.unsubscribe(by_url[urls[0]])
    assert [o.source for o in refresh(library)] == [urls[1]]
    title = library.shows()[by_url[urls[0]]]["title"]
    assert [o.source for o in refresh(library, title)] == [urls[0]]
    assert [o.source for o in refresh(library, show_id=by_url[urls[0]])] == [urls[0]]


def test_chapters_taken_from_the_audio_outlive_a_refresh_of_a_feed_without_any(tmp_path: Path, server: FeedServer) -> None:
    # Playing adopts the audio file's chapters when the feed has none. The next time the
    # feed changed (any new episode), the refresh put back "no chapters" for every such
    # episode: its chapter list vanished, and the marks on it with it, until played again.
    url = server.add("/feed.xml", show_feed(1), etag='"v1"')
    library = Library(tmp_path / "lib")
    import_sources(library, [url])
    (eid,) = library.episodes()
    assert library.adopt_audio_chapters(eid, [("Intro", 0), ("Main", 60), ("Outro", 500)])
    library.mark_chapter(eid, 2, "skipped")
    server.add("/feed.xml", feeds.rss("<item><title>Next</title><guid>g-next</guid></item>"
                                      "<item><title>Episode of 1</title><guid>g-1</guid><itunes:duration>600"
                                      "</itunes:duration></item>", title="Show 1"), etag='"v2"')
    (o,) = refresh(library)
    assert o.added == 1
    ep = library.episode(eid)
    assert ep.chapters_source == "audio" and [c.title for c in ep.chapters] == ["Intro", "Main", "Outro"]
    assert library.chapter_states(eid) == ["new", "skipped", "new"]


def test_a_refresh_that_finds_no_channel_title_keeps_the_show_s_name(tmp_path: Path, server: FeedServer) -> None:
    """A feed that came back for a while without its <title> (a host's broken template)
    renamed the show to its URL: 'tracker refresh NAME' no longer found it, and the
    Shows screen listed a URL. The name it had stays; a new show is still named by its URL."""
    url = server.add("/feed.xml", show_feed(1), etag='"v1"')
    library = Library(tmp_path / "lib")
    import_sources(library, [url])
    server.add("/feed.xml", b'<?xml version="1.0"?><rss version="2.0"><channel>'
                            b'<item><title>Later</title><guid>g-later</guid></item></channel></rss>', etag='"v2"')
    (o,) = refresh(library)
    assert o.ok and o.added == 1 and o.show == "Show 1"
    assert [s["title"] for s in library.shows().values()] == ["Show 1"]
    assert [x.show for x in refresh(library, "show 1")] == ["Show 1"]
    bare = server.add("/bare.xml", b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>')
    (new,) = import_sources(library, [bare])
    assert new.show == bare and sorted(s["title"] for s in library.shows().values()) == sorted(["Show 1", bare])


def test_an_episode_whose_notes_were_edited_is_counted_updated(tmp_path: Path, server: FeedServer) -> None:
    """A refresh that rewrote an episode's show notes (a corrected link, a sponsor
    removed) said '0 updated, 1 unchanged': the notes had changed, the count said not."""
    def feed(notes: str) -> bytes:
        return feeds.rss(f"<item><title>One</title><guid>g-1</guid><description>{notes}</description></item>"
                         "<item><title>Two</title><guid>g-2</guid><description>Same.</description></item>")

    url = server.add("/feed.xml", feed("Before."), etag='"v1"')
    library = Library(tmp_path / "lib")
    import_sources(library, [url])
    server.add("/feed.xml", feed("After, corrected."), etag='"v2"')
    (o,) = refresh(library)
    assert (o.added, o.updated) == (0, 1) and o.message == "0 new, 1 updated, 1 unchanged"
    assert "After, corrected." in dict(library.descriptions()).values()
    server.add("/feed.xml", feed("After, corrected."), etag='"v3"')
    (again,) = refresh(library)
    assert again.message == "0 new, 0 updated, 2 unchanged"


def test_a_refresh_with_every_feed_unsubscribed_says_so(tmp_path: Path, server: FeedServer) -> None:
    """With the only show that has a feed URL unsubscribed from, 'tracker refresh' said
    'no shows with a feed URL to refresh' (and the TUI's R 'no show has a feed URL'):
    there is one; it is not followed, and naming it refreshes it."""
    from tests.helpers import run_cli
    from tracker.importers.service import nothing_to_refresh

    (url,) = serve_shows(server, 1)
    library = Library(tmp_path / "lib")
    assert nothing_to_refresh(library) == "no shows with a feed URL to refresh"
    import_sources(library, [url])
    (sid,) = library.shows()
    library.unsubscribe(sid)
    done = run_cli(tmp_path / "lib", "refresh")
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.strip() == ("no show you follow has a feed URL to refresh (1 show unsubscribed from: "
                                   "'tracker refresh SHOW' refreshes it)")
    assert nothing_to_refresh(library).startswith("no show you follow")


@pytest.mark.parametrize("kind", ["opml", "gpodder", "showpage"])
def test_a_refreshed_feed_that_now_serves_something_else_changes_nothing(tmp_path: Path, server: FeedServer,
                                                                         kind: str) -> None:
    """A show's feed address that came to serve an OPML list (a lapsed domain, a host's
    error page) subscribed the user, at the next refresh, to every feed the list named;
    one serving gpodder episode actions rewrote what was heard (a position of 200 s set
    back to 5 s). A refresh reads a feed from a feed's address, or fails and says what came."""
    import json

    from tests.helpers import SHOW_PAGE

    (url,) = serve_shows(server, 1)
    library = Library(tmp_path / "lib")
    import_sources(library, [url])
    (eid,) = library.episodes()
    library.report_progress(eid, 200)
    stranger = server.add("/stranger.xml", show_feed(9))
    body = {"opml": feeds.opml(stranger),
            "gpodder": json.dumps([{"podcast": url, "episode": "x", "guid": "g-0", "action": "play", "position": 5,
                                    "started": 0, "total": 600, "timestamp": "2030-01-01T00:00:00"}]).encode(),
            "showpage": SHOW_PAGE.read_bytes()}[kind]
    server.add("/feed/0.xml", body)
    outcomes = refresh(library)
    assert [(o.source, o.ok) for o in outcomes] == [(url, False)]
    assert outcomes[0].show == "Show 0" and outcomes[0].message.startswith("not a feed any more: ")
    assert [s["feed_url"] for s in library.shows().values()] == [url]
    assert library.state(eid).position_s == 200 and len(library.episodes()) == 1


def test_importing_a_show_unsubscribed_from_follows_it_again(tmp_path: Path, server: FeedServer) -> None:
    """'tracker import URL' of a show left in the TUI said '1 new' and 'episodes' then
    said 'no episodes match': it stayed unsubscribed (the CLI has no other way back).
    Naming its feed follows it again, and says so; an OPML list naming it does not."""
    from tests.helpers import run_cli

    urls = serve_shows(server, 2)
    library = Library(tmp_path / "lib")
    import_sources(library, urls)
    by_url = {s["feed_url"]: sid for sid, s in library.shows().items()}
    for sid in by_url.values():
        library.unsubscribe(sid)
    listing = server.add("/list.opml", opml_of([urls[1]]))
    done = run_cli(tmp_path / "lib", "import", urls[0], listing)
    assert done.returncode == 0, done.stderr
    assert f"{urls[0]} [rss]: Show 0: 0 new, 0 updated, 1 unchanged; subscribed again" in done.stdout
    assert "Show 1: 0 new, 0 updated, 1 unchanged\n" in done.stdout
    assert Library(tmp_path / "lib").unsubscribed() == {by_url[urls[1]]}
    assert "Episode of 0" in run_cli(tmp_path / "lib", "episodes").stdout
    (o,) = refresh(library, "Show 1")
    assert o.ok and library.unsubscribed() == {by_url[urls[1]]}


def test_a_write_failing_part_way_says_what_was_saved_before_it(tmp_path: Path, server: FeedServer,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A bulk import whose disk filled up after some batches were written said the
    store's "cannot write ...; nothing was changed", though the shows of the batches
    before were saved (and are there). It says how many were, and that importing again
    does the rest."""
    from tests.store.faults import refuse_changes
    from tracker.importers import run
    from tracker.model.errors import ImportFailed

    monkeypatch.setattr(run, "COMMIT_EVERY_S", 0.0)  # a commit after each source that ends
    monkeypatch.setattr(run, "COMMIT_SHARE", 0)
    first = server.add("/first.xml", feeds.rss(feeds.ITEMS, title="First"))
    second = server.add("/second.xml", feeds.rss(feeds.ITEMS, title="Second"), delay=0.3)
    library = Library(tmp_path / "lib")

    def disk_fills_once_the_first_is_saved(step: Progress) -> None:
        if step.source == second:
            refuse_changes(monkeypatch, tmp_path / "lib", errno.ENOSPC)

    with pytest.raises(ImportFailed) as err:
        import_sources(library, [first, second], progress=disk_fills_once_the_first_is_saved)
    monkeypatch.undo()
    message = str(err.value)
    assert "the disk is full" in message and "nothing was changed" not in message
    assert "1 source of 2 was saved" in message and "import again" in message
    assert [s["title"] for s in Library(tmp_path / "lib").shows().values()] == ["First"]
