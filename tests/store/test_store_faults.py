"""A folder the OS will not let us change, and settings the store cannot use: one line each."""

from __future__ import annotations

import errno
import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from store import BadSetting, FileSpec, ReadOnlyFile, Store, WriteFailed
from store.lock import lock_timeout

from .faults import refuse_changes
from .two_files import SPECS, library

real_copyfile = shutil.copyfile



def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES])
def test_a_read_only_library_folder_reads_and_refuses_writes_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    library(tmp_path)
    before = files(tmp_path)
    refuse_changes(monkeypatch, tmp_path, code)
    s = Store(tmp_path, SPECS)
    assert s.table("state", "t") == {"a": {"v": 1}}
    for names in (("state",), ("state", "catalog")):
        with pytest.raises(WriteFailed) as caught:
            with s.transaction(*names) as tx:
                for name in names:
                    tx.put(name, "t", "a", {"v": 2})
        message = str(caught.value)
        assert "\n" not in message and "nothing was changed" in message
        assert str(tmp_path) in message  # says where: the user can act on it
    assert s.table("state", "t") == {"a": {"v": 1}}
    monkeypatch.undo()
    assert files(tmp_path) == before


def test_a_read_only_folder_without_a_lock_file_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library(tmp_path)
    (tmp_path / ".lock").unlink()
    refuse_changes(monkeypatch, tmp_path)
    s = Store(tmp_path, SPECS)
    assert s.table("catalog", "t") == {"a": {"v": 1}}
    with pytest.raises(WriteFailed, match="read-only file system"):
        with s.transaction("state") as tx:
            tx.put("state", "t", "a", {"v": 2})


def test_an_unwritable_backups_folder_refuses_the_write_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = library(tmp_path)
    for old in s.backups.list("state"):
        old.unlink()  # so that the next write is the day's first and needs a backup
    (tmp_path / "backups").mkdir(exist_ok=True)
    before = files(tmp_path)
    refuse_changes(monkeypatch, tmp_path / "backups", errno.EACCES)
    with pytest.raises(WriteFailed, match="cannot keep a backup of state.json: permission denied in .*backups"):
        with s.transaction("state") as tx:
            tx.put("state", "t", "a", {"v": 2})
    monkeypatch.undo()
    assert files(tmp_path) == before  # no backup, so no unprotected change
    assert Store(tmp_path, SPECS).table("state", "t") == {"a": {"v": 1}}


def test_a_backups_path_that_is_a_file_is_one_line(tmp_path: Path) -> None:
    s = library(tmp_path)  # new files: no backup taken yet
    assert not (tmp_path / "backups").exists()
    (tmp_path / "backups").write_text("not a folder")
    with pytest.raises(WriteFailed, match="cannot keep a backup"):
        with s.transaction("state") as tx:
            tx.put("state", "t", "a", {"v": 2})


@pytest.mark.parametrize("instead", ["file", "dangling link"])
def test_a_backups_path_that_is_not_a_folder_is_named(tmp_path: Path, instead: str) -> None:
    # every write said "cannot keep a backup of state.json: file exists", naming nothing to fix
    s = library(tmp_path)
    backups = tmp_path / "backups"
    if instead == "file":
        backups.write_text("not a folder")
    else:
        backups.symlink_to(tmp_path / "gone")
    with pytest.raises(WriteFailed, match=f"cannot keep a backup of state.json: {backups} is not a folder"):
        with s.transaction("state") as tx:
            tx.put("state", "t", "a", {"v": 2})


def test_a_damaged_file_in_a_read_only_folder_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = library(tmp_path)
    s.backups.before_write(tmp_path / "state.json", "state")
    with s.transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 2})
    (tmp_path / "state.json").write_bytes(b"{torn")
    refuse_changes(monkeypatch, tmp_path)
    from store import CorruptFile

    with pytest.raises(CorruptFile, match="cannot be restored: .*read-only file system"):
        Store(tmp_path, SPECS).read("state")


def test_an_unfinished_commit_in_a_read_only_folder_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library(tmp_path)
    (tmp_path / ".state.json.7.tmp").write_text(json.dumps({"t": {"a": {"v": 2}}}))
    (tmp_path / ".journal").write_text(json.dumps([[".state.json.7.tmp", "state.json"]]))
    refuse_changes(monkeypatch, tmp_path)
    with pytest.raises(WriteFailed, match="interrupted commit .* cannot be finished"):
        Store(tmp_path, SPECS).read("state")


# -- TRACKER_LOCK_TIMEOUT ------------------------------------------------------------------
@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "-1", "abc", "1e400", "99999999", "0x10", "5 s"])
def test_a_lock_timeout_of_inf_nan_or_words_names_the_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str) -> None:
    monkeypatch.setenv("TRACKER_LOCK_TIMEOUT", value)
    with pytest.raises(BadSetting) as caught:
        Store(tmp_path, SPECS)
    message = str(caught.value)
    assert message.startswith("TRACKER_LOCK_TIMEOUT must be a number of seconds from 0 to 86400")
    assert repr(value) in message and "\n" not in message


@pytest.mark.parametrize(("value", "seconds"), [("", 10.0), ("0", 0.0), ("2.5", 2.5), (" 30 ", 30.0), ("86400", 86400.0)])
def test_a_usable_lock_timeout_is_taken(monkeypatch: pytest.MonkeyPatch, value: str, seconds: float) -> None:
    monkeypatch.setenv("TRACKER_LOCK_TIMEOUT", value)
    assert lock_timeout() == seconds


def test_a_lock_timeout_with_escape_codes_is_shown_escaped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TRACKER_LOCK_TIMEOUT", "\x1b]0;pwned\x07")
    with pytest.raises(BadSetting) as caught:
        Store(tmp_path, SPECS)
    assert "\x1b" not in str(caught.value) and "\x07" not in str(caught.value)


def test_an_old_library_in_a_read_only_folder_still_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An upgrade that cannot be written is made in memory: the library reads, read-only."""
    old = {"t": {"a": {"listened": True}}, "_meta": {"schema": {"version": 1, "file": "state"}}}
    (tmp_path / "state.json").write_text(json.dumps(old))
    before = files(tmp_path)
    specs = [FileSpec("state", 2, {1: lambda d: {**d, "t": {"a": {"status": "listened"}}}})]
    refuse_changes(monkeypatch, tmp_path)
    s = Store(tmp_path, specs)
    assert s.table("state", "t") == {"a": {"status": "listened"}}
    (notice,) = s.notices
    assert "upgrade from schema 1 to 2 that cannot be written" in notice and "read-only" in notice
    with pytest.raises(ReadOnlyFile, match="cannot be written"):
        with s.transaction("state") as tx:
            tx.put("state", "t", "b", {"status": "new"})
    assert s.stamp("state") == s.stamp("state")
    monkeypatch.undo()
    assert files(tmp_path) == before
    # Once the folder is writable again, the next open upgrades the file for good.
    again = Store(tmp_path, specs)
    assert again.table("state", "t") == {"a": {"status": "listened"}}
    assert any("upgraded from schema 1 to 2" in n for n in again.notices)


def test_a_backup_copied_half_on_a_full_disk_is_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # where files cannot be hard-linked (a FAT or exFAT stick, some network shares) a backup
    # is a copy; one cut short by a full disk stayed under the day's backup name, so that
    # day's next write took none: the day's backup was half a file
    s = library(tmp_path)
    whole = (tmp_path / "state.json").read_bytes()
    backup = s.backups.path_for("state", date.today())

    def no_links(src: object, dst: object, *args: object, **kwargs: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    def half_copy(src: Path, dst: Path, *args: object, **kwargs: object) -> None:
        Path(dst).write_bytes(Path(src).read_bytes()[:5])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "link", no_links)
    monkeypatch.setattr(shutil, "copyfile", half_copy)
    with pytest.raises(WriteFailed, match="cannot keep a backup of state.json: the disk is full"):
        with s.transaction("state") as tx:
            tx.put("state", "t", "a", {"v": 2})
    assert not backup.exists()
    monkeypatch.setattr(shutil, "copyfile", real_copyfile)  # room again; still no hard links
    with s.transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 2})
    assert backup.read_bytes() == whole


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to count open files")
def test_a_file_system_without_locks_is_one_line_that_says_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a library on a mount without file locks (some FUSE or network file systems): every
    # write ended in a bare "Function not implemented", and left the lock file open
    import fcntl

    s = library(tmp_path)

    def no_locks(fd: int, operation: int) -> None:
        raise OSError(errno.ENOSYS, "Function not implemented")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    opened = len(os.listdir("/proc/self/fd"))
    with pytest.raises(WriteFailed, match=f"cannot lock the library in {tmp_path}: function not implemented"):
        with s.transaction("state") as tx:
            tx.put("state", "t", "a", {"v": 2})
    assert len(os.listdir("/proc/self/fd")) == opened
    assert s.table("state", "t") == {"a": {"v": 1}}
