"""Issue 14 items 5 and 8: what the CLI says, in the words a user expects."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from tests import feeds
from tests.cli.support import fails, ids, ok
from tests.helpers import run_cli


def test_already_messages_and_plurals(lib: Path) -> None:
    e = ids(lib)
    keeper, silence = e["The Lighthouse Keeper"], e["Radio Silence"]
    assert ok(lib, "mark", keeper, "--listened") == "marked “The Lighthouse Keeper” listened\n"
    assert ok(lib, "mark", keeper, "--listened") == "“The Lighthouse Keeper” is already listened\n"
    out = ok(lib, "mark", keeper, silence, "--listened")
    assert out == "marked “Radio Silence” listened (1 episode already was)\n"  # the one it changed
    assert ok(lib, "mark", keeper, silence, "--listened") == "all 2 episodes are already listened\n"
    assert ok(lib, "mark", keeper, silence, "--new").startswith("marked 2 episodes new")
    assert ok(lib, "chapter", keeper, "2", "--done") == "“The Lighthouse Keeper”: chapter 2 done\n"
    assert ok(lib, "chapter", keeper, "2", "--done") == "chapter 2 of “The Lighthouse Keeper” is already done\n"
    assert ok(lib, "chapter", keeper, "3", "--clear") == "chapter 3 of “The Lighthouse Keeper” has no mark to clear\n"
    chapterless = e["Bonus: no guid"]
    assert "“Bonus: no guid” has no chapters" in fails(lib, 2, "progress", chapterless, "ch1")
    assert "has chapters 1 to 4, not 9" in fails(lib, 2, "progress", keeper, "ch9")


def test_queue_wording(lib: Path) -> None:
    e = ids(lib)
    keeper, silence = e["The Lighthouse Keeper"], e["Radio Silence"]
    ok(lib, "queue", "add", keeper, silence)
    assert ok(lib, "queue", "add", keeper) == "“The Lighthouse Keeper” is already queued\n"
    assert ok(lib, "queue", "add", keeper, silence) == "all 2 episodes are already queued\n"
    assert ok(lib, "queue", "move", silence, "top") == "moved “Radio Silence” to place 1 of 2 in the queue\n"
    assert ok(lib, "queue", "move", silence, "1") == "“Radio Silence” is already at place 1 of 2 in the queue\n"
    listing = ok(lib, "queue").splitlines()
    assert listing[0].split() == ["#", "ID", "LEFT", "SHOW", "TITLE"]
    assert listing[-1] == "2 episodes, 1:34:09 left"
    ok(lib, "queue", "clear")
    assert ok(lib, "queue", "clear") == "the queue is already empty\n"


def test_reaching_the_end_says_listened_and_left_the_queue(lib: Path) -> None:
    silence = ids(lib)["Radio Silence"]  # 29:00 long
    ok(lib, "queue", "add", silence)
    out = ok(lib, "progress", silence, "29:00")
    assert out.endswith("; it is now listened and left the queue\n"), out
    assert json.loads(ok(lib, "queue", "--json")) == []
    assert ok(lib, "progress", silence, "29:00") == "“Radio Silence” is already at 29:00\n"


def test_status_words_in_text_values_in_json(lib: Path) -> None:
    keeper = ids(lib)["The Lighthouse Keeper"]
    ok(lib, "progress", keeper, "9:00")
    text = ok(lib, "show", keeper)
    assert "in progress at 9:00" in text and "in_progress" not in text
    assert "  2.     7:48  in progress  Arrival" in text
    view = json.loads(ok(lib, "show", keeper, "--json"))
    assert view["status"] == "in_progress" and view["chapters"][1]["state"] == "in_progress"


def test_unknown_duration_has_one_sign(lib: Path) -> None:
    undated = ids(lib)["Date only"]
    assert json.loads(ok(lib, "show", undated, "--json"))["duration_s"] is None
    row = next(ln for ln in ok(lib, "episodes").splitlines() if ln.startswith(undated))
    assert "   --:--  " in row
    assert "  ·  --:--" in ok(lib, "show", undated)
    assert "?" not in row


def test_history_shows_local_time(lib: Path) -> None:
    ok(lib, "mark", ids(lib)["Radio Silence"], "--listened")
    at = json.loads(ok(lib, "history", "--json"))[0]["at"]
    utc = datetime.fromisoformat(at)
    assert utc.utcoffset() == timedelta(0)  # stored in UTC
    r = run_cli(lib, "history", env={"TZ": "Asia/Tokyo"})  # UTC+9, no daylight saving
    expected = (utc + timedelta(hours=9)).strftime("%Y-%m-%d %H:%M")
    assert r.stdout.split("\n")[0].split()[1:3] == expected.split(), r.stdout


def test_counts_have_thousands_separators(tmp_path: Path) -> None:
    items = "".join(f"<item><title>E{n}</title><guid>g{n}</guid></item>" for n in range(1001))
    (tmp_path / "big.xml").write_bytes(feeds.rss(items, title="Big"))
    r = run_cli(tmp_path / "lib", "import", str(tmp_path / "big.xml"))
    assert r.returncode == 0 and "1,001 new" in r.stdout, r.stdout
    assert ok(tmp_path / "lib", "episodes").splitlines()[-1].startswith("1,001 episodes ·")


def test_refusals_naming_several_episodes_agree_in_number(lib: Path) -> None:
    # "2 episodes is listened: mark it new to queue it again", seen when a script queued
    # a batch its other half had marked meanwhile
    e = ids(lib)
    keeper, silence = e["The Lighthouse Keeper"], e["Radio Silence"]
    ok(lib, "mark", keeper, silence, "--listened")
    assert "2 episodes are listened: mark them new to queue them again" in fails(lib, 2, "queue", "add", keeper, silence)
    assert "“The Lighthouse Keeper” is listened: mark it new" in fails(lib, 2, "queue", "add", keeper)
