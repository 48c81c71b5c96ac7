"""Issue 14 item 6 (and 11 item 9): which library a command uses, and that only `import`
ever creates one."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.support import ok, one_line_error, tracker
from tests.helpers import run_cli


def test_commands_other_than_import_never_create_a_library(tmp_path: Path) -> None:
    missing = tmp_path / "typo"
    for args in (["episodes"], ["episodes", "--json"], ["show", "abcd1234"], ["queue"], ["history"],
                 ["stats"], ["info"], ["export", "--format", "opml"], ["undo"], ["mark", "abcd", "--listened"],
                 ["queue", "clear"], ["refresh"]):
        err = one_line_error(run_cli(missing, *args), 1, args)
        assert f"no library at {missing}" in err
    assert not missing.exists()
    assert run_cli(missing, "import", str(Path(__file__).parents[2] / "tracker" / "demo" / "sample-show.xml")).returncode == 0
    assert missing.is_dir()


def test_an_existing_folder_without_a_library_is_no_library(tmp_path: Path) -> None:
    """`--library ~/Music` by mistake: said, not read as an empty library, and left as it was."""
    music = tmp_path / "Music"
    music.mkdir()
    (music / "song.mp3").write_bytes(b"ID3")
    for args in (["episodes"], ["stats"], ["info"], ["queue", "clear"], ["export", "--format", "json"]):
        err = one_line_error(run_cli(music, *args), 1, args)
        assert f"no library at {music}" in err
    assert [p.name for p in music.iterdir()] == ["song.mp3"]


def test_a_library_path_that_is_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    for library in (tmp_path / "notes.txt", tmp_path / "notes.txt" / "lib"):
        for args in (["episodes"], ["import", str(tmp_path / "notes.txt")]):
            err = one_line_error(run_cli(library, *args), 1, (library, args))
            assert "not a library folder" in err
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_info_says_which_library_its_size_and_schema(lib: Path) -> None:
    out = ok(lib, "info").splitlines()
    assert out[0] == f"library:  {lib}"
    assert out[1].startswith("size:     ") and " kB on disk (" in out[1]
    assert out[2] == "episodes: 6 in 2 shows"
    assert out[3].startswith("schema:   every file current (version ")
    data = json.loads(ok(lib, "info", "--json"))
    assert data["folder"] == str(lib) and data["exists"] is True and data["episodes"] == 6
    assert data["total_bytes"] == sum(p.stat().st_size for p in lib.rglob("*") if p.is_file())
    assert {f["filename"] for f in data["files"] if f["state"] == "current"} >= {"catalog.json"}
    # without --library, the environment decides, and info says so
    r = tracker("info", env={"TRACKER_LIBRARY": str(lib)})
    assert r.returncode == 0 and r.stdout.startswith(f"library:  {lib}\n")


def test_info_names_a_relative_library_in_full(lib: Path) -> None:
    """`tracker --library . info` said 'library:  .', and --json gave a folder that only
    meant something from where it ran: info is asked which library is in use."""
    r = run_cli(Path("."), "info", cwd=lib)
    assert r.returncode == 0 and r.stdout.startswith(f"library:  {lib}\n"), r.stdout
    r = run_cli(Path("..") / lib.name, "info", "--json", cwd=lib)
    assert r.returncode == 0 and json.loads(r.stdout)["folder"] == str(lib), r.stdout
