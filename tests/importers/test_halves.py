"""A large feed imported alone is read in two halves at once: the show must be the same
as when it is read whole, wherever the cut falls, and every way the cut can go wrong
ends in the whole reading."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from tracker.importers import halves
from tracker.importers.document import Read, understand
from tracker.importers.identity import Origin
from tracker.model.errors import ImportFailed

from .test_corpus import CASES

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="reading in halves needs fork")


def read_of(path: Path, raw: bytes | None = None) -> Read:
    return Read(path.name, path.read_bytes() if raw is None else raw, Origin(path=str(path)),
                folder=path.parent, name=path.name)


def outcome(read: Read, alone: bool) -> Any:
    try:
        return understand(read, alone=alone)
    except ImportFailed as err:
        return str(err)


@pytest.fixture
def always_halves(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every document is cut, whatever its size and the machine's load."""
    monkeypatch.setattr(halves, "MIN_BYTES", 0)
    monkeypatch.setattr(halves, "wanted", lambda: True)


@pytest.mark.parametrize("share", [0.0, 0.15, 0.3, 0.45, 0.6, 0.75, 0.9])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_feed_of_the_corpus_reads_the_same_in_halves(case: Path, share: float, always_halves: None,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(halves, "FIRST_SHARE", share)
    read = read_of(case)
    assert outcome(read, alone=True) == outcome(read, alone=False)


def big_feed(items: int = 400) -> bytes:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from generate import make_feed

    return make_feed(items)


def test_a_large_feed_is_cut_and_what_the_channel_says_after_the_cut_still_counts(
        tmp_path: Path, always_halves: None) -> None:
    """<language> after the items decides how numeric dates read, and <title> at the end
    names the show: both come from the second half."""
    raw = big_feed().replace(b"<title>Generated Show</title>", b"")
    raw = raw.replace(b"</channel>", b"<title>Named Late</title><language>en-us</language></channel>")
    raw = raw.replace(b"Tue, 07 May 2024 14:", b"05/07/2024 14:")
    assert halves.cut_in_two(raw, ("rss", "channel"), "item") is not None
    read = read_of(tmp_path / "late.xml", raw)
    kind, show = understand(read, alone=True)
    assert (kind, show) == understand(read)
    assert show.title == "Named Late" and len(show.episodes) == 400
    assert show.episodes[-1].published is not None and show.episodes[-1].published.startswith("2024-05-07")


def test_a_cut_inside_cdata_or_a_comment_falls_back_to_the_whole_reading(tmp_path: Path, always_halves: None,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    raw = big_feed(40)
    middle = raw.index(b"<item>", len(raw) // 2)
    tricky = raw[:middle] + b"<!-- <item> --><item><title>Quoting</title><description><![CDATA[ <item> ]]>" \
        b"</description></item>" + raw[middle:]
    for share in (0.45, 0.5, 0.55):
        monkeypatch.setattr(halves, "FIRST_SHARE", share)
        read = read_of(tmp_path / "tricky.xml", tricky)
        assert understand(read, alone=True) == understand(read)


def test_a_child_that_fails_costs_only_time(tmp_path: Path, always_halves: None,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_episodes: object) -> object:
        raise MemoryError("the child ran out")

    monkeypatch.setattr(halves, "episodes_to_rows", broken)  # (inherited by the forked child)
    read = read_of(tmp_path / "feed.xml", big_feed(100))
    kind, show = understand(read, alone=True)
    assert len(show.episodes) == 100 and (kind, show) == understand(read)


def test_a_bulk_import_or_a_busy_machine_reads_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(halves, "_in_halves", lambda *a: pytest.fail("cut"))
    monkeypatch.setattr(halves, "MIN_BYTES", 0)
    raw = big_feed(20)
    halves.stream_feed(raw, ("rss", "channel"), "item", lambda el, names: None, alone=False)
    monkeypatch.setattr(halves, "_others_running", lambda: 64)  # every core busy right now
    halves.stream_feed(raw, ("rss", "channel"), "item", lambda el, names: None, alone=True)
    monkeypatch.setattr(halves, "_others_running", lambda: None)  # not known: the load average decides
    monkeypatch.setattr(os, "getloadavg", lambda: (64.0, 64.0, 64.0))
    halves.stream_feed(raw, ("rss", "channel"), "item", lambda el, names: None, alone=True)
    monkeypatch.setattr(halves, "_others_running", lambda: 0)
    monkeypatch.setenv("TRACKER_PARSE_PROCESSES", "0")
    halves.stream_feed(raw, ("rss", "channel"), "item", lambda el, names: None, alone=True)
    monkeypatch.undo()
    running = halves._others_running()
    assert running is None or running >= 0


def test_markup_before_the_channel_that_could_hide_a_tag_means_no_cut(tmp_path: Path, always_halves: None) -> None:
    """A processing instruction holding ``<channel>`` before the real one: cut after it,
    the second half would start inside the instruction (a later ``?>`` and a second
    channel would then read other episodes than the document holds)."""
    items = b"".join(b"<item><title>Real %d</title><guid>r%d</guid></item>" % (i, i) for i in range(50))
    raw = (b'<?xml version="1.0"?><rss version="2.0"><?note <channel>?><channel><title>Show</title>' + items
           + b"</channel><!-- ?> --><channel><title>Other</title><item><title>Evil</title></item></channel></rss>")
    assert halves.cut_in_two(raw, ("rss", "channel"), "item") is None
    read = read_of(tmp_path / "pi.xml", raw)
    assert [e.title for e in understand(read, alone=True)[1].episodes] == [f"Real {i}" for i in range(50)]


def test_a_child_that_stalls_is_ended_and_the_feed_read_whole(tmp_path: Path, always_halves: None,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Forked from a thread, a child could wait for ever on a lock another thread held
    (an import lock, say): past a deadline it is killed and the document read whole."""
    import threading
    import time

    parent = os.getpid()
    real = halves.stream_part

    def stalls_in_the_child(*args: Any) -> Any:
        if os.getpid() != parent:
            time.sleep(3600)
        return real(*args)

    monkeypatch.setattr(halves, "stream_part", stalls_in_the_child)
    monkeypatch.setattr(halves, "WAIT_S", 0.3)
    read = read_of(tmp_path / "feed.xml", big_feed(100))
    got: list[Any] = []
    reader = threading.Thread(target=lambda: got.append(understand(read, alone=True)), daemon=True)
    reader.start()
    reader.join(60)  # (a deadline on a hang, not a timing: the wait is 0.3 s)
    assert got and len(got[0][1].episodes) == 100


def test_only_a_process_of_its_own_reads_a_feed_in_halves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The TUI refreshes in a thread of its own process: it never forks. The CLI and the
    TUI's import process ask for halves; a run of several sources never cuts."""
    from tracker.importers.outcomes import Job
    from tracker.importers.run import Runner
    from tracker.model.library import Library

    asked: list[bool] = []
    real = halves.stream_feed

    def spy(*args: Any, **kwargs: Any) -> Any:
        asked.append(bool(args[4] if len(args) > 4 else kwargs.get("alone")))
        return real(*args, **kwargs)

    monkeypatch.setattr(sys.modules["tracker.importers.rss"], "stream_feed", spy)
    feed = tmp_path / "feed.xml"
    feed.write_bytes(big_feed(5))
    library = Library(tmp_path / "lib")
    Runner(library).run([Job((0,), str(feed), str(feed))])
    Runner(library, halves=True).run([Job((0,), str(feed), str(feed)), Job((1,), str(feed) + ".x", str(feed))])
    Runner(library, halves=True).run([Job((0,), str(feed), str(feed))])
    assert asked == [False, False, True]


def test_a_thread_runnable_for_an_instant_does_not_take_the_second_core(monkeypatch: pytest.MonkeyPatch) -> None:
    """One look at the run queue caught a kernel thread or a process ending in about one
    import of five: the feed was then read on one core, 60 ms slower. A core counts as
    busy only when it stays so for a few looks."""
    monkeypatch.delenv("TRACKER_PARSE_PROCESSES", raising=False)
    monkeypatch.setattr(halves, "cores", lambda: 2)
    looks = iter([1, 0])
    monkeypatch.setattr(halves, "_others_running", lambda: next(looks))
    assert halves.wanted()
    busy = iter([1, 1, 1, 0])
    monkeypatch.setattr(halves, "_others_running", lambda: next(busy))
    assert not halves.wanted()
    assert next(busy) == 0  # (three looks, no more)
