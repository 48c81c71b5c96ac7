"""A small library imported once per module and copied for each test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests import feeds
from tests.helpers import run_cli


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    (folder / "chapters").mkdir()
    (folder / "chapters" / "002.json").write_bytes(feeds.CHAPTERS_002)
    (folder / "chapters" / "003.json").write_bytes(feeds.CHAPTERS_003)
    (folder / "night.xml").write_bytes(feeds.rss(feeds.ITEMS))
    (folder / "atom.xml").write_bytes(feeds.ATOM)
    r = run_cli(folder / "lib", "import", str(folder / "night.xml"), str(folder / "atom.xml"))
    assert r.returncode == 0, r.stderr
    return folder


@pytest.fixture()
def lib(template: Path, tmp_path: Path) -> Path:
    shutil.copytree(template / "lib", tmp_path / "lib")
    return tmp_path / "lib"
