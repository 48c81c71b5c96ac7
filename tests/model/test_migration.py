"""A library written before heard time became spans opens with its progress kept."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tracker.model.library import Library

from .conftest import CHAPTERED, PLAIN, make_library, user_states


def old_state_file(folder: Path) -> None:
    """state.json as schema 1 wrote it: heard seconds and marks by chapter index."""
    doc = {
        "episodes": {
            CHAPTERED: {"status": "in_progress", "position_s": 150.0, "chapters": [[100.0, None], [50.0, None],
                                                                                   [0.0, "skipped"]],
                        "listened_at": None, "updated_at": "2025-01-01T00:00:00+00:00"},
            PLAIN: {"status": "in_progress", "position_s": 300.0, "chapters": [], "listened_at": None,
                    "updated_at": "2025-01-01T00:00:00+00:00"},
        },
        "queue": {"queue": {"items": [[CHAPTERED, 2], [PLAIN, None]]}},
        "_meta": {"schema": {"version": 1, "file": "state"}},
    }
    (folder / "state.json").write_bytes(orjson.dumps(doc))


def test_an_old_state_file_is_migrated_once_with_its_progress(tmp_path: Path) -> None:
    make_library(tmp_path / "lib")
    old_state_file(tmp_path / "lib")
    library = Library(tmp_path / "lib")
    assert [p.heard_s for p in library.chapter_progress(CHAPTERED)] == [100, 50, 0]
    assert library.chapter_states(CHAPTERED) == ["done", "in_progress", "skipped"]
    assert library.state(CHAPTERED).spans == ((0, 150),)
    assert library.state(PLAIN).position_s == 300 and library.state(PLAIN).heard_s == 0
    assert [e.id for e in library.queue()] == [CHAPTERED, PLAIN]
    assert library.resume(CHAPTERED).chapter == 2  # the queue's start chapter is the resume point now
    assert any("upgraded from schema 1 to 2" in n for n in library.notices)
    assert (tmp_path / "lib" / "backups" / "state.schema1.json").exists()
    again = Library(tmp_path / "lib")
    again.state(CHAPTERED)
    assert again.notices == []  # once only
    library.report_progress(CHAPTERED, 320)  # progress goes on from the migrated state
    assert library.chapter_states(CHAPTERED) == ["done", "done", "skipped"]


def test_a_mark_follows_its_chapter_when_one_is_inserted(tmp_path: Path) -> None:
    from tracker.model.catalog import merge_show

    library = make_library(tmp_path / "lib")
    library.mark_chapter(CHAPTERED, 2, "skipped")
    library.report_progress(CHAPTERED, 50)
    doc = library.episode_doc(CHAPTERED)
    assert doc is not None
    doc["chapters"] = [{"title": "Ad", "start_s": 0, "end_s": 20}, {"title": "One", "start_s": 20, "end_s": 100},
                       {"title": "Two", "start_s": 100, "end_s": 300}, {"title": "Three", "start_s": 300, "end_s": 600}]
    merge_show(library, "s1", {"title": "Show"}, {CHAPTERED: doc}, {CHAPTERED: ""})
    assert library.chapter_states(CHAPTERED) == ["done", "in_progress", "skipped", "new"]
    library.mark_chapter(CHAPTERED, 4, "done")
    assert library.chapter_states(CHAPTERED) == ["done", "in_progress", "skipped", "done"]


@pytest.mark.parametrize("meta", [{"version": 0, "file": "state"}, None], ids=["version-0", "no-meta"])
def test_a_current_state_file_that_says_an_older_version_loses_nothing(tmp_path: Path, meta: object) -> None:
    """Audit E4: a schema-2 state.json whose ``_meta`` says 0 (or is gone) was migrated
    as schema 1 and its heard spans and chapter marks were dropped."""
    library = make_library(tmp_path / "lib")
    library.report_progress(CHAPTERED, 150)
    library.mark_chapter(CHAPTERED, 3, "skipped")
    library.report_progress(PLAIN, 300)
    library.queue_add([PLAIN])
    before = user_states(library)
    path = tmp_path / "lib" / "state.json"
    data = orjson.loads(path.read_bytes())
    if meta is None:
        del data["_meta"]
    else:
        data["_meta"]["schema"] = meta
    path.write_bytes(orjson.dumps(data))
    again = Library(tmp_path / "lib")
    assert user_states(again) == before
    assert again.chapter_states(CHAPTERED) == ["done", "in_progress", "skipped"]
    assert again.state(CHAPTERED).spans == ((0, 150),)
    assert [e.id for e in again.queue()] == [PLAIN]
    assert any("upgraded from schema 1 to 2" in n for n in again.notices)
    assert Library(tmp_path / "lib").notices == []  # stamped current: upgraded once
