"""Each kind of bad file gets its documented outcome, and nothing is lost."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

import store.atomic
from store import CorruptFile, FileSpec, ReadOnlyFile, Store, UnreadableFile, WriteFailed

SPECS = [FileSpec("state", 1)]


def library_with_backup(folder: Path) -> Store:
    """A library whose state file has a backup holding {'a': 1}, then a newer write."""
    s = Store(folder, SPECS)
    with s.transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 1})
    s.backups.before_write(folder / "state.json", "state")  # day's backup of v1
    with s.transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 2})
    return s


DAMAGE = {
    "garbage": b"\x00\xffnot json at all",
    "truncated": b'{"t": {"a": {"v": 2}}, "_meta": {"sch',
    "empty": b"",
    "not tables": b"[1, 2, 3]",
}


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damaged_file_is_kept_aside_and_the_backup_restored(tmp_path: Path, kind: str) -> None:
    library_with_backup(tmp_path)
    (tmp_path / "state.json").write_bytes(DAMAGE[kind])
    fresh = Store(tmp_path, SPECS)
    assert fresh.table("state", "t") == {"a": {"v": 1}}
    (aside,) = tmp_path.glob("state.damaged-*.json")
    assert aside.read_bytes() == DAMAGE[kind]  # the damaged file is never overwritten
    (notice,) = fresh.notices
    assert "damaged" in notice and aside.name in notice and "restored" in notice


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damaged_file_without_backup_is_an_error_and_untouched(tmp_path: Path, kind: str) -> None:
    (tmp_path / "state.json").write_bytes(DAMAGE[kind])
    before = sorted(p.name for p in tmp_path.iterdir())
    fresh = Store(tmp_path, SPECS)
    with pytest.raises(CorruptFile, match="no good backup") as err:
        fresh.read("state")
    assert "))" not in str(err.value)  # (the reason sat in parentheses inside parentheses)
    assert (tmp_path / "state.json").read_bytes() == DAMAGE[kind]
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_damaged_backup_is_passed_over(tmp_path: Path) -> None:
    s = library_with_backup(tmp_path)
    newer = s.backups.folder / "state.2999-01-01.json"
    newer.write_bytes(b"{broken")
    (tmp_path / "state.json").write_bytes(b"{broken too")
    assert Store(tmp_path, SPECS).table("state", "t") == {"a": {"v": 1}}


def test_newer_schema_opens_read_only(tmp_path: Path) -> None:
    content = {"t": {"a": {"v": 5}}, "_meta": {"schema": {"version": 9, "file": "state"}}}
    (tmp_path / "state.json").write_text(json.dumps(content))
    before = (tmp_path / "state.json").read_bytes()
    s = Store(tmp_path, SPECS)
    assert s.table("state", "t") == {"a": {"v": 5}}
    assert any("newer tracker" in n and "read-only" in n for n in s.notices)
    with pytest.raises(ReadOnlyFile, match="newer tracker"):
        with s.transaction("state") as tx:
            tx.put("state", "t", "a", {"v": 6})
    assert (tmp_path / "state.json").read_bytes() == before


def test_unreadable_file_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library_with_backup(tmp_path)
    before = (tmp_path / "state.json").read_bytes()
    real_open = os.open

    def refuse(path, flags, *args, **kw):  # root ignores chmod, so refuse as the OS would
        if str(path).endswith("state.json") and not flags & os.O_WRONLY:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kw)

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(UnreadableFile, match="permission denied"):
        Store(tmp_path, SPECS).read("state")
    monkeypatch.undo()
    assert (tmp_path / "state.json").read_bytes() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file whatever its mode")
def test_unreadable_file_by_mode(tmp_path: Path) -> None:
    library_with_backup(tmp_path)
    os.chmod(tmp_path / "state.json", 0)
    with pytest.raises(UnreadableFile):
        Store(tmp_path, SPECS).read("state")


def test_full_disk_leaves_the_old_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = library_with_backup(tmp_path)
    before = (tmp_path / "state.json").read_bytes()

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store.atomic.os, "write", full)
    monkeypatch.setattr(store.atomic.os, "writev", full)  # (a file written as pieces)
    with pytest.raises(WriteFailed, match="disk is full"):
        with s.transaction("state") as tx:
            tx.put("state", "t", "a", {"v": 3})
    monkeypatch.undo()
    assert (tmp_path / "state.json").read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))
    assert s.table("state", "t") == {"a": {"v": 2}}  # the cache did not keep the failed change


def test_older_schema_is_backed_up_then_migrated_step_by_step(tmp_path: Path) -> None:
    # A fixture of an older layout: schema 1 kept a 'listened' flag per episode,
    # schema 2 a status word, schema 3 adds a position.
    old = {
        "episodes": {"e1": {"listened": True}, "e2": {"listened": False}},
        "_meta": {"schema": {"version": 1, "file": "state"}},
    }
    (tmp_path / "state.json").write_text(json.dumps(old))
    original = (tmp_path / "state.json").read_bytes()
    steps: list[int] = []

    def one_to_two(data):
        steps.append(1)
        eps = {k: {"status": "listened" if v["listened"] else "new"} for k, v in data["episodes"].items()}
        return {**data, "episodes": eps}

    def two_to_three(data):
        steps.append(2)
        eps = {k: {**v, "position_s": 0} for k, v in data["episodes"].items()}
        return {**data, "episodes": eps}

    spec = FileSpec("state", 3, {1: one_to_two, 2: two_to_three})
    s = Store(tmp_path, [spec])
    assert s.table("state", "episodes") == {
        "e1": {"status": "listened", "position_s": 0},
        "e2": {"status": "new", "position_s": 0},
    }
    assert steps == [1, 2]
    assert (tmp_path / "backups" / "state.schema1.json").read_bytes() == original
    assert json.loads((tmp_path / "state.json").read_text())["_meta"]["schema"]["version"] == 3
    assert any("upgraded from schema 1 to 3" in n for n in s.notices)
    # A second open does not migrate again.
    assert Store(tmp_path, [spec]).table("state", "episodes")["e1"]["status"] == "listened"
    assert steps == [1, 2]


def test_a_missing_file_with_a_backup_is_restored_and_said(tmp_path: Path) -> None:
    # state.json deleted (a sync tool's conflict, a slip at the shell): every command read
    # it as empty without a word, and the next write made a fresh file over the loss
    library_with_backup(tmp_path)
    (tmp_path / "state.json").unlink()
    fresh = Store(tmp_path, SPECS)
    assert fresh.table("state", "t") == {"a": {"v": 1}}
    (notice,) = fresh.notices
    assert notice.startswith("state.json was missing") and "state." in notice and "restored" in notice
    assert json.loads((tmp_path / "state.json").read_bytes())["t"] == {"a": {"v": 1}}


def test_a_file_removed_while_open_is_restored_once(tmp_path: Path) -> None:
    s = library_with_backup(tmp_path)
    assert s.table("state", "t") == {"a": {"v": 2}}
    (tmp_path / "state.json").unlink()
    assert s.table("state", "t") == {"a": {"v": 1}}
    assert s.table("state", "t") == {"a": {"v": 1}} and len(s.notices) == 1


def test_a_missing_file_without_a_backup_is_empty_and_nothing_is_said(tmp_path: Path) -> None:
    s = Store(tmp_path, [*SPECS, FileSpec("other", 1)])
    with s.transaction("other") as tx:
        tx.put("other", "t", "a", {"v": 1})
    fresh = Store(tmp_path, [*SPECS, FileSpec("other", 1)])
    assert fresh.table("state", "t") == {} and fresh.notices == []
    assert not (tmp_path / "state.json").exists()


def test_a_restore_that_fails_leaves_no_copy_aside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # on a full disk every read that tried to restore kept one more state.damaged-*.json
    # beside the file it had not replaced (a TUI reading again each second: one a second),
    # while the error said "nothing was changed"
    library_with_backup(tmp_path)
    (tmp_path / "state.json").write_bytes(DAMAGE["garbage"])
    before = sorted(p.name for p in tmp_path.iterdir())

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store.atomic.os, "write", full)
    monkeypatch.setattr(store.atomic.os, "writev", full)
    for _ in range(2):
        with pytest.raises(CorruptFile, match="cannot be restored: .*disk is full"):
            Store(tmp_path, SPECS).read("state")
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert Store(tmp_path, SPECS).table("state", "t") == {"a": {"v": 1}}  # restored once there is room
    assert len(list(tmp_path.glob("state.damaged-*.json"))) == 1


def test_a_pipe_in_a_files_place_is_one_error_not_a_hang(tmp_path: Path) -> None:
    # a FIFO where state.json was hung every command (and info) on its open; a symlink to
    # /dev/zero hung on the read, and one to /dev/null read as an empty, damaged file whose
    # "restore" replaced the device itself
    library_with_backup(tmp_path)
    (tmp_path / "state.json").unlink()
    os.mkfifo(tmp_path / "state.json")
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(UnreadableFile, match="state.json: it is a pipe or a device, not a file"):
        Store(tmp_path, SPECS).read("state")
    (info,) = Store(tmp_path, SPECS).describe().files
    assert info.state == "unreadable" and "not a file" in info.problem
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_folder_in_a_files_place_says_so(tmp_path: Path) -> None:
    library_with_backup(tmp_path)
    (tmp_path / "state.json").unlink()
    (tmp_path / "state.json").mkdir()
    with pytest.raises(UnreadableFile, match="state.json: it is a folder"):
        Store(tmp_path, SPECS).read("state")


def test_a_file_linked_into_a_missing_folder_is_an_error_not_an_empty_file(tmp_path: Path) -> None:
    # state.json kept on a drive not mounted now: it read as empty (every episode new, and
    # nothing said) until a write failed with "cannot write state.json"
    library_with_backup(tmp_path)
    (tmp_path / "state.json").unlink()
    (tmp_path / "state.json").symlink_to(tmp_path / "usb" / "state.json")
    with pytest.raises(UnreadableFile, match="state.json: it links to .*usb/state.json, whose folder does not exist"):
        Store(tmp_path, SPECS).read("state")
    (info,) = Store(tmp_path, SPECS).describe().files
    assert info.state == "unreadable" and "whose folder does not exist" in info.problem
    (tmp_path / "usb").mkdir()  # mounted again, the file not made yet: a write makes it there
    s = Store(tmp_path, SPECS)
    assert s.table("state", "t") == {"a": {"v": 1}}  # (restored from the backup, through the link)
    assert (tmp_path / "state.json").is_symlink()
