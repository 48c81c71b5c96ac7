"""Snapshots of every screen a user sees (pytest-textual-snapshot), at 80x24 and 200x60
(and the catalog at 40x12).

After a deliberate change of look: pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tracker.importers.service import import_sources
from tracker.model.library import Library
from tracker.tui.run import make_app

from .conftest import hostile_feed, settle

def after(*keys: str) -> Any:
    """Press ``keys``, then let writes, workers and the screen settle before the shot."""

    async def run(pilot: Any) -> None:
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)

    return run


SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((200, 60), id="200x60")]


@pytest.mark.parametrize("size", [*SIZES, pytest.param((40, 12), id="40x12")])
def test_library(snap_compare: Any, listening: Library, size: tuple[int, int]) -> None:
    library = listening
    assert snap_compare(make_app(library.folder), terminal_size=size, run_before=after())


@pytest.mark.parametrize("size", SIZES)
def test_chapters(snap_compare: Any, listening: Library, size: tuple[int, int]) -> None:
    library = listening
    assert snap_compare(make_app(library.folder), terminal_size=size, run_before=after("enter"))


@pytest.mark.parametrize("size", SIZES)
def test_queue(snap_compare: Any, listening: Library, size: tuple[int, int]) -> None:
    library = listening
    assert snap_compare(make_app(library.folder), terminal_size=size, run_before=after("tab", "tab", "down"))


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Any, listening: Library, size: tuple[int, int]) -> None:
    library = listening
    assert snap_compare(make_app(library.folder), terminal_size=size, run_before=after("question_mark"))


@pytest.mark.parametrize("size", SIZES)
def test_empty_library(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(tmp_path / "lib"), terminal_size=size)


def test_hostile_text(snap_compare: Any, tmp_path: Path) -> None:
    library = Library(tmp_path / "lib")
    (outcome,) = import_sources(library, [str(hostile_feed(tmp_path / "src"))])
    assert outcome.ok
    library.queue_add(list(library.listings()))
    assert snap_compare(make_app(library.folder), terminal_size=(200, 30), run_before=after())


@pytest.mark.parametrize("size", SIZES)
def test_shows(snap_compare: Any, listening: Library, size: tuple[int, int]) -> None:
    library = listening
    assert snap_compare(make_app(library.folder), terminal_size=size, run_before=after("2"))


def fixed_stats() -> Any:
    """Numbers of a listener's month, fixed so the plots do not move with the calendar."""
    from tracker.model.stats import Stats

    days = [{"date": f"2025-03-{d:02d}", "heard_s": (d * 7 % 11) * 600} for d in range(1, 31)]
    weeks = [{"week": f"2025-{1 + w // 4:02d}-{1 + (w % 4) * 7:02d}", "heard_s": (w * 5 % 9) * 3600}
             for w in range(26)]
    shows = [{"show_id": f"s{i}", "show": name, "heard_s": s} for i, (name, s) in
             enumerate([("The Slow Radio Hour", 40_000), ("Night Shift Radio", 21_000), ("[BONUS] Markup?", 3_000)])]
    return Stats(today="2025-03-30", heard_today_s=1_800, heard_week_s=9_000, heard_month_s=40_000,
                 heard_all_s=64_000, days=days, weeks=weeks, per_show=shows, chapters_done=42, chapters_skipped=7,
                 streak_current=3, streak_longest=9, listened=12, marked_not_heard=2, in_progress=3,
                 queue_episodes=3, queue_remaining_s=6_825, queue_unknown_length=1)


@pytest.mark.parametrize("size", SIZES)
def test_stats(snap_compare: Any, listening: Library, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch) -> None:
    import tracker.tui.screens.stats as screen

    monkeypatch.setattr(screen, "stats", lambda library: fixed_stats())
    library = listening
    assert snap_compare(make_app(library.folder), terminal_size=size, run_before=after("3"))


@pytest.mark.parametrize("size", SIZES)
def test_history(snap_compare: Any, listening: Library, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch) -> None:
    import tracker.tui.widgets.history_list as history

    monkeypatch.setattr(history, "local_time", lambda iso: "2025-03-03 08:15")  # the clock moves; the look not
    library = listening
    library.undo()
    assert snap_compare(make_app(library.folder), terminal_size=size, run_before=after("4"))
