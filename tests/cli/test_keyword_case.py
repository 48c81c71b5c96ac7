"""Words the CLI takes as fixed keywords match whatever their case: `queue move REF UP`
does what `up` does, as `--status LISTENED` already did."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.support import fails, ids, ok
from tracker.cli.parser import build_parser


def test_queue_move_keywords_in_capitals(lib: Path) -> None:
    by_title = ids(lib)
    keeper, silence, bonus = by_title["The Lighthouse Keeper"], by_title["Radio Silence"], by_title["Bonus: no guid"]
    ok(lib, "queue", "add", keeper, silence, bonus)
    ok(lib, "queue", "move", bonus, "UP")
    ok(lib, "queue", "move", keeper, "Bottom")
    ok(lib, "queue", "move", bonus, "TOP")
    ok(lib, "queue", "move", silence, "Down")
    assert [row["id"] for row in json.loads(ok(lib, "queue", "--json"))] == [bonus, keeper, silence]
    assert "cannot move to 'Upp'" in fails(lib, 2, "queue", "move", bonus, "Upp")  # as typed


def test_sort_and_format_words_in_capitals(lib: Path) -> None:
    assert json.loads(ok(lib, "episodes", "--json", "--sort", "OLDEST")) == json.loads(
        ok(lib, "episodes", "--json", "--sort", "oldest"))
    assert json.loads(ok(lib, "export", "--format", "JSON"))
    args = build_parser().parse_args(["sync", "setup", "https://example.com", "--user", "ada", "--flavor", "Nextcloud"])
    assert args.flavor == "nextcloud"
