"""The export writer: atomic, follows symlinks, never writes into the library, tidies after kills."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from store import FileSpec, Store, TargetInLibrary, WriteFailed, write_export
from store.export import export_temp_name

SPECS = [FileSpec("state", 1)]


def library(folder: Path) -> Store:
    s = Store(folder, SPECS)
    with s.transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 1})
    return s


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_export_into_the_library_folder_is_refused(tmp_path: Path) -> None:
    """``export -o LIB/state.json`` silently replaced the listening state."""
    lib = tmp_path / "lib"
    library(lib)
    (lib / "backups").mkdir(exist_ok=True)
    os.symlink(lib / "state.json", tmp_path / "innocent.json")
    os.symlink(lib, tmp_path / "lib-link")
    before = snapshot(lib)
    targets = [
        lib / "state.json",
        lib / "export.json",  # a new file in the folder is refused too: the folder is the store's
        lib / "backups" / "state.2000-01-01.json",
        tmp_path / "elsewhere" / ".." / "lib" / "state.json",
        tmp_path / "lib-link" / "state.json",
        tmp_path / "innocent.json",  # a symlink pointing into the library
    ]
    (tmp_path / "elsewhere").mkdir()
    for target in targets:
        with pytest.raises(TargetInLibrary) as caught:
            write_export(target, b'{"exported": true}', lib)
        assert str(caught.value).startswith(f"cannot write {target}: it is inside the library folder")
    assert snapshot(lib) == before


def test_an_export_replaces_its_target_whole_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old")
    os.chmod(target, 0o640)
    written = write_export(target, b"new", tmp_path / "lib")
    assert written == target and target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_a_new_export_gets_the_users_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_export(tmp_path / "new.json", b"x", None)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640


def test_a_symlinked_export_target_is_followed_not_replaced(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "state-export.json"
    real.write_text("old")
    link = tmp_path / "export.json"
    os.symlink(real, link)
    assert write_export(link, b"new", tmp_path / "lib") == real
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_temp_files_of_a_killed_export_are_cleaned_by_the_next_export(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    leftover = tmp_path / f".out.json.tracker-{dead_pid}.tmp"
    leftover.write_text("half an export")
    live = tmp_path / f".other.json.tracker-{os.getppid()}.tmp"  # an export still running
    live.write_text("in progress")
    users = tmp_path / ".notes.tmp"
    users.write_text("not ours")
    write_export(tmp_path / "another.json", b"x", None)
    assert not leftover.exists()
    assert live.exists() and users.exists()


def test_export_temp_names_are_recognisable(tmp_path: Path) -> None:
    assert export_temp_name("out.json") == f".out.json.tracker-{os.getpid()}.tmp"


def test_a_failed_export_leaves_the_old_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    import store.atomic

    target = tmp_path / "out.json"
    target.write_text("old")

    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store.atomic.os, "write", full)
    with pytest.raises(WriteFailed, match="disk is full"):
        write_export(target, b"new", None)
    monkeypatch.undo()
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["out.json"]


@pytest.mark.parametrize("case", ["missing folder", "a folder"])
def test_an_export_to_a_bad_place_is_one_line(tmp_path: Path, case: str) -> None:
    target = tmp_path / "nope" / "out.json" if case == "missing folder" else tmp_path
    with pytest.raises(WriteFailed) as caught:
        write_export(target, b"x", None)
    assert "\n" not in str(caught.value) and str(target) in str(caught.value)


def test_an_export_to_a_device_writes_through_it(tmp_path: Path) -> None:
    assert write_export("/dev/null", b"x", tmp_path) == Path("/dev/null")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("name", ["e" * 245 + ".json", "é" * 125 + ".json"])
def test_an_export_to_a_long_file_name_is_written(tmp_path: Path, name: str) -> None:
    # a name the system takes (up to 255 bytes) made a temp name it does not: "cannot
    # write ...: file name too long", for a file that can be written
    target = tmp_path / name
    write_export(target, b"{}", library=None)
    assert target.read_bytes() == b"{}"
    assert os.listdir(tmp_path) == [name]
    temp = export_temp_name(name)
    assert len(os.fsencode(temp)) <= 255 and export_temp_name("x.json") == f".x.json.tracker-{os.getpid()}.tmp"
