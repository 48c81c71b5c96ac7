"""Opening a library: reading never creates one, a file is not a library, and describe()."""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest

from store import FileSpec, NoLibrary, NotALibrary, Store, UnreadableFile

SPECS = [FileSpec("state", 2, {1: lambda d: d}), FileSpec("catalog", 1), FileSpec("history", 1)]


def test_reading_a_mistyped_library_path_does_not_create_it(tmp_path: Path) -> None:
    typo = tmp_path / "libary"
    for create in (True, False):
        try:
            s = Store(typo, SPECS, create=create)
        except NoLibrary as err:
            assert not create and str(err) == f"no library at {typo}"
            continue
        assert s.table("state", "t") == {} and s.stamp("catalog") == s.stamp("catalog")
        s.describe()
    assert not typo.exists()


def test_the_first_write_creates_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "lib"
    s = Store(folder, SPECS)
    with s.transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 1})
    assert Store(folder, SPECS, create=False).table("state", "t") == {"a": {"v": 1}}


def test_a_folder_holding_none_of_the_files_is_no_library_for_reading(tmp_path: Path) -> None:
    folder = tmp_path / "Music"
    folder.mkdir()
    (folder / "song.mp3").write_bytes(b"ID3")
    with pytest.raises(NoLibrary, match="no library at"):
        Store(folder, SPECS, create=False)
    assert sorted(p.name for p in folder.iterdir()) == ["song.mp3"]
    assert Store(folder, SPECS).table("state", "t") == {}  # creating: it may become one


def test_a_store_opened_without_create_never_makes_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    with Store(folder, SPECS).transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 1})
    s = Store(folder, SPECS, create=False)
    shutil.rmtree(folder)  # removed while open
    with pytest.raises(NoLibrary):
        with s.transaction("state") as tx:
            tx.put("state", "t", "a", {"v": 1})
    assert not folder.exists()


@pytest.mark.parametrize("create", [True, False])
def test_a_library_path_that_is_a_file_is_one_clear_error(tmp_path: Path, create: bool) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    with pytest.raises(NotALibrary, match="is a file, not a library folder"):
        Store(a_file, SPECS, create=create)
    with pytest.raises(NotALibrary, match="part of the path is a file"):
        Store(a_file / "lib", SPECS, create=create)
    assert a_file.read_text() == "mine"


def test_describe_gives_the_folder_its_size_and_each_files_schema(tmp_path: Path) -> None:
    s = Store(tmp_path, SPECS)
    with s.transaction("state", "catalog") as tx:
        tx.put("state", "t", "a", {"v": 1})
        tx.put("catalog", "t", "a", {"v": "x" * 1000})
    (tmp_path / "history.json").write_text(json.dumps({"_meta": {"schema": {"version": 7}}, "t": {}}))
    info = Store(tmp_path, SPECS).describe()
    assert info.folder == tmp_path and info.exists
    by_name = {f.name: f for f in info.files}
    assert (by_name["state"].version, by_name["state"].current, by_name["state"].state) == (2, 2, "current")
    assert (by_name["catalog"].version, by_name["catalog"].state) == (1, "current")
    assert (by_name["history"].version, by_name["history"].state) == (7, "newer")
    expected = sum(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file())
    assert info.total_bytes == expected >= 1000
    assert by_name["catalog"].size == (tmp_path / "catalog.json").stat().st_size


def test_describe_reads_only(tmp_path: Path) -> None:
    """An old file is reported as older, a damaged one as damaged: neither is upgraded or moved."""
    (tmp_path / "state.json").write_text(json.dumps({"t": {}, "_meta": {"schema": {"version": 1}}}))
    (tmp_path / "catalog.json").write_bytes(b"{torn")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    info = Store(tmp_path, SPECS).describe()
    states = {f.name: (f.version, f.state) for f in info.files}
    assert states == {"state": (1, "older"), "catalog": (None, "damaged")}  # (history: never created)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_describe_of_a_missing_folder_says_so(tmp_path: Path) -> None:
    info = Store(tmp_path / "none", SPECS).describe()
    assert not info.exists and info.total_bytes == 0 and info.files == []


@pytest.mark.parametrize("damage, why", [
    (b"\xff", "not UTF-8"),  # a stray byte: the check of syntax alone would let it through
    (b"\\ud800", "not valid JSON"),
    (b'", "x": [1,,2], "', "not valid JSON"),
])
def test_describe_finds_damage_in_the_middle_of_a_file_whose_tail_is_whole(tmp_path: Path, damage: bytes,
                                                                           why: str) -> None:
    s = Store(tmp_path, SPECS)
    with s.transaction("catalog") as tx:
        tx.put("catalog", "t", "a", {"v": "before MARK after"})
    path = tmp_path / "catalog.json"
    path.write_bytes(path.read_bytes().replace(b"MARK", damage))
    (info,) = [f for f in Store(tmp_path, SPECS).describe().files if f.name == "catalog"]
    assert (info.state, info.version) == ("damaged", None) and why in info.problem


def test_describe_calls_a_file_without_tables_damaged(tmp_path: Path) -> None:
    (tmp_path / "catalog.json").write_bytes(b'{"t": [1, 2]}')
    (info,) = [f for f in Store(tmp_path, SPECS).describe().files if f.name == "catalog"]
    assert info.state == "damaged" and info.problem == "it does not hold TinyDB tables"


@pytest.mark.parametrize("number", [b"1e999", b"-2.5E+400", b"9" * 400], ids=["exponent", "signed", "digits"])
def test_describe_calls_a_schema_record_no_reader_takes_damaged(tmp_path: Path, number: bytes) -> None:
    """A version past a double's range passes msgspec's walk but no reader: it was a
    traceback. (The same number in a document still passes the walk: finding it would
    cost more than the walk itself, and no torn write or stray byte makes one.)"""
    s = Store(tmp_path, SPECS)
    with s.transaction("catalog") as tx:
        tx.put("catalog", "t", "a", {"v": 1})
    path = tmp_path / "catalog.json"
    whole = path.read_bytes()
    path.write_bytes(whole.replace(b'"version":1', b'"version":' + number))
    assert path.read_bytes() != whole
    (info,) = [f for f in Store(tmp_path, SPECS).describe().files if f.name == "catalog"]
    assert (info.state, info.version) == ("damaged", None) and "not valid JSON" in info.problem


@pytest.mark.parametrize("depth, state", [(1000, "current"), (2000, "damaged")])
def test_describe_answers_as_the_store_for_lists_nested_deep(tmp_path: Path, depth: int, state: str) -> None:
    """Nesting deeper than Python's stack was a RecursionError traceback from info; the
    store's reader takes 1,000 levels and refuses 2,000, and info says the same."""
    s = Store(tmp_path, SPECS)
    with s.transaction("catalog") as tx:
        tx.put("catalog", "t", "a", {"v": "MARK"})
    path = tmp_path / "catalog.json"
    path.write_bytes(path.read_bytes().replace(b'"MARK"', b"[" * depth + b"]" * depth))
    (info,) = [f for f in Store(tmp_path, SPECS).describe().files if f.name == "catalog"]
    assert info.state == state
    if state == "damaged":
        assert "not valid JSON" in info.problem


def test_describe_calls_a_file_the_system_will_not_read_unreadable_not_damaged(tmp_path: Path) -> None:
    """A folder (or a permission) in the way is not damage: no backup is restored over it,
    so info must not promise one."""
    Store(tmp_path, SPECS)
    (tmp_path / "catalog.json").mkdir()
    (info,) = [f for f in Store(tmp_path, SPECS).describe().files if f.name == "catalog"]
    assert info.state == "unreadable" and info.problem


def test_a_folder_that_cannot_be_entered_is_unreadable_not_no_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a library made by another user (or with sudo), mode 0700: every command said "no
    # library at DIR: 'tracker import SOURCE' makes one", and import could make nothing there
    folder = tmp_path / "lib"
    s = Store(folder, SPECS)
    with s.transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 1})
    real_lstat = os.lstat

    def refuse(path, *args, **kwargs):  # root enters any folder, so refuse as the OS would
        if os.fspath(path).startswith(str(folder) + os.sep):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_lstat(path, *args, **kwargs)

    monkeypatch.setattr(os, "lstat", refuse)
    with pytest.raises(UnreadableFile, match=f"cannot open the library at {folder}: permission denied"):
        Store(folder, SPECS, create=False)


@pytest.mark.parametrize("create", [True, False])
def test_a_library_linked_to_a_missing_place_says_where_it_links(tmp_path: Path, create: bool) -> None:
    # a library kept on a drive that is not mounted (the data folder a symlink to it): the
    # TUI opened an empty library, import said "file exists", the rest "no library here,
    # import makes one"
    link = tmp_path / "tracker"
    link.symlink_to(tmp_path / "usb" / "tracker")
    for folder in (link, link / "inner"):
        with pytest.raises(UnreadableFile, match=f"{link} links to {tmp_path / 'usb' / 'tracker'}, which does not exist"):
            Store(folder, SPECS, create=create)
    assert not (tmp_path / "usb").exists()
