"""A server that refuses one action, names a feed that cannot be fetched, was reset, or
sends far too many actions for unknown episodes: the rest of the sync goes on, each
trouble is said once, and nothing grows without bound."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import run_cli
from tests.sync.conftest import Account, FeedHost, device, feed
from tests.sync.proxy import FaultProxy
from tests.sync.test_devices import PHONE, antennapod_play, by_title, next_second, sync
from tracker.importers.service import import_sources
from tracker.model.errors import SyncError
from tracker.exchange.gpodder import format_time, parse_time
from tracker.sync.book import Book
from tracker.sync.engine import status
from tracker.sync.pull import KEPT_TOTAL


def test_kept_actions_for_unknown_episodes_are_capped_in_total(tmp_path: Path, account: Account,
                                                               feed_host: FeedHost, config_dir: Path,
                                                               proxy: FaultProxy) -> None:
    # A server answering thousands of actions for hundreds of episodes not here: each
    # episode's list was capped, the total was not, and sync.json grew without bound.
    alpha = feed_host.add("alpha", "Alpha Show")
    library = device(tmp_path, "laptop", account.setup("laptop", server=proxy.url))
    per, episodes = 40, KEPT_TOTAL // 40 + 20
    old = int(time.time()) - 86400
    actions = [{**antennapod_play(alpha, "alpha", n, i, i + 1, 100_000), "timestamp": format_time(old + n * per + i)}
               for n in range(episodes) for i in range(per)]

    def many(line: bytes, answer: Any) -> Any:
        return {**answer, "actions": actions} if line.startswith(b"GET /api/2/episodes/") else answer

    proxy.edit = many
    report = sync(library)
    kept = [d for v in Book(library).unmatched().values() for d in v["actions"]]
    assert len(kept) == KEPT_TOTAL == report.kept_for_later
    dropped = len(actions) - KEPT_TOTAL
    assert min(parse_time(d["timestamp"]) or 0 for d in kept) == old + dropped  # the oldest went
    assert [n for n in report.notes if "kept" in n] == [
        f"dropped the {dropped:,} oldest of the actions kept for episodes not in the catalog yet "
        f"(at most {KEPT_TOTAL:,} are kept)"]
    assert sync(library).notes == []  # said once


def test_an_action_the_server_refuses_does_not_hold_back_the_others(tmp_path: Path, account: Account,
                                                                    feed_host: FeedHost, config_dir: Path,
                                                                    proxy: FaultProxy) -> None:
    # A stricter server refused one action of a batch (HTTP 400): the sync stopped there,
    # and every later sync sent the same batch and stopped again, so nothing went up ever.
    alpha = feed_host.add("alpha", "Alpha Show")
    library = device(tmp_path, "laptop", account.setup("laptop", server=proxy.url))
    import_sources(library, [alpha])
    for title, eid in by_title(library).items():
        library.report_progress(eid, 100)
    proxy.refuse = lambda line, body: line.startswith(b"POST /api/2/episodes/") and b"alpha/2.mp3" in body
    report = sync(library)
    assert report.episodes_up == 2
    assert report.notes == ["the sync server refused the listening of “Alpha Show 2” (HTTP 400 Bad Request): "
                            "left out; it goes up again when it changes here"]
    on_server = account.raw().call("GET", f"/api/2/episodes/{account.user}.json?since=0")["actions"]
    assert sorted(a["episode"].rsplit("/", 1)[1] for a in on_server) == ["1.mp3", "3.mp3"]
    again = sync(library)
    assert again.notes == [] and again.actions_up == 0  # said once, not sent again
    assert Book(library).outbox() == {}
    library.report_progress(by_title(library)["Alpha Show 2"], 200)
    proxy.refuse = None
    assert sync(library).episodes_up == 1  # changed here: it goes up again


def test_a_server_refusing_every_action_stops_the_sync(tmp_path: Path, account: Account, feed_host: FeedHost,
                                                       config_dir: Path, proxy: FaultProxy) -> None:
    # Not one bad action but a server that refuses them all: nothing is left out.
    alpha = feed_host.add("alpha", "Alpha Show")
    library = device(tmp_path, "laptop", account.setup("laptop", server=proxy.url))
    import_sources(library, [alpha])
    for eid in by_title(library).values():
        library.report_progress(eid, 100)
    proxy.refuse = lambda line, body: line.startswith(b"POST /api/2/episodes/")
    with pytest.raises(SyncError, match="HTTP 400"):
        sync(library)
    assert len(Book(library).outbox()) == 3


def test_a_feed_that_cannot_be_fetched_is_said_once_and_tried_again_later(tmp_path: Path, account: Account,
                                                                           feed_host: FeedHost,
                                                                           config_dir: Path) -> None:
    # A feed the phone subscribed to that is gone (404) was fetched on every sync, the
    # same failure said (and exit status 1) every time.
    gone = f"{feed_host.base}/gone.xml"
    account.group("laptop", PHONE)
    setup = account.setup("laptop")
    library = device(tmp_path, "laptop", setup)
    phone = account.raw()
    phone.call("POST", f"/api/2/subscriptions/{account.user}/{PHONE}.json", {"add": [gone], "remove": []})
    first = sync(library)
    assert len(first.failures) == 1 and "404" in first.failures[0]
    [failing] = status(library, setup)["feeds_failing"]
    assert failing["url"] == gone and "404" in failing["why"] and failing["retry_at"]
    feed_host.feeds["/gone.xml"] = feed(title="Back Show", slug="gone")  # it answers now
    second = sync(library)
    assert second.failures == [] and second.feeds_imported == []  # not fetched again so soon, said once
    assert status(library, setup)["feeds_failing"] == [failing]
    shown = run_cli(tmp_path / "laptop", "sync", "status", env={"TRACKER_CONFIG": str(config_dir)}).stdout
    assert f"no feed:  {gone}: " in shown and "404" in shown
    next_second()  # the user removes it on the phone and adds it again: tried at once
    phone.call("POST", f"/api/2/subscriptions/{account.user}/{PHONE}.json", {"add": [], "remove": [gone]})
    next_second()
    phone.call("POST", f"/api/2/subscriptions/{account.user}/{PHONE}.json", {"add": [gone], "remove": []})
    assert sync(library).feeds_imported == ["Back Show"]
    assert status(library, setup)["feeds_failing"] == []
    other = f"{feed_host.base}/other.xml"  # another gone feed, imported by hand meanwhile
    phone.call("POST", f"/api/2/subscriptions/{account.user}/{PHONE}.json", {"add": [other], "remove": []})
    sync(library)
    assert [f["url"] for f in status(library, setup)["feeds_failing"]] == [other]
    feed_host.feeds["/other.xml"] = feed(title="Other Show", slug="other")
    import_sources(library, [other])
    sync(library)
    assert status(library, setup)["feeds_failing"] == []


def test_a_server_that_lost_its_data_gets_everything_again(tmp_path: Path, account: Account, feed_host: FeedHost,
                                                           config_dir: Path, proxy: FaultProxy) -> None:
    # The server's database was reset: tracker's cursors and agreements said the server
    # had everything, so nothing was read or sent again, and the phone never got it back.
    alpha = feed_host.add("alpha", "Alpha Show")
    library = device(tmp_path, "laptop", account.setup("laptop", server=proxy.url))
    import_sources(library, [alpha])
    library.report_progress(by_title(library)["Alpha Show 1"], 300)
    assert sync(library).episodes_up == 1

    def reset(line: bytes, answer: Any) -> Any:  # the server has nothing any more
        if line.startswith(b"GET /api/2/episodes/"):
            return {**answer, "actions": []}
        return {**answer, "add": [], "remove": []} if line.startswith(b"GET /api/2/subscriptions/") else answer

    proxy.edit = reset
    proxy.seen.clear()
    report = sync(library)
    assert report.notes == ["the sync server no longer has the listening it acknowledged (was it reset?): "
                            "reading it all again from the start and sending everything here again"]
    assert report.episodes_up == 1 and report.subscriptions_up == 1
    asked = [line for line, _body in proxy.seen if line.startswith(b"GET /api/2/episodes/")]
    assert asked[-1].split(b"since=")[1].startswith(b"0 ")  # read again from the start
    again = sync(library)  # a server that keeps nothing it is sent: not started over every time
    assert again.notes == [] and again.episodes_up == 0


def test_a_feed_failing_in_the_sync_that_finds_a_reset_is_said_and_fetched_once(
        tmp_path: Path, account: Account, feed_host: FeedHost, config_dir: Path, proxy: FaultProxy) -> None:
    # The sync that found the reset read the subscriptions again from the start: a feed
    # the phone named that cannot be fetched was fetched twice and said twice in one sync.
    alpha, gone = feed_host.add("alpha", "Alpha Show"), f"{feed_host.base}/gone.xml"
    account.group("laptop", PHONE)
    library = device(tmp_path, "laptop", account.setup("laptop", server=proxy.url))
    import_sources(library, [alpha])
    library.report_progress(by_title(library)["Alpha Show 1"], 300)
    assert sync(library).episodes_up == 1
    next_second()
    account.raw().call("POST", f"/api/2/subscriptions/{account.user}/{PHONE}.json", {"add": [gone], "remove": []})
    proxy.edit = lambda line, answer: ({**answer, "actions": []} if line.startswith(b"GET /api/2/episodes/")
                                       else answer)
    report = sync(library)
    assert len(report.notes) == 1 and "reset" in report.notes[0]
    assert len(report.failures) == 1 and gone in report.failures[0]
    assert [f["url"] for f in status(library, account.setup("laptop", server=proxy.url))["feeds_failing"]] == [gone]
    proxy.edit = None
    assert sync(library).failures == []  # tried again a day later, not now


def test_a_subscription_refused_in_the_sync_that_finds_a_reset_is_said_once(
        tmp_path: Path, account: Account, feed_host: FeedHost, config_dir: Path, proxy: FaultProxy) -> None:
    # The start over sends every subscription again, and the one the server refuses was
    # refused, and said, twice in one sync.
    alpha, beta = feed_host.add("alpha", "Alpha Show"), feed_host.add("beta", "Beta Show")
    library = device(tmp_path, "laptop", account.setup("laptop", server=proxy.url))
    import_sources(library, [alpha])
    library.report_progress(by_title(library)["Alpha Show 1"], 300)
    assert sync(library).episodes_up == 1
    import_sources(library, [beta])
    proxy.refuse = lambda line, body: line.startswith(b"POST /api/2/subscriptions/") and b"beta" in body
    proxy.edit = lambda line, answer: ({**answer, "actions": []} if line.startswith(b"GET /api/2/episodes/")
                                       else answer)
    report = sync(library)
    assert [n for n in report.notes if "refused" in n] == [
        f"the sync server refused the subscription to {beta} (HTTP 400 Bad Request): left out"]


def test_an_upload_refused_whole_is_no_sign_of_a_reset(tmp_path: Path, account: Account, feed_host: FeedHost,
                                                       config_dir: Path, proxy: FaultProxy) -> None:
    # The one action sent was refused: the server has none of this computer's, as it should.
    alpha = feed_host.add("alpha", "Alpha Show")
    library = device(tmp_path, "laptop", account.setup("laptop", server=proxy.url))
    import_sources(library, [alpha])
    library.report_progress(by_title(library)["Alpha Show 1"], 300)
    proxy.refuse = lambda line, body: line.startswith(b"POST /api/2/episodes/")
    assert len(sync(library).notes) == 1
    assert sync(library).notes == []


def test_a_subscription_the_server_refuses_does_not_stop_every_sync(tmp_path: Path, account: Account,
                                                                    feed_host: FeedHost, config_dir: Path,
                                                                    proxy: FaultProxy) -> None:
    # A stricter server (opodsync checks each URL) refused the subscription upload for one
    # feed it did not like (HTTP 400): subscriptions go first, so every sync stopped there
    # and no listening went either way, ever.
    alpha, beta = feed_host.add("alpha", "Alpha Show"), feed_host.add("beta", "Beta Show")
    library = device(tmp_path, "laptop", account.setup("laptop", server=proxy.url))
    import_sources(library, [alpha, beta])
    library.report_progress(by_title(library)["Alpha Show 1"], 300)
    proxy.refuse = lambda line, body: line.startswith(b"POST /api/2/subscriptions/") and b"beta" in body
    report = sync(library)
    assert report.subscriptions_up == 1 and report.episodes_up == 1
    assert report.notes == [f"the sync server refused the subscription to {beta} (HTTP 400 Bad Request): left out"]
    on_server = account.raw().call("GET", f"/api/2/subscriptions/{account.user}/laptop.json?since=0")["add"]
    assert on_server == [alpha]
    again = sync(library)
    assert again.notes == [] and again.subscriptions_up == 0


def test_a_server_clock_behind_this_computer_is_no_sign_of_a_reset(tmp_path: Path, account: Account,
                                                                   feed_host: FeedHost, config_dir: Path,
                                                                   proxy: FaultProxy) -> None:
    # The server's clock ten minutes behind (a Raspberry Pi not yet on time): an answer
    # with nothing new is stamped with that clock, well before the cursor, which is the
    # phone's last action's time. Sync took it for a reset, said so and sent everything
    # up again, and did so again after every sync that brought something.
    alpha = feed_host.add("alpha", "Alpha Show")
    account.group("laptop", PHONE)
    library = device(tmp_path, "laptop", account.setup("laptop", server=proxy.url))
    import_sources(library, [alpha])
    elsewhere = f"{feed_host.base}/zeta.xml"  # a show the phone follows, not followed here: nothing goes up
    played = {**antennapod_play(elsewhere, "zeta", 1, 0, 100, 100_000), "timestamp": format_time(int(time.time()) - 60)}
    account.raw().call("POST", f"/api/2/episodes/{account.user}.json", [played])

    def behind(line: bytes, answer: Any) -> Any:  # an answer with no action is stamped "now" by the server's clock
        if line.startswith(b"GET /api/2/episodes/") and not answer["actions"]:
            return {**answer, "timestamp": int(answer["timestamp"]) - 600}
        return answer

    proxy.edit = behind
    assert sync(library).kept_for_later == 1
    again = sync(library)
    assert again.notes == [] and again.kept_for_later == 1


def test_what_the_server_refused_is_listed_by_sync_status_until_it_goes_up(
        tmp_path: Path, account: Account, feed_host: FeedHost, config_dir: Path, proxy: FaultProxy) -> None:
    # A refused action or subscription was said once, then forgotten: a user who missed
    # that line (the TUI's notice is gone in seconds) had no way to learn it was held back.
    alpha, beta = feed_host.add("alpha", "Alpha Show"), feed_host.add("beta", "Beta Show")
    setup = account.setup("laptop", server=proxy.url)
    library = device(tmp_path, "laptop", setup)
    import_sources(library, [alpha, beta])
    library.report_progress(by_title(library)["Alpha Show 2"], 100)
    proxy.refuse = lambda line, body: (line.startswith(b"POST /api/2/episodes/") and b"alpha/2.mp3" in body
                                       or line.startswith(b"POST /api/2/subscriptions/") and b"beta" in body)
    library.report_progress(by_title(library)["Alpha Show 1"], 100)
    assert len(sync(library).notes) == 2
    sync(library)  # said once, still listed
    held = status(library, setup)["refused"]
    assert held == [{"what": "the listening of “Alpha Show 2”", "why": "HTTP 400 Bad Request"},
                    {"what": f"the subscription to {beta}", "why": "HTTP 400 Bad Request"}]
    shown = run_cli(tmp_path / "laptop", "sync", "status", env={"TRACKER_CONFIG": str(config_dir)}).stdout
    assert "refused:  the listening of “Alpha Show 2” (HTTP 400 Bad Request)" in shown
    assert f"refused:  the subscription to {beta} (HTTP 400 Bad Request)" in shown
    proxy.refuse = None
    library.report_progress(by_title(library)["Alpha Show 2"], 200)  # changed here: it goes up
    library.unsubscribe(next(sid for sid, s in library.shows().items() if s["title"] == "Beta Show"))
    assert sync(library).episodes_up == 1
    assert status(library, setup)["refused"] == []


def test_what_a_sync_says_once_is_said_when_a_later_step_fails(tmp_path: Path, account: Account,
                                                                feed_host: FeedHost, config_dir: Path,
                                                                proxy: FaultProxy) -> None:
    # A feed the phone named could not be fetched, and the upload then met an HTTP 500:
    # `tracker sync` printed only the 500, yet the feed was booked as said, so the next
    # sync (the server well again) said nothing either and exited 0: never said at all.
    alpha, gone = feed_host.add("alpha", "Alpha Show"), f"{feed_host.base}/gone.xml"
    account.group("laptop", PHONE)
    library = device(tmp_path, "laptop", account.setup("laptop", server=proxy.url))
    import_sources(library, [alpha])
    library.report_progress(by_title(library)["Alpha Show 1"], 300)
    account.raw().call("POST", f"/api/2/subscriptions/{account.user}/{PHONE}.json", {"add": [gone], "remove": []})
    proxy.inject("error500", after=3)  # subscriptions down and up, actions down pass; the upload fails
    env = {"TRACKER_CONFIG": str(config_dir)}
    first = run_cli(tmp_path / "laptop", "sync", env=env)
    assert first.returncode == 1 and "HTTP 500" in first.stderr
    assert f"feed not imported: {gone}: HTTP 404" in first.stdout
    proxy.inject(None)
    assert run_cli(tmp_path / "laptop", "sync", env=env).returncode == 0  # said once
