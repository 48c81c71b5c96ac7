"""Issue 8, the CLI's part: odd numbers and dates are one line with exit 2; text an old
library still holds raw never drives the terminal; exports never land in the library."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.support import fails, ids, ok, one_line_error
from tests.helpers import run_cli

HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202e"
CONTROL = ("\x1b", "\x07", "\x9b", "\u202e")


def test_huge_positions_and_far_dates_are_one_line(lib: Path) -> None:
    keeper = ids(lib)["The Lighthouse Keeper"]
    assert "too far" in fails(lib, 2, "progress", keeper, "9" * 400)
    assert "too far" in fails(lib, 2, "progress", keeper, "9" * 20 + ":00")
    assert "cannot read the position" in fails(lib, 2, "progress", keeper, "1e400")
    assert "cannot read the position" in fails(lib, 2, "progress", keeper, "-5")
    assert "cannot read the position" in fails(lib, 2, "progress", keeper, "ch" + "9" * 400)
    assert "cannot read the position" in fails(lib, 2, "progress", keeper, "ch\u00b2")  # a digit int() refuses
    assert "before the year 1" in fails(lib, 2, "episodes", "--since", "800000 days ago")
    assert "cannot read the date" in fails(lib, 2, "episodes", "--until", "9" * 400 + " years ago")
    assert "cannot read the date" in fails(lib, 2, "episodes", "--since", "x" * 5000)
    assert "is too large" in fails(lib, 2, "chapter", keeper, "9" * 400, "--done")
    assert "is too large" in fails(lib, 2, "history", "--limit", "9" * 5000)
    assert "is not a whole number" in fails(lib, 2, "undo", "--steps", "1e9")
    assert json.loads(ok(lib, "show", keeper, "--json"))["status"] == "new"  # nothing was written


def _poison(lib: Path) -> None:
    """An old library, written before text was cleaned at import, holds raw controls."""
    for path in lib.glob("*.json"):
        text = path.read_text(encoding="utf-8")
        for name in ("The Lighthouse Keeper", "Night Shift Radio", "Cold open"):
            text = text.replace(f'"{name}"', json.dumps(name + HOSTILE))
        path.write_text(text, encoding="utf-8")


def test_raw_text_in_an_old_library_is_escaped_on_output(lib: Path) -> None:
    keeper = ids(lib)["The Lighthouse Keeper"]
    _poison(lib)
    runs = [
        ("episodes",), ("episodes", "--json"), ("show", keeper), ("show", keeper, "--json"),
        ("queue", "add", keeper), ("queue",), ("queue", "--json"), ("progress", keeper, "1:00"),
        ("resume", keeper), ("mark", keeper, "--listened"), ("history",), ("history", "--json"),
        ("undo",), ("stats",), ("stats", "--json"), ("export", "--format", "opml"),
        ("export", "--format", "json"), ("show", "Keeper"), ("refresh", "Night"),
    ]
    escaped = 0
    for args in runs:
        r = run_cli(lib, *args)
        assert "Traceback" not in r.stderr, args
        for ch in CONTROL:
            assert ch not in r.stdout and ch not in r.stderr, (args, ch)
        escaped += "\\x1b" in r.stdout or "\\u001b" in r.stdout or "\\x1b" in r.stderr
    assert escaped >= 10  # shown, spelled out
    view = json.loads(ok(lib, "show", keeper, "--json"))
    assert view["title"] == "The Lighthouse Keeper" + HOSTILE  # JSON still carries the value


def test_export_into_the_library_folder_is_refused(lib: Path, tmp_path: Path) -> None:
    state = (lib / "state.json").read_bytes() if (lib / "state.json").exists() else None
    err = fails(lib, 2, "export", "--format", "json", "-o", str(lib / "state.json"))
    assert "inside the library folder" in err
    assert ((lib / "state.json").read_bytes() if state is not None else None) == state
    (tmp_path / "link").symlink_to(lib, target_is_directory=True)
    fails(lib, 2, "export", "--format", "opml", "-o", str(tmp_path / "link" / "catalog.json"))
    assert "<opml" not in (lib / "catalog.json").read_text()
    ok(lib, "export", "--format", "json", "-o", str(tmp_path / "out.json"))
    assert json.loads((tmp_path / "out.json").read_text())["format"] == "tracker-export"


def test_numeric_settings_that_cannot_be_used_are_one_line(tmp_path: Path) -> None:
    """`TRACKER_*` numbers set to inf, nan, a negative or a word: one line naming the
    variable, exit 2, nothing written."""
    lib = tmp_path / "lib"
    source = str(Path(__file__).parents[2] / "tracker" / "demo" / "sample-show.xml")
    url = "http://127.0.0.1:9/feed.xml"  # never reached: the setting is read first
    for name in ("TRACKER_LOCK_TIMEOUT", "TRACKER_HTTP_TIMEOUT", "TRACKER_MAX_DOWNLOAD", "TRACKER_CONNECTIONS"):
        for value in ("inf", "-1", "soon"):  # nan and 1e400: tests/store, tests/importers
            r = run_cli(lib, "import", url, source, env={name: value})
            err = one_line_error(r, 2, (name, value))
            assert name in err and repr(value) in err, err
    assert not lib.exists() or json.loads(ok(lib, "episodes", "--json")) == []
