"""A library file edited by hand: valid JSON, but a field of the wrong kind. Commands
that read it ended in a traceback; they now name the file, the document and the field
in one line, with exit 1 (the README's "library damaged")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from .support import fails, ids, ok


def edit(lib: Path, pattern: str, table: str, eid: str, change: dict[str, Any]) -> str:
    """Change one stored document in place, as a text editor would; the file's name."""
    for path in sorted(lib.glob(pattern)):
        data = orjson.loads(path.read_bytes())
        if eid in data.get(table, {}):
            data[table][eid].update(change)
            path.write_bytes(orjson.dumps(data))
            return path.name
    raise AssertionError(f"{eid} is in no {pattern}")


@pytest.mark.parametrize("change", [{"title": 7}, {"published": 20240507}, {"duration_s": "long"}])
def test_a_listing_field_of_the_wrong_kind_is_one_line_naming_it(lib: Path, change: dict[str, Any]) -> None:
    eid = ids(lib)["Radio Silence"]
    name = edit(lib, "episodes-*.json", "episodes", eid, change)
    field = next(iter(change))
    for command in (["episodes"], ["show", eid]):
        err = fails(lib, 1, *command)
        assert name in err and eid in err and f"has a {field} that is" in err, err


def test_a_chapter_without_a_start_is_one_line_naming_it(lib: Path) -> None:
    eid = ids(lib)["Radio Silence"]
    name = edit(lib, "details-*.json", "details", eid, {"chapters": [{"title": "Intro", "start_s": "soon"}]})
    err = fails(lib, 1, "show", eid)
    assert name in err and "has a chapters that is a list" in err, err


def test_a_library_as_tracker_wrote_it_has_nothing_blamed_on_it(lib: Path) -> None:
    """Only data of the wrong shape is blamed on the library: with every document as the
    readers expect (statuses, queue, chapters and all), an unforeseen failure stays a
    bug's traceback, not a made-up line about the files."""
    from tracker.model.library import Library
    from tracker.model.shapes import misshapen

    t = ids(lib)
    ok(lib, "queue", "add", t["Radio Silence"], "--chapter", "2")
    ok(lib, "mark", t["Half-lives"], "--listened")
    assert misshapen(Library(lib).store) is None


@pytest.mark.parametrize("table, change", [("days", {"show": "twenty minutes"}), ("episodes", {"done": "all"})])
def test_a_stats_number_of_the_wrong_kind_is_one_line_naming_it(lib: Path, table: str, change: dict[str, Any]) -> None:
    """stats adds up the day log (seconds per show) and the counts in each state
    document: a value there that is not a number ended 'stats' in a traceback."""
    eid = ids(lib)["Radio Silence"]
    ok(lib, "progress", eid, "5:00")
    state = orjson.loads((lib / "state.json").read_bytes())
    key = next(iter(state["days"])) if table == "days" else eid
    if table == "days":
        change = {next(iter(state["days"][key])): change["show"]}
    name = edit(lib, "state.json", table, key, change)
    err = fails(lib, 1, "stats")
    assert name in err and key in err and "that is text" in err, err


@pytest.mark.parametrize("change, command", [({"at": 5}, "history"), ({"before": []}, "undo")])
def test_a_history_field_of_the_wrong_kind_is_one_line_naming_it(lib: Path, change: dict[str, Any], command: str) -> None:
    """history and undo trust the change record: a time that is not text or a 'before'
    that is not a document ended them in a traceback."""
    ok(lib, "mark", ids(lib)["Radio Silence"], "--listened")
    history = orjson.loads((lib / "history.json").read_bytes())
    seq = max(history["actions"], key=int)
    name = edit(lib, "history.json", "actions", seq, change)
    err = fails(lib, 1, command)
    assert name in err and f"“{seq}”" in err and f"has a {next(iter(change))} that is" in err, err
