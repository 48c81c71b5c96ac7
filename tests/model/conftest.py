from __future__ import annotations

from pathlib import Path

import pytest

from tracker.model.catalog import merge_show
from tracker.model.library import Library
from tracker.model.records import NEW_STATE, EpisodeState

CHAPTERED = "aaaa00000001"  # 600 s, chapters at 0, 100, 300
PLAIN = "bbbb00000002"  # 1200 s, no chapters
UNKNOWN = "cccc00000003"  # no duration, chapters at 0 and 60


def make_library(folder: Path) -> Library:
    library = Library(folder)
    episodes = {
        CHAPTERED: {"show_id": "s1", "show": "Show", "title": "Chaptered", "published": "2024-05-07",
                    "duration_s": 600, "chapters": [
                        {"title": "One", "start_s": 0, "end_s": 100},
                        {"title": "Two", "start_s": 100, "end_s": 300},
                        {"title": "Three", "start_s": 300, "end_s": 600}],
                    "chapters_source": "psc"},
        PLAIN: {"show_id": "s1", "show": "Show", "title": "Plain", "published": "2024-05-08T10:00:00+00:00",
                "duration_s": 1200, "chapters": [], "chapters_source": None},
        UNKNOWN: {"show_id": "s1", "show": "Show", "title": "Unknown length", "published": None,
                  "duration_s": None, "chapters": [
                      {"title": "A", "start_s": 0, "end_s": 60}, {"title": "B", "start_s": 60, "end_s": None}],
                  "chapters_source": "notes"},
    }
    merge_show(library, "s1", {"title": "Show"}, episodes, {k: "" for k in episodes})
    return library


def add_episodes(library: Library, n: int) -> list[str]:
    """``n`` more plain 10-minute episodes of show s2; their ids."""
    episodes = {f"{k:04x}" + "e" * 8: {"show_id": "s2", "show": "Many", "title": f"Episode {k}", "published": None,
                                       "duration_s": 600, "chapters": [], "chapters_source": None}
                for k in range(n)}
    merge_show(library, "s2", {"title": "Many"}, episodes, {k: "" for k in episodes})
    return list(episodes)


def user_states(library: Library) -> dict[str, EpisodeState]:
    """Each episode's state as a user sees it: write times, revisions and blank
    documents left out (undo leaves a blank document where there was none)."""
    states = {eid: EpisodeState.from_doc(doc).with_(updated_at=None, rev=0)
              for eid, doc in library.state_docs().items()}
    return {eid: st for eid, st in states.items() if st != NEW_STATE}


@pytest.fixture()
def library(tmp_path: Path) -> Library:
    return make_library(tmp_path / "lib")
