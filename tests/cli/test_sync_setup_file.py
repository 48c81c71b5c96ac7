"""A damaged sync setup file (``sync.json`` in the config folder): the way out that the
error names must work, and no command may end in a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import run_cli

from .support import one_line_error


def config_env(tmp_path: Path) -> dict[str, str]:
    return {"TRACKER_CONFIG": str(tmp_path / "config"), "TRACKER_SYNC_PASSWORD": "pw"}


def write_setup(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config" / "sync.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_a_sync_json_that_does_not_parse_is_removed_by_sync_forget_as_its_error_says(
        lib: Path, tmp_path: Path) -> None:
    env = config_env(tmp_path)
    path = write_setup(tmp_path, "{garbage")
    said = one_line_error(run_cli(lib, "sync", "status", env=env), 1)
    assert "tracker sync forget" in said
    r = run_cli(lib, "sync", "forget", env=env)
    assert r.returncode == 0, r.stderr
    assert "removed" in r.stdout and not path.exists()


@pytest.mark.parametrize("entry", [
    {"url": 5},  # no server, user or device
    {"server": 5, "user": 3, "device": None, "interval_min": "soon"},  # each of the wrong kind
])
def test_a_hand_edited_setup_of_the_wrong_kind_is_one_line_and_sync_forget_clears_it(
        lib: Path, tmp_path: Path, entry: object) -> None:
    env = config_env(tmp_path)
    path = write_setup(tmp_path, json.dumps({"libraries": {str(lib.resolve()): entry, "/elsewhere": {}}}))
    for command in (["sync"], ["sync", "setup", "http://127.0.0.1:1", "--user", "ada"]):
        said = one_line_error(run_cli(lib, *command, env=env), 1, command)
        assert "tracker sync forget" in said, command
    r = run_cli(lib, "sync", "forget", env=env)
    assert r.returncode == 0, r.stderr
    assert "removed" in r.stdout
    assert json.loads(path.read_text())["libraries"] == {"/elsewhere": {}}  # another library's is kept
