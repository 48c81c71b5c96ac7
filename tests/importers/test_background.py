"""The TUI's import entry point: the same import, in a child process, with progress,
pasted text and a cancel that keeps what was done."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests import feeds
from tests.feed_server import FeedServer
from tests.helpers import SHOW_PAGE
from tracker.importers.background import import_in_process
from tracker.importers.service import Progress
from tracker.model.errors import ImportInterrupted, SettingError
from tracker.model.library import Library


def test_a_feed_imports_in_a_child_process_with_progress(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_bytes(feeds.ATOM)
    (tmp_path / "bad.xml").write_bytes(b"<rss><channel>")
    steps: list[Progress] = []
    outcomes = import_in_process(tmp_path / "lib", [str(tmp_path / "a.xml"), str(tmp_path / "bad.xml")],
                                 progress=steps.append)
    assert [o.ok for o in outcomes] == [True, False] and outcomes[0].show == "Atomic Hour"
    assert "malformed XML" in outcomes[1].message
    assert [s.done for s in steps] == [1, 2] and steps[-1].total == 2
    assert len(Library(tmp_path / "lib").episodes()) == 2  # written by the child, seen here


def test_pasted_text_is_imported(tmp_path: Path) -> None:
    (outcome,) = import_in_process(tmp_path / "lib", [], text=SHOW_PAGE.read_text())
    assert outcome.ok and outcome.kind == "showpage" and outcome.added == 10


def test_a_bad_setting_is_the_same_error_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_CONNECTIONS", "-1")
    with pytest.raises(SettingError, match="TRACKER_CONNECTIONS"):
        import_in_process(tmp_path / "lib", ["https://127.0.0.1:9/x.xml"])


def test_cancel_stops_the_child_and_keeps_what_was_done(tmp_path: Path, server: FeedServer) -> None:
    urls = [server.add(f"/{n}.xml", feeds.rss(f"<item><title>x</title><guid>{n}</guid></item>", title=f"S{n}"),
                       delay=0.3) for n in range(30)]
    cancel = threading.Event()

    def stop_after_some(step: Progress) -> None:
        if step.done >= 6:
            cancel.set()

    with pytest.raises(ImportInterrupted):
        import_in_process(tmp_path / "lib", urls, connections=2, progress=stop_after_some, cancel=cancel)
    kept = len(Library(tmp_path / "lib").shows())
    assert 0 < kept < 30
