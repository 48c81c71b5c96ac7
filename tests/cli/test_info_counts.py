"""``tracker info`` counts the shows the library holds, not only those with episodes:
a show whose feed has no episode yet (a new podcast) read "0 in 0 shows"."""

from __future__ import annotations

import json
from pathlib import Path

from tests import feeds
from tests.helpers import run_cli, seed_path


def test_a_show_without_episodes_is_counted(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    empty = tmp_path / "new-show.xml"
    empty.write_bytes(feeds.rss("", title="Coming Soon"))
    assert run_cli(lib, "import", str(empty)).returncode == 0
    assert json.loads(run_cli(lib, "info", "--json").stdout)["shows"] == 1
    assert "episodes: 0 in 1 show\n" in run_cli(lib, "info").stdout
    assert run_cli(lib, "import", str(seed_path())).returncode == 0
    info = json.loads(run_cli(lib, "info", "--json").stdout)
    episodes = json.loads(run_cli(lib, "episodes", "--json").stdout)
    assert (info["episodes"], info["shows"]) == (len(episodes), 2)


def test_info_lists_the_files_there_and_those_lost_not_every_file_a_library_may_grow(tmp_path: Path) -> None:
    """``info --json`` listed some 300 files never created (history-archive-001 to -256...)
    as "missing", as if lost. It lists those on disk, and one the library had (it has a
    backup) and lost, as plain ``info`` does too."""
    lib = tmp_path / "lib"
    assert run_cli(lib, "import", str(seed_path())).returncode == 0
    episode = json.loads(run_cli(lib, "episodes", "--json").stdout)[0]["id"]
    assert run_cli(lib, "mark", episode, "--listened").returncode == 0  # (a change: history.json)
    on_disk = {p.name for p in lib.iterdir() if p.is_file() and p.name.endswith(".json")}
    files = json.loads(run_cli(lib, "info", "--json").stdout)["files"]
    assert {f["filename"] for f in files} == on_disk and "history.json" in on_disk
    assert f"({len(files)} files, " in run_cli(lib, "info").stdout

    (lib / "backups").mkdir()  # (a day's backup, as a write on a later day takes it)
    (lib / "history.json").rename(lib / "backups" / "history.2025-01-01.json")
    files = json.loads(run_cli(lib, "info", "--json").stdout)["files"]
    assert [f["filename"] for f in files if f["state"] == "missing"] == ["history.json"]
    assert "history.json: missing" in run_cli(lib, "info").stdout
