"""Snapshots of every screen a user sees (pytest-textual-snapshot), at 80x24 and 200x60
(and the catalog at 40x12).

After a deliberate change of look: pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tracker.demo import add_sample_listening, load_demo
from tracker.importers.service import import_sources
from tracker.model.library import Library
from tracker.tui.run import make_app

from .conftest import hostile_feed, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((200, 60), id="200x60")]


def demo_with_listening(folder: Path) -> Library:
    library = load_demo(folder)
    add_sample_listening(library)
    return library


@pytest.mark.parametrize("size", [*SIZES, pytest.param((40, 12), id="40x12")])
def test_library(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    library = demo_with_listening(tmp_path / "lib")
    assert snap_compare(make_app(library.folder), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_chapters(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    library = demo_with_listening(tmp_path / "lib")
    assert snap_compare(make_app(library.folder), press=["enter"], terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_queue(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    library = demo_with_listening(tmp_path / "lib")
    assert snap_compare(make_app(library.folder), press=["tab", "tab", "down"], terminal_size=size,
                        run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    library = demo_with_listening(tmp_path / "lib")
    assert snap_compare(make_app(library.folder), press=["question_mark"], terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_empty_library(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(tmp_path / "lib"), terminal_size=size)


def test_hostile_text(snap_compare: Any, tmp_path: Path) -> None:
    library = Library(tmp_path / "lib")
    (outcome,) = import_sources(library, [str(hostile_feed(tmp_path / "src"))])
    assert outcome.ok
    library.queue_add(list(library.listings()))
    assert snap_compare(make_app(library.folder), terminal_size=(200, 30), run_before=settle)
