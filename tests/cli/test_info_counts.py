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
