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


@pytest.fixture()
def damaged(tmp_path: Path) -> Path:
    """Show A imported, then Show B in a later write (so today's backup holds only A),
    then the catalog broken in its middle by a lone surrogate escape, which no JSON
    reader accepts; its tail, where the version sits, stays whole."""
    lib = tmp_path / "lib"
    for name in ("Show A", "Show B"):
        source = tmp_path / f"{name[-1]}.xml"
        source.write_bytes(feeds.rss(f"<item><title>{name} one</title><guid>{name}</guid></item>", title=name))
        assert run_cli(lib, "import", str(source)).returncode == 0
    catalog = lib / "catalog.json"
    catalog.write_bytes(catalog.read_bytes().replace(b"Show B", b"Show \\ud800", 1))
    return lib
