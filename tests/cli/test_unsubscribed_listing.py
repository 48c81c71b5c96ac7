"""`episodes` and a show unsubscribed from: hidden from the plain list, but naming the
show (as `refresh SHOW` and the Shows screen's enter do) lists its episodes, and
`--queued` lists what `queue` lists."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.support import ids, ok
from tracker.model.library import Library


def unsubscribe(lib: Path, title: str) -> None:
    library = Library(lib)
    library.unsubscribe(next(sid for sid, s in library.shows().items() if s["title"] == title))


def test_naming_an_unsubscribed_show_lists_its_episodes_and_queued_ones_stay_listed(lib: Path) -> None:
    t = ids(lib)
    ok(lib, "queue", "add", t["The Lighthouse Keeper"])
    unsubscribe(lib, "Night Shift Radio")
    plain = {e["show"] for e in json.loads(ok(lib, "episodes", "--json"))}
    assert "Night Shift Radio" not in plain  # hidden from the plain list, as in the TUI
    named = json.loads(ok(lib, "episodes", "--json", "--show", "night shift"))
    assert {e["title"] for e in named} >= {"The Lighthouse Keeper", "Radio Silence"}
    queued = json.loads(ok(lib, "episodes", "--json", "--queued"))
    assert [e["id"] for e in queued] == [q["id"] for q in json.loads(ok(lib, "queue", "--json"))]
    assert [e["title"] for e in queued] == ["The Lighthouse Keeper"]


def test_with_every_show_unsubscribed_episodes_says_so_rather_than_no_match(lib: Path) -> None:
    for title in ("Night Shift Radio", "Atomic Hour"):
        unsubscribe(lib, title)
    said = ok(lib, "episodes")
    assert "unsubscribed" in said and "match" not in said
    assert ok(lib, "episodes", "--status", "listened").strip() == "no episodes match"
