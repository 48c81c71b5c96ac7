"""Sync through a proxy that drops, fails and stalls: nothing lost, nothing applied twice,
and the libraries converge. Plus each failure on its own: one line, exit 1, and the
next sync resumes."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.sync.conftest import Account, FeedHost, device
from tests.sync.one_answer import Quiet, answering
from tests.sync.proxy import FAULTS, FaultProxy
from tests.sync.test_devices import PHONE, antennapod_play, by_title, next_second
from tracker.importers.service import import_sources
from tracker.model.errors import SyncError
from tracker.model.library import Library
from tracker.sync.book import Book
from tracker.sync.config import SyncSetup
from tracker.sync.engine import run_sync
from tracker.sync.push import pending_count

ROUNDS = 60
EPISODES = 6
LENGTH = 3600
CHAPTERS = ((0, 1200), (1200, 2400), (2400, 3600))


def union_by_chapter(spans: list[tuple[int, int]]) -> list[int]:
    """Seconds of each chapter covered by the union of ``spans``."""
    covered = [0] * LENGTH
    for a, b in spans:
        for s in range(max(0, a), min(LENGTH, b)):
            covered[s] = 1
    return [sum(covered[a:b]) for a, b in CHAPTERS]


def state_of(library: Library) -> dict[str, tuple[str, float | None, list[int]]]:
    """Status, resume point (none once listened: it starts over) and seconds heard per chapter."""
    out: dict[str, tuple[str, float | None, list[int]]] = {}
    for title, eid in by_title(library).items():
        st = library.state(eid)
        position = None if st.status == "listened" else round(st.position_s)
        out[title] = (st.status, position, [round(c.heard_s) for c in library.chapter_progress(eid)])
    return out



def alpha_device(tmp_path: Path, account: Account, feed_host: FeedHost,
                 **setup: Any) -> tuple[str, SyncSetup, Library]:
    """Device "a" set up to sync (``setup``: the setup's options) with the Alpha Show imported."""
    alpha = feed_host.add("alpha", "Alpha Show")
    config = account.setup("a", **setup)
    library = device(tmp_path, "a", config)
    import_sources(library, [alpha])
    return alpha, config, library

def test_randomised_faults_lose_nothing_and_converge(tmp_path: Path, account: Account, feed_host: FeedHost,
                                                     config_dir: Path, proxy: FaultProxy) -> None:
    rng = random.Random(20261126)
    alpha = feed_host.add("alpha", "Alpha Show", episodes=EPISODES, length=LENGTH)
    account.group("a", "b", PHONE)
    setups = {name: account.setup(name, server=proxy.url, timeout_s=0.5) for name in ("a", "b")}
    libs = {name: device(tmp_path, name, setups[name]) for name in ("a", "b")}
    assert all(o.ok for o in import_sources(libs["a"], [alpha]))
    heard: dict[str, list[tuple[int, int]]] = {}  # every span anyone reported, per episode number
    outcomes: Counter[str] = Counter()
    for _round in range(ROUNDS):
        name = rng.choice("ab")
        library = libs[name]
        titles = by_title(library)
        for _op in range(rng.randint(0, 2)):
            if not titles:
                break
            n = rng.randint(1, EPISODES)
            start = rng.randrange(0, LENGTH - 10, 10)
            end = min(LENGTH - 30, start + rng.randrange(10, 400, 10))  # the end would make it listened
            eid = titles[f"Alpha Show {n}"]
            if end <= start or library.state(eid).status == "listened":
                continue  # a listened episode is heard again from the start: not what this test follows
            library.set_resume_point(eid, start)
            library.report_progress(eid, end)
            heard.setdefault(str(n), []).append((start, end))
        if rng.random() < 0.15:
            n = rng.randint(1, EPISODES)
            start = rng.randrange(0, LENGTH - 10, 10)
            end = min(LENGTH - 20, start + rng.randrange(10, 400, 10))
            if end > start:
                account.raw().call("POST", f"/api/2/episodes/{account.user}.json",
                                   [antennapod_play(alpha, "alpha", n, start, end, LENGTH)])
                heard.setdefault(str(n), []).append((start, end))
        fault = rng.choice([*FAULTS, None, None])
        proxy.inject(fault, after=rng.randrange(0, 5))
        try:
            run_sync(library, setups[name])
            outcomes["ok" if fault is None else "ok: the fault came after the last request"] += 1
        except SyncError:
            outcomes[f"failed: {fault}"] += 1
    proxy.inject(None)
    print(dict(outcomes))  # shown with -s: how the rounds went
    assert sum(v for k, v in outcomes.items() if k.startswith("failed")) >= 15, outcomes

    calm = {name: SyncSetup(**{**setups[name].__dict__, "timeout_s": 10.0}) for name in "ab"}
    for name in "abab":
        run_sync(libs[name], calm[name])
    a, b = state_of(libs["a"]), state_of(libs["b"])
    assert a == b
    checked = 0
    for n, spans in heard.items():
        status, _position, chapters = a[f"Alpha Show {n}"]
        if status != "listened":
            assert chapters == union_by_chapter(spans), (n, spans)
            checked += 1
    assert checked >= EPISODES // 2, (a, heard)  # most episodes are still in progress: their heard time is checked
    for library in libs.values():
        assert pending_count(library, Book(library)) == 0
        assert not Book(library).outbox()


@pytest.mark.parametrize("fault", FAULTS)
def test_each_failure_is_one_line_and_the_next_sync_resumes(tmp_path: Path, account: Account, feed_host: FeedHost,
                                                            config_dir: Path, proxy: FaultProxy, fault: str) -> None:
    alpha, setup, library = alpha_device(tmp_path, account, feed_host, server=proxy.url, timeout_s=0.5)
    eid = by_title(library)["Alpha Show 1"]
    library.report_progress(eid, 250)
    proxy.inject(fault, after=3)  # subscriptions down and up, actions down pass; the upload fails
    with pytest.raises(SyncError) as caught:
        run_sync(library, setup)
    message = str(caught.value)
    assert "\n" not in message and account.password not in message and "Traceback" not in message
    assert pending_count(library, Book(library)) == 1
    proxy.inject(None)
    run_sync(library, SyncSetup(**{**setup.__dict__, "timeout_s": 10.0}))
    assert pending_count(library, Book(library)) == 0
    actions = account.raw().call("GET", f"/api/2/episodes/{account.user}.json?since=0")["actions"]
    assert [(x["started"], x["position"]) for x in actions if x["episode"].endswith("/1.mp3")][-1][1] == 250


def test_a_library_busy_elsewhere_is_not_called_another_sync(tmp_path: Path, account: Account,
                                                             config_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Another tracker held the library (a long write); sync said "another sync of this
    # library is running", which no one was.
    import fcntl
    import os

    from store import LibraryBusy
    from store.store import LOCK_NAME

    monkeypatch.setenv("TRACKER_LOCK_TIMEOUT", "0.2")
    setup = account.setup("a")
    library = device(tmp_path, "a", setup)
    run_sync(library, setup)
    fd = os.open(library.folder / LOCK_NAME, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(LibraryBusy) as caught:
            run_sync(Library(library.folder), setup)
    finally:
        os.close(fd)
    assert "another sync" not in str(caught.value) and "library is busy" in str(caught.value)


def test_a_sync_as_a_new_setup_waits_for_the_running_one_before_starting_over(
        tmp_path: Path, account: Account, config_dir: Path) -> None:
    # Set up for another device (or server) while the TUI's sync ran: `tracker sync`
    # cleared the bookkeeping before it found the other sync running, and that sync then
    # wrote its old server's cursors and "ok" into the new setup's, whose first sync
    # skipped everything before those cursors.
    import fcntl
    import os

    from tracker.sync.engine import LOCK_NAME

    old = account.setup("a")
    library = device(tmp_path, "a", old)
    run_sync(library, old)
    before = Book(library).meta()
    fd = os.open(library.folder / LOCK_NAME, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # the other sync, as the old setup
        with pytest.raises(SyncError, match="another sync"):
            run_sync(Library(library.folder), account.setup("b"))
    finally:
        os.close(fd)
    assert Book(Library(library.folder)).meta() == before


def test_an_action_whose_device_is_not_text_is_read_not_a_traceback(tmp_path: Path, account: Account,
                                                                     feed_host: FeedHost, config_dir: Path,
                                                                     proxy: FaultProxy) -> None:
    # A server answered an action with "device": ["phone"]; sync stopped with a TypeError
    # traceback (unhashable type) and never got past it.
    alpha, setup, library = alpha_device(tmp_path, account, feed_host, server=proxy.url)
    odd = {**antennapod_play(alpha, "alpha", 1, 0, 100, 600), "device": ["phone"]}
    proxy.edit = lambda line, answer: ({**answer, "actions": [odd, {**odd, "device": {"id": 1}}]}
                                       if line.startswith(b"GET /api/2/episodes/") else answer)
    run_sync(library, setup)
    assert library.state(by_title(library)["Alpha Show 1"]).position_s == 100


def test_a_server_naming_a_local_file_as_a_feed_is_refused(tmp_path: Path, account: Account, feed_host: FeedHost,
                                                           config_dir: Path, proxy: FaultProxy) -> None:
    # The server's subscription list said file:///...: sync read that file on this
    # computer and imported it (an OPML there brought in every feed it names), though a
    # list from the network may name only http(s) feeds.
    alpha = feed_host.add("alpha", "Alpha Show")
    local = tmp_path / "private.opml"
    local.write_text(f'<opml version="2.0"><body><outline type="rss" text="A" xmlUrl="{alpha}"/></body></opml>')
    setup = account.setup("a", server=proxy.url)
    library = device(tmp_path, "a", setup)
    proxy.edit = lambda line, answer: ({**answer, "add": [f"file://{local}"]}
                                       if line.startswith(b"GET /api/2/subscriptions/") else answer)
    report = run_sync(library, setup)
    assert report.feeds_imported == [] and not library.shows()
    assert len(report.failures) == 1 and "refused" in report.failures[0]


def test_an_action_the_server_sends_twice_in_one_answer_is_not_echoed_back(tmp_path: Path, account: Account,
                                                                          feed_host: FeedHost, config_dir: Path) -> None:
    # A phone's upload held the same play action twice: the sync that took it in said
    # "up: 1 episode action" though nothing was heard here, and the next syncs said it
    # again while the server kept re-delivering that second.
    alpha, setup, library = alpha_device(tmp_path, account, feed_host)
    run_sync(library, setup)
    next_second()
    play = antennapod_play(alpha, "alpha", 1, 0, 100, 600)
    account.raw().call("POST", f"/api/2/episodes/{account.user}.json", [play, play])
    first, second = run_sync(library, setup), run_sync(library, setup)
    assert (first.actions_down, first.episodes_changed) == (1, 1)
    assert library.state(by_title(library)["Alpha Show 1"]).position_s == 100
    assert (first.actions_up, second.actions_up) == (0, 0)


def test_an_answer_cut_short_is_called_a_dropped_connection(tmp_path: Path, account: Account, feed_host: FeedHost,
                                                            config_dir: Path, proxy: FaultProxy) -> None:
    # The connection dropped halfway through an answer (its Content-Length said more was
    # coming): sync blamed the server for "malformed JSON", sending the user to look at
    # the server instead of the network.
    setup = account.setup("a", server=proxy.url)
    library = device(tmp_path, "a", setup)
    proxy.inject("cut_answer")
    with pytest.raises(SyncError) as caught:
        run_sync(library, setup)
    assert "dropped" in str(caught.value) and "malformed" not in str(caught.value)
    proxy.inject(None)
    run_sync(library, setup)


def test_a_redirect_to_a_login_page_is_not_offered_as_the_server(tmp_path: Path) -> None:
    # A captive portal (or a single sign-on page) answered with a redirect to its login
    # page: sync said "set sync up with http://portal.example/login", sending the user to
    # set up a server that is not one. Only a redirect to the same request elsewhere (the
    # server moved) is offered as the server's new address.
    from tracker.sync.http import Http

    class Portal(Quiet):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(302)
            self.send_header("Location", "http://portal.example/login?from=" + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

    with answering(Portal) as base:
        http = Http(base, "ada", "pw", 5.0)
        try:
            with pytest.raises(SyncError) as caught:
                http.get("/api/2/episodes/ada.json", {"since": 0})
        finally:
            http.close()
    message = str(caught.value)
    assert "portal.example/login" in message and "sync setup" not in message, message


def test_a_server_that_puts_a_byte_order_mark_before_its_json_is_read(tmp_path: Path, account: Account,
                                                                      feed_host: FeedHost, config_dir: Path,
                                                                      proxy: FaultProxy) -> None:
    # A PHP server whose source file was saved with a byte order mark sends it before
    # every answer; phone apps read past it, and every sync here stopped on "malformed JSON".
    alpha, setup, library = alpha_device(tmp_path, account, feed_host, server=proxy.url)
    library.report_progress(by_title(library)["Alpha Show 1"], 250)
    proxy.inject("bom")
    report = run_sync(library, setup)
    assert report.actions_up >= 1 and pending_count(library, Book(library)) == 0


def _sync_error(tmp_path: Path, account: Account, proxy: FaultProxy, status: bytes, extra: list[bytes],
                body: bytes) -> str:
    """The one line a sync ends with when every answer is ``status`` with ``extra`` headers."""
    setup = account.setup("a", server=proxy.url)
    library = device(tmp_path, "a", setup)
    proxy.canned = (status, extra, body)
    proxy.inject("canned")
    with pytest.raises(SyncError) as caught:
        run_sync(library, setup)
    message = str(caught.value)
    assert len(message.splitlines()) == 1, message
    return message


@pytest.mark.parametrize(("status", "after", "said"), [
    (b"HTTP/1.1 429 Too Many Requests", b"120", "try again in 2 min"),
    (b"HTTP/1.1 503 Service Unavailable", b"30", "try again in 30 s"),
])
def test_a_busy_server_says_when_to_try_again(tmp_path: Path, account: Account, config_dir: Path,
                                              proxy: FaultProxy, status: bytes, after: bytes, said: str) -> None:
    # A server (or its rate limiter) answered 429 or 503 with Retry-After: the line named
    # the status and never said when another sync would be let through.
    message = _sync_error(tmp_path, account, proxy, status, [b"Retry-After: " + after], b'{"detail": "slow down"}')
    assert said in message and status.split(b" ", 2)[1].decode() in message, message


def test_a_retry_after_given_as_a_date_is_said_as_a_local_time(tmp_path: Path, account: Account, config_dir: Path,
                                                               proxy: FaultProxy) -> None:
    from datetime import datetime, timedelta, timezone
    from email.utils import format_datetime

    then = (datetime.now(timezone.utc) + timedelta(hours=3)).replace(microsecond=0)
    message = _sync_error(tmp_path, account, proxy, b"HTTP/1.1 503 Service Unavailable",
                          [b"Retry-After: " + format_datetime(then, usegmt=True).encode()], b"")
    assert f"try again after {then.astimezone():%H:%M}" in message, message



def test_a_403_is_not_called_a_wrong_password(tmp_path: Path, account: Account, config_dir: Path,
                                              proxy: FaultProxy) -> None:
    # A web firewall (or a proxy) in front of the server answered 403: sync said it
    # "refused the login ... check the user and password", and a correct password was
    # typed again in vain. Only a 401 is about the credentials.
    message = _sync_error(tmp_path, account, proxy, b"HTTP/1.1 403 Forbidden", [b"Content-Type: text/html"],
                          b"<html><body>Request blocked</body></html>")
    assert "403" in message and "refused access" in message, message
    assert "password" not in message and "login" not in message, message



def test_a_web_page_instead_of_the_api_is_named_as_one(tmp_path: Path, account: Account, config_dir: Path,
                                                       proxy: FaultProxy) -> None:
    # On public Wi-Fi a captive portal answers every request with its login page (200,
    # HTML): sync said the server sent "malformed JSON", blaming a server it never reached.
    page = b"<!DOCTYPE html>\n<html><head><title>Welcome to Cafe Wi-Fi</title></head><body>Sign in</body></html>"
    message = _sync_error(tmp_path, account, proxy, b"HTTP/1.1 200 OK", [b"Content-Type: text/html; charset=utf-8"],
                          page)
    assert "malformed" not in message and "web page" in message, message
