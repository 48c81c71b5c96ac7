"""Two tracker libraries as two devices and a phone that talks to the server the way
AntennaPod does (raw HTTP, its exact action shape): after syncing, all three agree."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from tests.sync.conftest import Account, FeedHost, device
from tests.sync.proxy import FaultProxy
from tracker.exchange.listening import RemoteItem, apply_remote
from tracker.importers.service import import_sources
from tracker.model.library import Library
from tracker.sync.book import Book
from tracker.sync.config import load
from tracker.sync.engine import run_sync
from tracker.sync.subs import failing

PHONE = "antennapod-pixel"


def next_second() -> None:
    """Wait (polling, with a deadline) until the clock's second changes, so the next action
    is unambiguously newer than the last: timestamps have one-second resolution."""
    start = int(time.time())
    deadline = time.monotonic() + 2
    while int(time.time()) == start and time.monotonic() < deadline:
        time.sleep(0.01)


def antennapod_play(feed: str, slug: str, n: int, started: int, position: int, total: int) -> dict[str, Any]:
    """A play action exactly as AntennaPod uploads it (lowercase action, UTC time without
    suffix, started/position/total in seconds, the device id in gpodder.net mode)."""
    return {
        "podcast": feed,
        "episode": f"https://cdn.example.org/{slug}/{n}.mp3",
        "guid": f"{slug}-{n}",
        "action": "play",
        "timestamp": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S"),
        "started": started,
        "position": position,
        "total": total,
        "device": PHONE,
    }


def by_title(library: Library) -> dict[str, str]:
    return {doc["title"]: eid for eid, doc in library.listings().items()}


def listening(library: Library, title: str) -> tuple[str, float, list[float]]:
    eid = by_title(library)[title]
    st = library.state(eid)
    return st.status, st.position_s, [round(c.heard_s) for c in library.chapter_progress(eid)]


def phone_view(account: Account) -> dict[str, tuple[int, int | None]]:
    """What the phone makes of the server's actions: the newest play per episode."""
    actions = account.raw().call("GET", f"/api/2/episodes/{account.user}.json?since=0")["actions"]
    out: dict[str, tuple[int, int | None]] = {}
    for a in sorted(actions, key=lambda a: a["timestamp"]):  # stable: the server's order within a second
        if a["action"] == "play":
            out[a["episode"].rsplit("/", 2)[-2] + "-" + a["episode"].rsplit("/", 1)[-1][:-4]] = (a["position"], a.get("total"))
    return out


def sync(library: Library) -> Any:
    setup = load(library.folder)
    assert setup is not None
    return run_sync(library, setup)


def test_two_trackers_and_a_phone_agree(tmp_path: Path, account: Account, feed_host: FeedHost, config_dir: Path) -> None:
    alpha = feed_host.add("alpha", "Alpha Show")
    beta = feed_host.add("beta", "Beta Show")
    account.group("laptop", "desktop", PHONE)
    a = device(tmp_path, "laptop", account.setup("laptop"))
    b = device(tmp_path, "desktop", account.setup("desktop"))
    assert all(o.ok for o in import_sources(a, [alpha]))

    # The laptop hears the first 300 s of episode 1 (chapter 1 whole, half of chapter 2).
    a.report_progress(by_title(a)["Alpha Show 1"], 300)
    report = sync(a)
    assert report.subscriptions_up == 1 and report.actions_up >= 1

    # The desktop gets the feed (fetched and imported) and the listening.
    report = sync(b)
    assert report.feeds_imported == ["Alpha Show"]
    assert listening(b, "Alpha Show 1") == ("in_progress", 300, [200, 100, 0])

    # The phone goes on from 300 to 450, finishes episode 2 and subscribes to Beta.
    next_second()
    phone = account.raw()
    phone.call("POST", f"/api/2/episodes/{account.user}.json", [
        antennapod_play(alpha, "alpha", 1, 300, 450, 600),
        antennapod_play(alpha, "alpha", 2, 0, 600, 600),
    ])
    phone.call("POST", f"/api/2/subscriptions/{account.user}/{PHONE}.json", {"add": [beta], "remove": []})

    for library in (a, b, a, b):
        sync(library)
    for library in (a, b):
        assert listening(library, "Alpha Show 1") == ("in_progress", 450, [200, 200, 50])
        assert listening(library, "Alpha Show 2")[0] == "listened"
        assert "Beta Show 1" in by_title(library)
    view = phone_view(account)
    assert view["alpha-1"] == (450, 600) and view["alpha-2"] == (600, 600)

    # The desktop marks episode 1 listened; the laptop and the phone follow.
    next_second()
    b.mark([by_title(b)["Alpha Show 1"]], listened=True)
    sync(b)
    sync(a)
    assert listening(a, "Alpha Show 1")[0] == "listened"
    assert phone_view(account)["alpha-1"] == (600, 600)


def test_uploads_go_in_batches_of_30_stamped_now_in_utc(tmp_path: Path, account: Account, feed_host: FeedHost,
                                                         config_dir: Path, proxy: FaultProxy) -> None:
    feed = feed_host.add("many", "Many Show", episodes=75)
    setup = account.setup("laptop", server=proxy.url)
    library = device(tmp_path, "laptop", setup)
    import_sources(library, [feed])
    apply_remote(library, [RemoteItem(eid, "play", 0, 100) for eid in by_title(library).values()],
                 "test", "heard 100 s of each")  # one write for 75 episodes
    before = int(time.time())
    run_sync(library, setup)
    after = int(time.time())
    posts = [json.loads(body) for line, body in proxy.seen if line.startswith(b"POST /api/2/episodes/")]
    assert [len(batch) for batch in posts] == [30, 30, 15]
    for action in (a for batch in posts for a in batch):
        stamp = datetime.strptime(action["timestamp"], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc).timestamp()
        assert before <= stamp <= after  # UTC, the time it was sent, never in the future
        assert action["device"] == "laptop" and action["action"] == "play" and action["total"] == 600


def test_an_action_for_an_unknown_episode_waits_for_it(tmp_path: Path, account: Account, feed_host: FeedHost,
                                                       config_dir: Path) -> None:
    alpha = feed_host.add("alpha", "Alpha Show")
    library = device(tmp_path, "laptop", account.setup("laptop"))
    account.raw().call("POST", f"/api/2/episodes/{account.user}.json",
                       [{**antennapod_play(alpha, "alpha", 1, 0, 250, 600),  # a "Z" time, as some apps send
                         "timestamp": antennapod_play(alpha, "alpha", 1, 0, 250, 600)["timestamp"] + "Z"}])
    report = sync(library)
    assert report.kept_for_later == 1 and report.episodes_changed == 0
    sync(library)  # sent again by the server: still one, kept once
    assert sum(len(v["actions"]) for v in Book(library).unmatched().values()) == 1
    import_sources(library, [alpha])  # the user imports the feed by hand (not through sync)
    report = sync(library)
    assert report.applied_from_kept == 1
    assert listening(library, "Alpha Show 1")[:2] == ("in_progress", 250)


def test_thousands_of_actions_for_one_unknown_episode_are_kept_in_linear_time(
        tmp_path: Path, account: Account, feed_host: FeedHost, config_dir: Path, proxy: FaultProxy) -> None:
    # A phone that sends its position every few seconds: 8,000 play actions for an episode
    # of a show not here. Each was checked against all those kept before it: 17 s of sync.
    alpha = feed_host.add("alpha", "Alpha Show")
    library = device(tmp_path, "laptop", account.setup("laptop", server=proxy.url))
    play = antennapod_play(alpha, "alpha", 1, 0, 250, 100_000)

    def many(line: bytes, answer: Any) -> Any:
        if not line.startswith(b"GET /api/2/episodes/"):
            return answer
        return {**answer, "actions": [{**play, "started": i, "position": i + 1} for i in range(8000)]}

    proxy.edit = many
    started = time.perf_counter()
    report = sync(library)
    elapsed = time.perf_counter() - started
    assert report.kept_for_later == 50
    assert elapsed < 6, f"took {elapsed:.1f} s"


def test_undo_takes_a_sync_back(tmp_path: Path, account: Account, feed_host: FeedHost, config_dir: Path) -> None:
    alpha = feed_host.add("alpha", "Alpha Show")
    library = device(tmp_path, "laptop", account.setup("laptop"))
    import_sources(library, [alpha])
    sync(library)
    account.raw().call("POST", f"/api/2/episodes/{account.user}.json", [antennapod_play(alpha, "alpha", 2, 0, 600, 600)])
    sync(library)
    assert listening(library, "Alpha Show 2")[0] == "listened"
    assert library.history(1)[0].kind == "sync"
    library.undo()
    assert listening(library, "Alpha Show 2")[:2] == ("new", 0)


def test_subscriptions_follow_both_ways(tmp_path: Path, account: Account, feed_host: FeedHost, config_dir: Path) -> None:
    alpha = feed_host.add("alpha", "Alpha Show")
    beta = feed_host.add("beta", "Beta Show")
    account.group("laptop", "desktop", PHONE)
    a = device(tmp_path, "laptop", account.setup("laptop"))
    b = device(tmp_path, "desktop", account.setup("desktop"))
    phone = account.raw()

    # Added on the phone: imported on both computers.
    phone.call("POST", f"/api/2/subscriptions/{account.user}/{PHONE}.json", {"add": [beta], "remove": []})
    assert sync(a).feeds_imported == ["Beta Show"]
    a.report_progress(by_title(a)["Beta Show 1"], 120)
    # Added on the laptop: the desktop and the phone get it.
    import_sources(a, [alpha])
    assert sync(a).subscriptions_up == 1
    assert sorted(sync(b).feeds_imported) == ["Alpha Show", "Beta Show"]
    assert alpha in phone.call("GET", f"/api/2/subscriptions/{account.user}/{PHONE}.json?since=0")["add"]
    shows = {s["title"]: sid for sid, s in b.shows().items()}

    # Removed on the phone: unsubscribed on both computers, the listening kept.
    next_second()
    phone.call("POST", f"/api/2/subscriptions/{account.user}/{PHONE}.json", {"add": [], "remove": [beta]})
    assert sync(a).feeds_unsubscribed == ["Beta Show"]
    assert sync(b).feeds_unsubscribed == ["Beta Show"]
    assert shows["Beta Show"] in b.unsubscribed()
    assert listening(b, "Beta Show 1")[:2] == ("in_progress", 120)

    # Unsubscribed on the laptop: the desktop and the phone follow; subscribed again: they follow too.
    next_second()
    a.unsubscribe(shows["Alpha Show"])
    assert sync(a).subscriptions_up == 1
    assert sync(b).feeds_unsubscribed == ["Alpha Show"]
    assert alpha in phone.call("GET", f"/api/2/subscriptions/{account.user}/{PHONE}.json?since=0")["remove"]
    next_second()
    a.resubscribe(shows["Alpha Show"])
    sync(a)
    assert sync(b).feeds_resubscribed == ["Alpha Show"]
    assert shows["Alpha Show"] not in b.unsubscribed()


def test_a_phone_action_in_the_agreements_second_still_counts(tmp_path: Path, account: Account, feed_host: FeedHost,
                                                              config_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The desktop uploads at second T and the laptop agrees with it; then the phone sends a
    # stretch stamped T too. Its device name sorts below "desktop", so it ranks below both
    # libraries' agreement: it was ignored as if already seen, and lost on both.
    import tracker.sync.pull as pull_module

    monkeypatch.setattr(pull_module, "SETTLED_S", 10**6)  # the cursor stays on T however slow this runs
    alpha = feed_host.add("alpha", "Alpha Show", episodes=1, length=3600)
    account.group("laptop", "desktop", PHONE)
    a = device(tmp_path, "laptop", account.setup("laptop"))
    b = device(tmp_path, "desktop", account.setup("desktop"))
    assert all(o.ok for o in import_sources(b, [alpha]))
    b.report_progress(by_title(b)["Alpha Show 1"], 600)
    sync(b)
    sync(a)
    assert listening(a, "Alpha Show 1") == ("in_progress", 600, [600, 0, 0])
    stamp = account.raw().call("GET", f"/api/2/episodes/{account.user}.json?since=0")["actions"][-1]["timestamp"]
    assert PHONE < "desktop" < "laptop"
    late = {**antennapod_play(alpha, "alpha", 1, 1500, 1700, 3600), "timestamp": stamp}
    account.raw().call("POST", f"/api/2/episodes/{account.user}.json", [late])
    for library in (a, b, a, b):
        sync(library)
    for library in (a, b):
        status, _position, chapters = listening(library, "Alpha Show 1")
        assert status == "in_progress" and chapters == [600, 200, 0], library.folder.name


def _a_phone_years_ahead(tmp_path: Path, account: Account, feed_host: FeedHost) -> tuple[str, Library, Any]:
    """A laptop library synced once, then a phone's play of episode 1 (0-100 s) stamped in
    2199, synced: the feed, the library and the phone's connection."""
    alpha = feed_host.add("alpha", "Alpha Show")
    a = device(tmp_path, "laptop", account.setup("laptop"))
    assert all(o.ok for o in import_sources(a, [alpha]))
    sync(a)
    phone = account.raw()
    ahead = {**antennapod_play(alpha, "alpha", 1, 0, 100, 600), "timestamp": "2199-01-01T00:00:00"}
    phone.call("POST", f"/api/2/episodes/{account.user}.json", [ahead])
    sync(a)
    assert listening(a, "Alpha Show 1")[2] == [100, 0, 0]
    next_second()
    return alpha, a, phone


def test_an_action_stamped_in_the_future_does_not_hide_later_ones(tmp_path: Path, account: Account,
                                                                   feed_host: FeedHost, config_dir: Path) -> None:
    # A phone with its clock years ahead sends one action. The server's cursor is the last
    # action's timestamp: kept as it is, every later sync asked from that future, and the
    # listening other devices sent (stamped now) never arrived.
    alpha, a, phone = _a_phone_years_ahead(tmp_path, account, feed_host)
    phone.call("POST", f"/api/2/episodes/{account.user}.json", [antennapod_play(alpha, "alpha", 2, 0, 300, 600)])
    assert sync(a).actions_down >= 1
    assert listening(a, "Alpha Show 2") == ("in_progress", 300, [200, 100, 0])


def test_an_action_stamped_in_the_future_counts_as_heard_and_does_not_outrank_later_ones(
        tmp_path: Path, account: Account, feed_host: FeedHost, config_dir: Path) -> None:
    # The same phone's action from years ahead, then (its clock set right) it goes on with
    # the episode. Ranked by its timestamp, the bogus action stayed the newest word on the
    # episode: every later play of it, heard time included, was ignored here.
    alpha, a, phone = _a_phone_years_ahead(tmp_path, account, feed_host)
    phone.call("POST", f"/api/2/episodes/{account.user}.json", [antennapod_play(alpha, "alpha", 1, 100, 250, 600)])
    sync(a)
    assert listening(a, "Alpha Show 1") == ("in_progress", 250, [200, 50, 0])
    sync(a)
    assert listening(a, "Alpha Show 1") == ("in_progress", 250, [200, 50, 0])


def test_a_feed_that_failed_to_import_stops_being_retried_once_the_phone_removes_it(
        tmp_path: Path, account: Account, feed_host: FeedHost, config_dir: Path) -> None:
    # The phone subscribed to a feed that is gone (404): every sync retried it and exited 1.
    # Once the phone unsubscribed, sync went on fetching it and failing, forever.
    gone = f"{feed_host.base}/gone.xml"
    account.group("laptop", PHONE)
    a = device(tmp_path, "laptop", account.setup("laptop"))
    phone = account.raw()
    phone.call("POST", f"/api/2/subscriptions/{account.user}/{PHONE}.json", {"add": [gone], "remove": []})
    assert len(sync(a).failures) == 1
    assert sync(a).failures == []  # said once (tried again a day later)
    next_second()
    phone.call("POST", f"/api/2/subscriptions/{account.user}/{PHONE}.json", {"add": [], "remove": [gone]})
    assert sync(a).failures == []
    assert sync(a).failures == []


def test_what_the_phone_heard_counts_on_the_day_it_was_heard(tmp_path: Path, account: Account,
                                                              feed_host: FeedHost, config_dir: Path) -> None:
    # The phone heard episodes 40 and 3 days ago; the laptop synced today. Stats put all of
    # it on today (today: 10:00 heard, a streak of one day), the days it was heard had none.
    from datetime import timedelta

    from tracker.model.daylog import local_day

    alpha = feed_host.add("alpha", "Alpha Show")
    library = device(tmp_path, "laptop", account.setup("laptop"))
    assert all(o.ok for o in import_sources(library, [alpha]))
    now = datetime.now(timezone.utc)
    long_ago, lately = now - timedelta(days=40), now - timedelta(days=3)
    account.raw().call("POST", f"/api/2/episodes/{account.user}.json", [
        {**antennapod_play(alpha, "alpha", 1, 0, 300, 600), "timestamp": long_ago.strftime("%Y-%m-%dT%H:%M:%S")},
        {**antennapod_play(alpha, "alpha", 2, 0, 300, 600), "timestamp": lately.strftime("%Y-%m-%dT%H:%M:%S")},
    ])
    sync(library)
    show = next(iter(library.shows()))
    days = {day: shows.get(show) for day, shows in library.day_log().items()}
    assert days == {local_day(long_ago.isoformat()): 300, local_day(lately.isoformat()): 300}


def test_listening_the_phone_uploads_late_still_arrives(tmp_path: Path, account: Account, feed_host: FeedHost,
                                                         config_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The phone heard episodes offline (on the train) and uploaded the actions an hour later,
    # stamped when they happened, as AntennaPod does. The laptop had synced in between:
    # its cursor was past their time, so the server never sent them and they were lost.
    import tracker.sync.pull as pull_module

    monkeypatch.setattr(pull_module, "LOOK_BACK_EVERY_S", 0)  # as if the last look back was a while ago
    alpha = feed_host.add("alpha", "Alpha Show")
    library = device(tmp_path, "laptop", account.setup("laptop"))
    assert all(o.ok for o in import_sources(library, [alpha]))
    library.report_progress(by_title(library)["Alpha Show 3"], 100)
    sync(library)
    an_hour_ago = (datetime.now(timezone.utc).timestamp() - 3600)
    stamp = datetime.fromtimestamp(an_hour_ago, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    account.raw().call("POST", f"/api/2/episodes/{account.user}.json", [
        {**antennapod_play(alpha, "alpha", 1, 0, 300, 600), "timestamp": stamp},
        {**antennapod_play(alpha, "alpha", 3, 100, 250, 600), "timestamp": stamp},  # older than the laptop's 0-100
    ])
    report = sync(library)
    assert report.actions_down == 2
    assert listening(library, "Alpha Show 1") == ("in_progress", 300, [200, 100, 0])
    assert listening(library, "Alpha Show 3") == ("in_progress", 100, [200, 50, 0])  # heard; the resume point is newer here
    report = sync(library)  # asked for again: taken in once
    assert report.actions_down == 0 and report.episodes_changed == 0 and report.actions_up == 0


def test_a_sync_that_changed_one_episode_says_one_episode_in_history(tmp_path: Path, account: Account,
                                                                    feed_host: FeedHost, config_dir: Path) -> None:
    """History (and `undo`) said "sync: listening from ... on 1 episodes"."""
    alpha = feed_host.add("alpha", "Alpha Show")
    library = device(tmp_path, "laptop", account.setup("laptop"))
    import_sources(library, [alpha])
    sync(library)
    account.raw().call("POST", f"/api/2/episodes/{account.user}.json", [antennapod_play(alpha, "alpha", 2, 0, 600, 600)])
    sync(library)
    assert library.history(1)[0].summary.endswith(" on 1 episode")


def test_a_sync_names_in_history_only_the_episodes_it_changed(tmp_path: Path, account: Account,
                                                              feed_host: FeedHost, config_dir: Path) -> None:
    """The phone sent plays of two episodes, one already heard to its end here: the sync
    changed one (as its report said) yet history and undo said "on 2 episodes"."""
    alpha = feed_host.add("alpha", "Alpha Show")
    library = device(tmp_path, "laptop", account.setup("laptop"))
    import_sources(library, [alpha])
    sync(library)
    library.report_progress(by_title(library)["Alpha Show 2"], 600)
    next_second()
    account.raw().call("POST", f"/api/2/episodes/{account.user}.json",
                       [antennapod_play(alpha, "alpha", 2, 0, 600, 600), antennapod_play(alpha, "alpha", 1, 0, 250, 600)])
    assert sync(library).episodes_changed == 1
    action = library.history(1)[0]
    assert action.episodes == (by_title(library)["Alpha Show 1"],)
    assert action.summary.endswith(" on 1 episode")


def test_undoing_a_sync_is_not_taken_back_by_the_next_sync(tmp_path: Path, account: Account, feed_host: FeedHost,
                                                            config_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The laptop marks an episode listened and syncs; the desktop syncs right after (the
    # server's cursor stays on that second) and the user undoes what the sync brought.
    # The next sync brought it back: the laptop's action, sent again, outranked the undo
    # ("laptop" sorts after "desktop"), so the undo never went up.
    import tracker.sync.pull as pull_module

    monkeypatch.setattr(pull_module, "SETTLED_S", 10**6)  # the cursor stays on that second however slow this runs
    alpha = feed_host.add("alpha", "Alpha Show")
    account.group("laptop", "desktop")
    a = device(tmp_path, "laptop", account.setup("laptop"))
    b = device(tmp_path, "desktop", account.setup("desktop"))
    assert all(o.ok for o in import_sources(a, [alpha]))
    sync(a)
    sync(b)
    next_second()
    a.mark([by_title(a)["Alpha Show 1"]], listened=True)
    sync(a)
    sync(b)
    assert listening(b, "Alpha Show 1")[0] == "listened"
    next_second()  # the user undoes a moment later
    b.undo()
    assert listening(b, "Alpha Show 1")[0] == "new"
    report = sync(b)
    assert listening(b, "Alpha Show 1")[0] == "new"
    assert report.episodes_changed == 0 and report.episodes_up == 1
    sync(a)
    assert listening(a, "Alpha Show 1")[0] == "new"


def test_a_feed_url_the_server_rewrites_stays_one_subscription(tmp_path: Path, account: Account, feed_host: FeedHost,
                                                                config_dir: Path, proxy: FaultProxy) -> None:
    # gpodder.net rewrites some feed URLs by rules of its own (update_urls). The next sync
    # took the URL here for a new subscription and the server's form for one removed here,
    # sent both, and the server refused the request: every sync after failed.
    alpha = feed_host.add("alpha", "Alpha Show")
    server_form = f"{feed_host.base}/feeds/alpha"
    proxy.sanitize[alpha] = server_form
    account.group("laptop", PHONE)
    setup = account.setup("laptop", server=proxy.url)
    a = device(tmp_path, "laptop", setup)
    assert all(o.ok for o in import_sources(a, [alpha]))
    assert sync(a).subscriptions_up == 1
    phone = account.raw()
    assert phone.call("GET", f"/api/2/subscriptions/{account.user}/{PHONE}.json?since=0")["add"] == [server_form]
    next_second()
    report = sync(a)
    assert report.subscriptions_up == 0 and report.feeds_imported == []
    assert phone.call("GET", f"/api/2/subscriptions/{account.user}/{PHONE}.json?since=0")["add"] == [server_form]
    # Unsubscribed here: the phone follows.
    next_second()
    a.unsubscribe(next(iter(a.shows())))
    assert sync(a).subscriptions_up == 1
    assert phone.call("GET", f"/api/2/subscriptions/{account.user}/{PHONE}.json?since=0")["remove"] == [server_form]


def test_a_play_action_without_a_position_keeps_the_resume_point(tmp_path: Path, account: Account,
                                                                  feed_host: FeedHost, config_dir: Path) -> None:
    # The API makes started/position/total optional: an app that only says "played" sent a
    # play with no position, read as position 0, so the resume point went back to the start
    # here and, sent up as the newest state, on every other device too.
    alpha = feed_host.add("alpha", "Alpha Show")
    a = device(tmp_path, "laptop", account.setup("laptop"))
    assert all(o.ok for o in import_sources(a, [alpha]))
    a.report_progress(by_title(a)["Alpha Show 1"], 300)
    sync(a)
    next_second()
    bare = {k: v for k, v in antennapod_play(alpha, "alpha", 1, 0, 0, 600).items() if k not in ("started", "position")}
    account.raw().call("POST", f"/api/2/episodes/{account.user}.json", [bare])
    report = sync(a)
    assert listening(a, "Alpha Show 1") == ("in_progress", 300, [200, 100, 0])
    assert report.episodes_changed == 0 and report.actions_up == 0


def test_a_subscription_cursor_from_the_future_does_not_hide_later_changes(
        tmp_path: Path, account: Account, feed_host: FeedHost, config_dir: Path, proxy: FaultProxy) -> None:
    # Once, the server answered the subscriptions with a timestamp years ahead (its clock
    # was wrong, then set right). Kept as the cursor, every later sync asked for changes
    # since that future: the feeds the phone subscribed to never arrived.
    alpha = feed_host.add("alpha", "Alpha Show")
    account.group("laptop", PHONE)
    setup = account.setup("laptop", server=proxy.url)
    a = device(tmp_path, "laptop", setup)

    def ahead(line: bytes, answer: Any) -> Any:
        return {**answer, "timestamp": 7258118400} if line.startswith(b"GET /api/2/subscriptions/") else answer

    proxy.edit = ahead
    sync(a)
    proxy.edit = None
    account.raw().call("POST", f"/api/2/subscriptions/{account.user}/{PHONE}.json", {"add": [alpha], "remove": []})
    assert sync(a).feeds_imported == ["Alpha Show"]


def test_two_feeds_of_one_show_sharing_guids_each_get_their_own_listening(
        tmp_path: Path, account: Account, feed_host: FeedHost, config_dir: Path) -> None:
    # A show's public feed and its ad-free (premium) feed carry the same guids with other
    # audio URLs. Matched by guid alone, what the phone heard in one feed was credited to
    # the same episode of the other.
    public = feed_host.add("public", "Public Show")
    premium = f"{feed_host.base}/premium.xml"
    feed_host.feeds["/premium.xml"] = (feed_host.feeds["/public.xml"].replace(b"/public/", b"/premium/")
                                       .replace(b"Public Show", b"Premium Show"))
    a = device(tmp_path, "laptop", account.setup("laptop"))
    assert all(o.ok for o in import_sources(a, [public, premium]))
    sync(a)
    next_second()
    account.raw().call("POST", f"/api/2/episodes/{account.user}.json", [
        {**antennapod_play(premium, "premium", 1, 0, 300, 600), "guid": "public-1"},
        antennapod_play(public, "public", 2, 0, 200, 600),
    ])
    sync(a)
    assert listening(a, "Premium Show 1")[:2] == ("in_progress", 300)
    assert listening(a, "Public Show 1")[:2] == ("new", 0)
    assert listening(a, "Public Show 2")[:2] == ("in_progress", 200)
    assert listening(a, "Premium Show 2")[:2] == ("new", 0)


def test_a_new_library_taking_over_a_device_gets_what_that_device_sent(tmp_path: Path, account: Account,
                                                                        feed_host: FeedHost, config_dir: Path) -> None:
    # A new computer replaces the old laptop and is set up under the laptop's device name.
    # Every action the old laptop had sent was skipped as "our own coming back": the new
    # library got the subscriptions but none of the listening.
    alpha = feed_host.add("alpha", "Alpha Show")
    old = device(tmp_path, "old", account.setup("laptop"))
    assert all(o.ok for o in import_sources(old, [alpha]))
    old.report_progress(by_title(old)["Alpha Show 1"], 300)
    sync(old)
    next_second()
    new = device(tmp_path, "new", account.setup("laptop"))
    report = sync(new)
    assert report.feeds_imported == ["Alpha Show"]
    assert listening(new, "Alpha Show 1") == ("in_progress", 300, [200, 100, 0])
    new.report_progress(by_title(new)["Alpha Show 1"], 400)
    sync(new)
    assert sync(new).actions_down == 0  # what it sent itself is still not taken in again


def test_a_feed_that_moved_stays_subscribed(tmp_path: Path, account: Account, feed_host: FeedHost,
                                            config_dir: Path) -> None:
    # A podcast moved its feed (same podcast:guid); the phone followed and sent the new URL
    # added and the old one removed. Importing the new URL moved the show here, then the
    # old URL's removal unsubscribed that same show, and the next sync sent the new URL
    # up as removed: the show was gone from both.
    alpha = feed_host.add("alpha", "Alpha Show")
    body = feed_host.feeds["/alpha.xml"].replace(
        b"<channel>", b"<channel><podcast:guid>917393e3-1b1e-5cef-ace4-edaa54e1f810</podcast:guid>")
    feed_host.feeds["/alpha.xml"] = feed_host.feeds["/moved.xml"] = body
    moved = f"{feed_host.base}/moved.xml"
    account.group("laptop", PHONE)
    phone = account.raw()
    phone.call("POST", f"/api/2/subscriptions/{account.user}/{PHONE}.json", {"add": [alpha], "remove": []})
    a = device(tmp_path, "laptop", account.setup("laptop"))
    sync(a)
    next_second()
    phone.call("POST", f"/api/2/subscriptions/{account.user}/{PHONE}.json", {"add": [moved], "remove": [alpha]})
    report = sync(a)
    assert report.feeds_unsubscribed == [] and report.subscriptions_up == 0
    [(sid, show)] = a.shows().items()
    assert show["feed_url"] == moved and sid not in a.unsubscribed()


def test_feeds_the_phone_added_are_fetched_together(tmp_path: Path, account: Account, feed_host: FeedHost,
                                                    config_dir: Path) -> None:
    # A first sync bringing 150 subscriptions from the phone fetched and saved them one
    # at a time (17.8 s, where one import of the same feeds takes 1.5 s). They go in one
    # import now: the feed host here answers only once every feed is asked for at once.
    import threading

    urls = [feed_host.add(f"s{i}", f"Show {i}") for i in range(3)]
    gone = f"{feed_host.base}/gone.xml"
    feed_host.gate = threading.Barrier(4, timeout=5)
    account.group("laptop", PHONE)
    a = device(tmp_path, "laptop", account.setup("laptop"))
    account.raw().call("POST", f"/api/2/subscriptions/{account.user}/{PHONE}.json", {"add": [*urls, gone], "remove": []})
    report = sync(a)
    assert sorted(report.feeds_imported) == ["Show 0", "Show 1", "Show 2"]
    assert len(report.failures) == 1 and report.failures[0].startswith(f"{gone}: "), report.failures
    assert "404" in report.failures[0], report.failures
    book = Book(a)
    assert set(book.subs()) == set(urls) and list(failing(book.meta())) == [gone]
