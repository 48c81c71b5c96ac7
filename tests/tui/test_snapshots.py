"""Snapshots of the screens a user sees (pytest-textual-snapshot).

After a deliberate change of look: pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path

from tracker.demo import add_sample_listening, load_demo
from tracker.importers.service import import_sources
from tracker.model.library import Library
from tracker.tui.run import make_app

from .conftest import hostile_feed, settle

SIZE = (140, 36)


def demo_with_listening(folder: Path) -> Library:
    library = load_demo(folder)
    add_sample_listening(library)
    return library


def test_main_screen(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    library = demo_with_listening(tmp_path / "lib")
    assert snap_compare(make_app(library.folder), terminal_size=SIZE, run_before=settle)


def test_chapter_list_with_mixed_states(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    library = demo_with_listening(tmp_path / "lib")
    assert snap_compare(make_app(library.folder), press=["enter"], terminal_size=SIZE, run_before=settle)


def test_queue(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    library = demo_with_listening(tmp_path / "lib")

    async def focus_queue(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        pilot.app.query_one("#queue-list").focus()
        await pilot.pause()

    assert snap_compare(make_app(library.folder), press=["down"], terminal_size=SIZE, run_before=focus_queue)


def test_help_screen(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    library = demo_with_listening(tmp_path / "lib")
    assert snap_compare(make_app(library.folder), press=["question_mark"], terminal_size=SIZE, run_before=settle)


def test_empty_library(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(tmp_path / "lib"), terminal_size=SIZE)


def test_hostile_text(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    library = Library(tmp_path / "lib")
    (outcome,) = import_sources(library, [str(hostile_feed(tmp_path / "src"))])
    assert outcome.ok
    library.queue_add(list(library.listings()))
    assert snap_compare(make_app(library.folder), terminal_size=(200, 30), run_before=settle)
