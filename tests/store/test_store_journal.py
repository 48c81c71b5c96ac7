"""Attacks on the commit journal: it is read from disk, so it is input like any other file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store import Store

from .two_files import SPECS, library



def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and p.name.endswith(".json")}


WRONG_SHAPES = {
    "an object": b'{"a": 1}',
    "a string": b'"state.json"',
    "a bare number in the list": b"[1]",
    "a pair of one": b'[["state.json"]]',
    "a triple": b'[[".state.json.1.tmp", "state.json", "x"]]',
    "numbers for names": b"[[1, 2]]",
    "not json": b"[[\".state.json.1.tmp\", ",
    "empty file": b"",
}


@pytest.mark.parametrize("shape", sorted(WRONG_SHAPES))
def test_a_journal_of_the_wrong_shape_is_kept_aside_not_a_crash(tmp_path: Path, shape: str) -> None:
    library(tmp_path)
    before = snapshot(tmp_path)
    (tmp_path / ".journal").write_bytes(WRONG_SHAPES[shape])
    opened = Store(tmp_path, SPECS)
    assert opened.table("state", "t") == {"a": {"v": 1}}
    (notice,) = opened.notices
    assert "journal" in notice and "none of it was applied" in notice
    (aside,) = tmp_path.glob("journal.rejected-*")
    assert aside.read_bytes() == WRONG_SHAPES[shape] and aside.name in notice
    assert not (tmp_path / ".journal").exists()
    assert snapshot(tmp_path) == before
    again = Store(tmp_path, SPECS)  # the user is told once, not on every command
    again.read("state")
    assert again.notices == []


def test_a_journal_cannot_move_a_file_from_outside_into_the_library(tmp_path: Path) -> None:
    lib, outside = tmp_path / "lib", tmp_path / "outside"
    outside.mkdir()
    library(lib)
    secret = outside / ".state.json.4242.tmp"
    secret.write_text('{"t": {"a": {"v": "planted"}}}')
    before = snapshot(lib)
    for tmp_name in ("../outside/.state.json.4242.tmp", str(secret)):
        (lib / ".journal").write_text(json.dumps([[tmp_name, "state.json"]]))
        opened = Store(lib, SPECS)
        assert opened.table("state", "t") == {"a": {"v": 1}}
        assert any("not a temp file of the store" in n for n in opened.notices)
    assert secret.exists() and snapshot(lib) == before


def test_a_journal_cannot_move_a_library_file_out_of_the_folder(tmp_path: Path) -> None:
    lib, outside = tmp_path / "lib", tmp_path / "outside"
    outside.mkdir()
    library(lib)
    staged = lib / ".victim.json.7.tmp"
    staged.write_text("{}")
    for target in ("../outside/victim.json", str(outside / "victim.json"), "sub/victim.json", ".hidden.json"):
        (lib / ".journal").write_text(json.dumps([[f".{Path(target).name}.7.tmp", target]]))
        opened = Store(lib, SPECS)
        opened.read("state")
        assert any("not a library file" in n for n in opened.notices), target
    assert list(outside.iterdir()) == []
    assert (lib / "state.json").exists() and (lib / "catalog.json").exists()


def test_a_journal_naming_a_users_file_as_its_temp_is_refused(tmp_path: Path) -> None:
    library(tmp_path)
    notes = tmp_path / "my-notes.txt"
    notes.write_text("mine")
    (tmp_path / ".journal").write_text(json.dumps([["my-notes.txt", "state.json"]]))
    opened = Store(tmp_path, SPECS)
    assert opened.table("state", "t") == {"a": {"v": 1}}
    assert notes.read_text() == "mine"


def test_a_journal_whose_temp_is_a_symlink_is_refused(tmp_path: Path) -> None:
    lib, outside = tmp_path / "lib", tmp_path / "outside"
    outside.mkdir()
    library(lib)
    (outside / "planted.json").write_text('{"t": {"a": {"v": "planted"}}}')
    os.symlink(outside / "planted.json", lib / ".state.json.99.tmp")
    (lib / ".journal").write_text(json.dumps([[".state.json.99.tmp", "state.json"]]))
    opened = Store(lib, SPECS)
    assert opened.table("state", "t") == {"a": {"v": 1}}
    assert any("not a regular file" in n for n in opened.notices)


def test_a_journal_that_is_all_or_nothing_applies_nothing_when_one_entry_is_bad(tmp_path: Path) -> None:
    s = library(tmp_path)
    good = tmp_path / ".state.json.5.tmp"
    good.write_text('{"t": {"a": {"v": 2}}}')
    (tmp_path / ".journal").write_text(json.dumps([[good.name, "state.json"], ["x", "../catalog.json"]]))
    opened = Store(tmp_path, SPECS)
    assert opened.table("state", "t") == {"a": {"v": 1}}
    with opened.transaction("state") as tx:  # the next write cleans the staged temp away
        tx.put("state", "t", "b", {"v": 1})
    assert not good.exists()
    assert s.table("state", "t") == {"a": {"v": 1}, "b": {"v": 1}}


def test_a_valid_journal_left_by_a_killed_writer_is_still_rolled_forward(tmp_path: Path) -> None:
    library(tmp_path)
    for name, value in (("state", 2), ("catalog", 2)):
        (tmp_path / f".{name}.json.123.tmp").write_text(json.dumps({"t": {"a": {"v": value}}}))
    (tmp_path / ".journal").write_text(
        json.dumps([[".state.json.123.tmp", "state.json"], [".catalog.json.123.tmp", "catalog.json"]])
    )
    opened = Store(tmp_path, SPECS)
    assert opened.table("state", "t") == {"a": {"v": 2}} == opened.table("catalog", "t")
    assert opened.notices == [] and not (tmp_path / ".journal").exists()


NAMES = st.sampled_from([
    "state.json", "catalog.json", ".state.json.1.tmp", ".catalog.json.22.tmp", "../outside/x.json",
    "/etc/passwd", "", ".", "..", "a/b.json", ".journal", "backups/state.2024-01-01.json", "state.json\x00",
    ".state.json.x.tmp", ".state.json.123456789012.tmp", "journal.rejected-1", "victim.json",
])
JOURNALS = st.recursive(
    st.none() | st.booleans() | st.integers() | NAMES | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=60)
@given(journal=JOURNALS)
def test_any_journal_is_applied_whole_or_set_aside_and_nothing_outside_is_touched(tmp_path_factory, journal) -> None:
    root = tmp_path_factory.mktemp("j")
    lib, outside = root / "lib", root / "outside"
    outside.mkdir()
    (outside / "x.json").write_text("outside")
    library(lib)
    (lib / ".catalog.json.22.tmp").write_text(json.dumps({"t": {"a": {"v": 2}}}))
    (lib / "victim.json").write_text("mine")
    (lib / ".journal").write_text(json.dumps(journal))
    opened = Store(lib, SPECS)
    state, catalog = opened.table("state", "t"), opened.table("catalog", "t")  # never raises
    assert state == {"a": {"v": 1}}
    assert catalog in ({"a": {"v": 1}}, {"a": {"v": 2}})
    assert not (lib / ".journal").exists() and len(opened.notices) <= 1
    assert [p.name for p in outside.iterdir()] == ["x.json"] and (outside / "x.json").read_text() == "outside"
    assert (lib / "victim.json").read_text() == "mine"
