"""The store's failures as a user meets them: through the CLI, one line, the documented status."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

from tests import feeds
from tests.helpers import run_cli

from .faults import refuse_changes


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("store-cli")
    (folder / "night.xml").write_bytes(feeds.rss(feeds.ITEMS))
    r = run_cli(folder / "lib", "import", str(folder / "night.xml"))
    assert r.returncode == 0, r.stderr
    return folder / "lib"


@pytest.fixture()
def lib(template: Path, tmp_path: Path) -> Path:
    import shutil

    shutil.copytree(template, tmp_path / "lib", symlinks=True)
    return tmp_path / "lib"


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.mark.parametrize("value", ["inf", "nan", "-5", "soon"])
def test_a_bad_lock_timeout_is_one_line_and_exit_2(lib: Path, value: str) -> None:
    r = run_cli(lib, "episodes", env={"TRACKER_LOCK_TIMEOUT": value})
    assert r.returncode == 2 and "TRACKER_LOCK_TIMEOUT must be a number of seconds" in one_line(r.stderr)


def test_a_wrong_shaped_journal_no_longer_crashes_every_command(lib: Path) -> None:
    (lib / ".journal").write_text('{"queue": "abc"}')
    r = run_cli(lib, "episodes")
    assert r.returncode == 0 and r.stdout.strip()
    assert "none of it was applied" in one_line(r.stderr)
    again = run_cli(lib, "episodes")
    assert again.returncode == 0 and again.stderr == ""


def test_an_export_into_the_library_is_refused_and_the_state_kept(lib: Path) -> None:
    before = (lib / "catalog.json").read_bytes()
    r = run_cli(lib, "export", "--format", "json", "-o", str(lib / "catalog.json"))
    assert r.returncode == 2 and "library folder" in one_line(r.stderr)
    assert (lib / "catalog.json").read_bytes() == before


def test_a_read_only_library_lists_but_refuses_a_mark_in_one_line(
    lib: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tracker.cli.main import main

    monkeypatch.delenv("TRACKER_LIBRARY", raising=False)
    ids = json.loads(run_cli(lib, "episodes", "--json").stdout)
    before = {p.name: p.read_bytes() for p in lib.iterdir() if p.is_file()}
    refuse_changes(monkeypatch, lib, errno.EROFS)
    assert main(["--library", str(lib), "episodes"]) == 0
    capsys.readouterr()
    assert main(["--library", str(lib), "mark", "--listened", ids[0]["id"]]) == 1
    assert "read-only file system" in one_line(capsys.readouterr().err)
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in lib.iterdir() if p.is_file()} == before


def test_a_library_path_that_is_a_file_is_one_line(tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    for args in (["episodes"], ["import", str(tmp_path / "none.xml")]):
        r = run_cli(a_file, *args)
        assert r.returncode == 1 and "not a library folder" in one_line(r.stderr)
    assert a_file.read_text() == "mine"


def test_a_write_to_a_file_of_a_newer_tracker_is_one_line(lib: Path) -> None:
    """The file's read-only notice and the refused write's error were the same line, twice."""
    state = json.loads((lib / "state.json").read_text()) if (lib / "state.json").exists() else {}
    state["_meta"] = {"schema": {"version": 99, "file": "state"}}
    (lib / "state.json").write_text(json.dumps(state))
    before = (lib / "state.json").read_bytes()
    eid = json.loads(run_cli(lib, "episodes", "--json").stdout)[0]["id"]
    r = run_cli(lib, "mark", "--listened", eid)
    assert r.returncode == 1 and "newer tracker" in one_line(r.stderr)
    assert (lib / "state.json").read_bytes() == before


def test_info_on_a_read_only_disk_with_an_unfinished_commit_still_describes_the_library(
    lib: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # a disk remounted read-only in the middle of a commit: info, the first thing to run
    # then, stopped with the commit's error and showed no folder, size or files
    from tracker.cli.main import main

    monkeypatch.delenv("TRACKER_LIBRARY", raising=False)
    (lib / ".journal").write_text("[]")
    refuse_changes(monkeypatch, lib, errno.EROFS)
    assert main(["--library", str(lib), "info"]) == 0
    out = capsys.readouterr().out
    assert f"library:  {lib}" in out and "schema:   every file current" in out
    (line,) = [ln for ln in out.splitlines() if ln.startswith("episodes:")]
    assert "not counted" in line and "interrupted commit" in line
    assert main(["--library", str(lib), "info", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["episodes"] is None


def test_an_export_imported_into_a_library_of_a_newer_tracker_fails_as_its_source_and_adds_nothing(
        lib: Path, tmp_path: Path) -> None:
    # the export's shows landed while its listening could not, and the error escaped the
    # import's report: no JSON for the sources, the failing one not named
    other = tmp_path / "other"
    (tmp_path / "other.xml").write_bytes(feeds.rss(feeds.ITEMS, title="Other Show"))
    assert run_cli(other, "import", str(tmp_path / "other.xml")).returncode == 0
    assert run_cli(other, "export", "--format", "json", "-o", str(tmp_path / "x.json")).returncode == 0
    (tmp_path / "a.json").write_text(json.dumps([{"podcast": "https://x.example/f", "episode": "https://x.example/1.mp3",
                                                  "action": "play", "timestamp": "2024-06-01T10:00:00",
                                                  "started": 0, "position": 60}]))
    state = json.loads((lib / "state.json").read_text()) if (lib / "state.json").exists() else {}
    state["_meta"] = {"schema": {"version": 99, "file": "state"}}
    (lib / "state.json").write_text(json.dumps(state))
    catalog = (lib / "catalog.json").read_bytes()
    r = run_cli(lib, "import", "--json", str(tmp_path / "x.json"), str(tmp_path / "a.json"))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    sources = json.loads(r.stdout)["sources"]
    assert [s["ok"] for s in sources] == [False, False]
    assert all("newer tracker" in s["message"] for s in sources)
    assert (lib / "catalog.json").read_bytes() == catalog
