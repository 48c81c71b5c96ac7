"""A catalog damaged after its last backup, as the user meets it.

``info`` is what a user runs when something looks wrong: it must call a file torn in
the middle damaged (its last bytes still look whole), and change nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests import feeds
from tests.helpers import run_cli

from .support import ok


def test_info_calls_a_catalog_torn_in_the_middle_damaged_and_changes_nothing(damaged: Path) -> None:
    before = {p.name: p.read_bytes() for p in damaged.iterdir() if p.is_file()}
    r = run_cli(damaged, "info")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert "every file current" not in r.stdout
    (line,) = [ln for ln in r.stdout.splitlines() if "catalog.json" in ln]
    assert "no version, does not parse" in line and "not valid JSON" in line
    assert {p.name: p.read_bytes() for p in damaged.iterdir() if p.is_file()} == before  # a diagnostic only
    files = {f["filename"]: f for f in json.loads(ok(damaged, "info", "--json"))["files"]}
    assert files["catalog.json"]["state"] == "damaged" and "not valid JSON" in files["catalog.json"]["problem"]
    assert files.get("episodes-0.json", {}).get("state") in ("current", None)  # (none: never created)


def test_episodes_imported_after_the_backup_are_listed_under_an_unknown_show_until_imported_again(
        damaged: Path, tmp_path: Path) -> None:
    """Show B's episode was imported after the backup the recovery restores: its listing,
    details and listening state survive, and nothing shows it without a show."""
    r = run_cli(damaged, "episodes")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    notices = r.stderr.strip().splitlines()
    assert len(notices) == 2 and "catalog.json was damaged" in notices[0]
    assert "1 episode of 1 show imported after that backup is listed under (unknown show)" in notices[1]
    (row,) = [ln for ln in r.stdout.splitlines() if "Show B one" in ln]
    assert "(unknown show)" in row
    (row,) = [ln for ln in r.stdout.splitlines() if "Show A one" in ln]
    assert "Show A" in row.replace("Show A one", "")
    docs = {e["title"]: e for e in json.loads(ok(damaged, "episodes", "--json"))}
    orphan = docs["Show B one"]
    assert orphan["show"] == "(unknown show)" and docs["Show A one"]["show"] == "Show A"
    assert "(unknown show)" in ok(damaged, "show", orphan["id"])
    assert [e["title"] for e in json.loads(ok(damaged, "episodes", "--json", "--show", "unknown"))] == ["Show B one"]
    exported = json.loads(ok(damaged, "export", "--format", "json"))
    assert exported["episodes"][orphan["id"]]["show"] == "(unknown show)"
    ok(damaged, "mark", orphan["id"], "--listened")

    # importing the feed again gives the episode its show back: same id, state kept
    again = run_cli(damaged, "import", str(tmp_path / "B.xml"))
    assert again.returncode == 0 and "(unknown show)" not in again.stderr, again.stderr
    docs = {e["title"]: e for e in json.loads(ok(damaged, "episodes", "--json"))}
    assert docs["Show B one"]["id"] == orphan["id"] and docs["Show B one"]["show"] == "Show B"
    assert docs["Show B one"]["status"] == "listened"
    assert "(unknown show)" not in ok(damaged, "episodes")


def test_stats_names_the_show_of_time_heard_after_the_backup_unknown_not_by_its_id(tmp_path: Path) -> None:
    """Time heard in a show the restored catalog lacks is per-show time of "(unknown show)",
    as every list names it (it was the show's bare id)."""
    lib = tmp_path / "lib"
    for name in ("Show A", "Show B"):
        source = tmp_path / f"{name[-1]}.xml"
        source.write_bytes(feeds.rss(f"<item><title>{name} one</title><guid>{name}</guid>"
                                     "<itunes:duration>30:00</itunes:duration></item>", title=name))
        ok(lib, "import", str(source))
    (eid,) = [e["id"] for e in json.loads(ok(lib, "episodes", "--json")) if e["title"] == "Show B one"]
    ok(lib, "progress", eid, "10:00")
    catalog = lib / "catalog.json"
    catalog.write_bytes(catalog.read_bytes().replace(b"Show B", b"Show \\ud800", 1))
    r = run_cli(lib, "stats")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    (row,) = [ln for ln in r.stdout.splitlines() if "10:00" in ln and "heard" not in ln]
    assert row.split()[:2] == ["(unknown", "show)"], r.stdout
    assert [s["show"] for s in json.loads(ok(lib, "stats", "--json"))["per_show"]] == ["(unknown show)"]


def test_info_on_a_damaged_listing_file_with_no_backup_still_describes_the_library(tmp_path: Path) -> None:
    # info, "the first thing to run when something looks wrong", stopped with the very
    # error the user ran it about (exit 1) and showed no folder, size or file table
    lib = tmp_path / "lib"
    source = tmp_path / "A.xml"
    source.write_bytes(feeds.rss("<item><title>one</title><guid>g1</guid></item>", title="Show A"))
    ok(lib, "import", str(source))
    (shard,) = [p for p in lib.glob("episodes-*.json")]
    shard.write_bytes(shard.read_bytes()[:20])
    before = {p.name: p.read_bytes() for p in lib.iterdir() if p.is_file()}
    r = run_cli(lib, "info")
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert f"library:  {lib}" in r.stdout and "episodes: not counted" in r.stdout
    (line,) = [ln for ln in r.stdout.splitlines() if shard.name in ln]
    assert "does not parse" in line
    data = json.loads(ok(lib, "info", "--json"))
    assert data["episodes"] is None and data["shows"] is None
    assert {p.name: p.read_bytes() for p in lib.iterdir() if p.is_file()} == before


def test_info_on_a_file_that_cannot_be_read_does_not_promise_a_backup(tmp_path: Path) -> None:
    # a state.json that is a folder (or a file without read permission) was called damaged,
    # "the newest good backup ... is restored when it is next read": the next read says
    # "cannot read state.json" and restores nothing
    lib = tmp_path / "lib"
    source = tmp_path / "A.xml"
    source.write_bytes(feeds.rss("<item><title>one</title><guid>g1</guid></item>", title="Show A"))
    ok(lib, "import", str(source))
    (lib / "state.json").mkdir()
    r = run_cli(lib, "info")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    (line,) = [ln for ln in r.stdout.splitlines() if "state.json" in ln]
    assert "cannot be read" in line and "backup" not in line and "does not parse" not in line
    assert "episodes: not counted" in r.stdout
    assert json.loads(ok(lib, "info", "--json"))["episodes"] is None
