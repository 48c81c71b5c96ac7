"""A catalog damaged after its last backup, as the user meets it.

``info`` is what a user runs when something looks wrong: it must call a file torn in
the middle damaged (its last bytes still look whole), and change nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import feeds
from tests.helpers import run_cli

from .support import ok


@pytest.fixture()
def damaged(tmp_path: Path) -> Path:
    """Show A imported, then Show B in a later write (so today's backup holds only A),
    then the catalog broken in its middle by a lone surrogate escape."""
    lib = tmp_path / "lib"
    for name in ("Show A", "Show B"):
        source = tmp_path / f"{name[-1]}.xml"
        source.write_bytes(feeds.rss(f"<item><title>{name} one</title><guid>{name}</guid></item>", title=name))
        assert run_cli(lib, "import", str(source)).returncode == 0
    catalog = lib / "catalog.json"
    raw = catalog.read_bytes()
    catalog.write_bytes(raw.replace(b"Show B", b"Show \\ud800", 1))
    assert catalog.read_bytes()[-100:] == raw[-100:]  # the tail, where the version sits, is whole
    return lib


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
    assert files["episodes-0.json"]["state"] in ("current", "missing")
