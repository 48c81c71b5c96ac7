"""A damaged library file is restored from its backup, and the command that did it says so.

The audit found ``export -o f.opml`` restoring an older catalog silently (exit 0, the
notice only on the next command) while ``export`` to stdout, ``episodes`` and ``stats``
said it at once. Whatever command meets the damage first must say it, exactly once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run_cli

NOTICE = "catalog.json was damaged"


@pytest.mark.parametrize("command", [
    ["export", "--format", "opml", "-o", "OUT"],
    ["export", "--format", "json", "-o", "OUT"],
    ["export", "--format", "gpodder", "-o", "OUT"],
    ["export", "--format", "opml"],
    ["episodes"],
    ["stats"],
    ["queue"],
    ["refresh"],
])
def test_the_command_that_restores_a_backup_says_so_once(damaged: Path, tmp_path: Path, command: list[str]) -> None:
    out = tmp_path / "export.out"
    r = run_cli(damaged, *[str(out) if word == "OUT" else word for word in command])
    assert r.returncode == 0, r.stderr
    assert r.stderr.count(NOTICE) == 1, r.stderr
    assert "restored the backup" in r.stderr and list(damaged.glob("catalog.damaged-*.json"))
    again = run_cli(damaged, *[str(out) if word == "OUT" else word for word in command])
    assert again.returncode == 0 and NOTICE not in again.stderr  # said once, by the command that did it


def test_export_to_a_file_writes_what_was_restored_and_says_what_was_lost(damaged: Path, tmp_path: Path) -> None:
    target = tmp_path / "subs.opml"
    r = run_cli(damaged, "export", "--format", "opml", "-o", str(target))
    assert r.returncode == 0 and r.stdout == ""
    left_out, line, orphans = r.stderr.strip().splitlines()
    assert line.startswith("tracker: " + NOTICE) and "changes made after that backup are lost" in line
    assert "1 episode of 1 show imported after that backup is listed under (unknown show)" in orphans
    # (a show read from a file has no feed address for a list to name: named as left out)
    assert "left out 1 show" in left_out and "Show A" in left_out  # the backup predates the second import
    assert "Show B" not in target.read_text()
