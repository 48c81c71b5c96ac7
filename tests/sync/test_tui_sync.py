"""The TUI syncs in a worker on open and on `S`, shows progress and the last sync, and
reports a failure as a notice while keys keep working."""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Any

from tests.sync.conftest import Account, FeedHost, device
from tests.sync.proxy import FaultProxy
from tests.sync.silent_host import silent_host
from tests.sync.test_devices import PHONE, antennapod_play, by_title, next_second
from tracker.importers.service import import_sources
from tracker.model.library import Library
from tracker.sync.config import save
from tracker.tui.run import make_app
from tracker.tui.sync_bar import SyncBar


async def wait_for(pilot, condition, what: str, limit_s: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + limit_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await pilot.pause(0.05)


def bar_text(app) -> str:  # type: ignore[no-untyped-def]
    return app.query_one(SyncBar).visual.plain


def recorded_notices(app: Any) -> list[str]:
    """Every notice the app shows from now on, as its text."""
    said: list[str] = []
    notify = app.notify

    def record(message: str, **kwargs: Any) -> None:
        said.append(message)
        notify(message, **kwargs)

    app.notify = record
    return said


async def test_tui_syncs_on_open_and_on_the_key(tmp_path: Path, account: Account, feed_host: FeedHost,
                                                config_dir: Path) -> None:
    alpha = feed_host.add("alpha", "Alpha Show")
    account.group("laptop", PHONE)
    library = device(tmp_path, "laptop", account.setup("laptop"))
    import_sources(library, [alpha])
    library.report_progress(by_title(library)["Alpha Show 1"], 250)
    app = make_app(library.folder, watch_interval=0.1)
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: bar_text(app).startswith("synced"), "the first sync")
        actions = account.raw().call("GET", f"/api/2/episodes/{account.user}.json?since=0")["actions"]
        assert any(a["episode"].endswith("/1.mp3") and a["position"] == 250 for a in actions)

        next_second()
        account.raw().call("POST", f"/api/2/episodes/{account.user}.json",
                           [antennapod_play(alpha, "alpha", 2, 0, 330, 600)])
        await pilot.press("S")
        await wait_for(pilot, lambda: app.sync.last_report is not None and app.sync.last_report.episodes_changed == 1,
                       "the sync on S")
        assert bar_text(app).startswith("synced")
        assert library.state(by_title(library)["Alpha Show 2"]).position_s == 330


async def test_tui_sync_failure_is_a_notice_and_keys_still_work(tmp_path: Path, account: Account,
                                                                config_dir: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    library = device(tmp_path, "laptop", account.setup("laptop", server=dead))
    save(library.folder, account.setup("laptop", server=dead))
    app = make_app(library.folder, watch_interval=0.1)
    said = recorded_notices(app)
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: "failed" in bar_text(app), "the failed sync")
        assert app.query_one(SyncBar).has_class("-failed")
        assert any(m.startswith("sync failed: cannot reach the sync server") for m in said), said
        assert all(account.password not in m for m in said)
        await pilot.press("question_mark")  # the help screen still opens
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HelpScreen"


async def test_tui_sync_from_a_dripping_server_ends_as_a_notice(tmp_path: Path, account: Account,
                                                                config_dir: Path, proxy: FaultProxy) -> None:
    # Every answer drips a byte per 0.1 s: never silent for the 0.5 s timeout, yet the
    # worker's request still ends at 1.5 s with a notice.
    library = device(tmp_path, "laptop", account.setup("laptop", server=proxy.url, timeout_s=0.5))
    proxy.drip_s = 0.1
    proxy.inject("drip")
    app = make_app(library.folder, watch_interval=0.1)
    said = recorded_notices(app)
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: "failed" in bar_text(app), "the failed sync")
        assert any(m.startswith("sync failed: the sync server") and "did not finish" in m for m in said), said
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HelpScreen"


async def test_the_key_says_how_to_set_sync_up(tmp_path: Path, config_dir: Path) -> None:
    from tracker.demo import load_demo

    library = load_demo(tmp_path / "lib")
    app = make_app(library.folder, watch_interval=0.1)
    said = recorded_notices(app)
    async with app.run_test() as pilot:
        assert not app.query_one(SyncBar).display  # nothing to show when sync is not set up
        await pilot.press("S")
        await pilot.pause()
        assert any("tracker sync setup" in m for m in said), said


async def test_sync_set_up_while_the_app_is_open_then_runs_every_interval(tmp_path: Path, account: Account,
                                                                          config_dir: Path) -> None:
    # Set up in a shell while the TUI was open, `S` synced once, and then it never synced
    # again by itself: the interval was only started when the app opened already set up.
    library = Library(tmp_path / "laptop")
    app = make_app(library.folder, watch_interval=0.1)
    async with app.run_test() as pilot:
        assert app.sync._timer is None
        save(library.folder, account.setup("laptop"))
        await pilot.press("S")
        await wait_for(pilot, lambda: bar_text(app).startswith("synced"), "the sync on S")
        assert app.sync._timer is not None


async def test_quitting_does_not_wait_for_a_silent_server(tmp_path: Path, account: Account, config_dir: Path,
                                                          proxy: FaultProxy) -> None:
    # The server stopped answering mid-sync and the user pressed q: the screen closed, yet
    # the process went on waiting for the sync's thread until the server timed out (15 s
    # by default, 45 s for a server that drips). Closing now stops the sync at once.
    library = device(tmp_path, "laptop", account.setup("laptop", server=proxy.url, timeout_s=60))
    proxy.inject("stall")
    app = make_app(library.folder, watch_interval=0.1)
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: app.sync._api is not None, "the sync to start")
        await pilot.press("q")
    deadline = time.monotonic() + 10  # far inside the 60 s the server would be given
    while app.sync._api is not None:
        assert time.monotonic() < deadline, "the sync still waits for the server after the app closed"
        time.sleep(0.05)


async def test_a_sync_that_moved_only_subscriptions_says_so(tmp_path: Path, account: Account, feed_host: FeedHost,
                                                            config_dir: Path) -> None:
    # A sync that only sent a subscription, or only resubscribed a show the phone took
    # back, showed no notice and '↓0 ↑0' on the bar: nothing told the user it did anything.
    alpha = feed_host.add("alpha", "Alpha Show")
    account.group("laptop", PHONE)
    library = device(tmp_path, "laptop", account.setup("laptop"))
    import_sources(library, [alpha])
    app = make_app(library.folder, watch_interval=0.1)
    said = recorded_notices(app)
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: bar_text(app).startswith("synced"), "the first sync")
        assert any("1 subscription change" in m for m in said), said
        show = next(iter(library.shows()))
        library.unsubscribe(show)
        app.sync.run_now()
        await wait_for(pilot, lambda: not app.sync.running, "the sync sending the removal")
        next_second()
        account.raw().call("POST", f"/api/2/subscriptions/{account.user}/{PHONE}.json", {"add": [alpha], "remove": []})
        said.clear()
        app.sync.run_now()
        await wait_for(pilot, lambda: not app.sync.running and app.sync.last_report is not None
                       and app.sync.last_report.feeds_resubscribed != [], "the sync resubscribing")
        assert any("1 resubscribed" in m for m in said), said


async def test_a_failed_sync_still_says_what_it_said_once(tmp_path: Path, account: Account, feed_host: FeedHost,
                                                          config_dir: Path, proxy: FaultProxy) -> None:
    # The feed that could not be imported is booked as said: the notice of the failure
    # alone left it never said.
    gone = f"{feed_host.base}/gone.xml"
    account.group("laptop", PHONE)
    library = device(tmp_path, "laptop", account.setup("laptop", server=proxy.url))
    account.raw().call("POST", f"/api/2/subscriptions/{account.user}/{PHONE}.json", {"add": [gone], "remove": []})
    proxy.inject("error500", after=1)  # subscriptions down pass; episode actions down fail
    app = make_app(library.folder, watch_interval=0.1)
    said = recorded_notices(app)
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: app.query_one(SyncBar).has_class("-failed"), "the failed sync")  # (the import's line says "failed" too)
        assert any(f"feed not imported: {gone}: HTTP 404" in m for m in said), (said, bar_text(app))


async def test_quitting_does_not_wait_for_a_silent_feed_the_sync_imports(
        tmp_path: Path, account: Account, config_dir: Path, monkeypatch: Any) -> None:
    # The phone subscribed to a feed whose host never answers, and the user pressed q
    # while the sync fetched it: the screen closed, yet the process waited for the fetch
    # to time out (20 s by default, 60 s for one that drips) before the shell came back.
    monkeypatch.setenv("TRACKER_HTTP_TIMEOUT", "60")
    with silent_host() as (feed, asked):
        account.group("laptop", PHONE)
        account.raw().call("POST", f"/api/2/subscriptions/{account.user}/{PHONE}.json", {"add": [feed], "remove": []})
        library = device(tmp_path, "laptop", account.setup("laptop"))
        app = make_app(library.folder, watch_interval=0.1)
        async with app.run_test() as pilot:
            await wait_for(pilot, asked.is_set, "the sync to fetch the feed")
            await pilot.press("q")
        deadline = time.monotonic() + 15  # far inside the 60 s the feed would be given
        while app.sync._api is not None:
            assert time.monotonic() < deadline, "the sync still waits for the feed after the app closed"
            time.sleep(0.05)
