"""A command's --help says what the command then does."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.support import ids, ok


def test_chapter_clear_forgets_the_heard_time_as_its_help_says(lib: Path) -> None:
    eid = ids(lib)["The Lighthouse Keeper"]  # chapter 2 "Arrival" runs 7:48 to 10:00:30
    ok(lib, "progress", eid, "9:00")
    ok(lib, "chapter", eid, "2", "--done")
    ok(lib, "chapter", eid, "2", "--clear")
    chapter = json.loads(ok(lib, "show", eid, "--json"))["chapters"][1]
    assert (chapter["state"], chapter["heard_s"]) == ("new", 0)
    helped = " ".join(ok(lib, "chapter", "--help").split())
    assert "unheard" in helped and "back to what was heard" not in helped
