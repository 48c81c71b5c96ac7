"""The store's everyday promises: fresh reads across instances, backups, the lock."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from store.lock import WriterLock

from store import FileSpec, LibraryBusy, Store, StoreError

SPECS = [FileSpec("state", 1), FileSpec("catalog", 1)]


def make(folder: Path, **kw) -> Store:
    return Store(folder, SPECS, **kw)


def test_a_write_is_seen_by_another_open_store(tmp_path: Path) -> None:
    first, second = make(tmp_path), make(tmp_path)
    assert second.table("state", "episodes") == {}
    with first.transaction("state") as tx:
        tx.put("state", "episodes", "ep1", {"status": "listened"})
    assert second.table("state", "episodes") == {"ep1": {"status": "listened"}}
    # The file is TinyDB's: its own query API reads it through the store's Storage.
    from tinydb import Query, TinyDB
    from tinydb.table import Table

    from store.storage import AtomicJSONStorage

    class ById(Table):
        document_id_class = str  # library documents are keyed by ids, not counters

    db = TinyDB(tmp_path / "state.json", storage=AtomicJSONStorage)
    db.table_class = ById
    assert db.table("episodes").search(Query().status == "listened") == [{"status": "listened"}]
    with second.transaction("state") as tx:
        tx.put("state", "episodes", "ep2", {"status": "new"})
    assert set(first.table("state", "episodes")) == {"ep1", "ep2"}


def test_the_file_is_plain_tinydb_json_with_a_schema_version(tmp_path: Path) -> None:
    store = make(tmp_path)
    with store.transaction("catalog") as tx:
        tx.put("catalog", "shows", "s1", {"title": "A show"})
    raw = json.loads((tmp_path / "catalog.json").read_text())
    assert raw["shows"] == {"s1": {"title": "A show"}}
    assert raw["_meta"]["schema"]["version"] == 1


def test_a_failed_transaction_changes_nothing(tmp_path: Path) -> None:
    store = make(tmp_path)
    with store.transaction("state") as tx:
        tx.put("state", "episodes", "ep1", {"status": "new"})
    with pytest.raises(RuntimeError):
        with store.transaction("state") as tx:
            tx.put("state", "episodes", "ep1", {"status": "listened"})
            raise RuntimeError("boom")
    assert store.table("state", "episodes") == {"ep1": {"status": "new"}}
    assert make(tmp_path).table("state", "episodes") == {"ep1": {"status": "new"}}


def test_transaction_reads_see_their_own_changes(tmp_path: Path) -> None:
    store = make(tmp_path)
    with store.transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 1})
        assert tx.get("state", "t", "a") == {"v": 1}
        tx.delete("state", "t", "a")
        assert tx.get("state", "t", "a") is None
        assert tx.keys("state", "t") == []


def test_many_documents_put_at_once_read_and_commit_like_single_puts(tmp_path: Path) -> None:
    store = make(tmp_path)
    with store.transaction("catalog") as tx:
        tx.put("catalog", "episodes", "e1", {"title": "old"})
    with store.transaction("catalog") as tx:
        tx.put_many("catalog", "episodes", {"e2": {"title": "two"}, "e1": {"title": "one"}})
        assert tx.get("catalog", "episodes", "e1") == {"title": "one"}
        assert tx.keys("catalog", "episodes") == ["e1", "e2"]
        with pytest.raises(StoreError):
            tx.put_many("catalog", "_meta", {"version": {"n": 9}})
    assert store.table("catalog", "episodes") == {"e1": {"title": "one"}, "e2": {"title": "two"}}


def test_which_keys_a_table_holds_is_what_get_sees(tmp_path: Path) -> None:
    store = make(tmp_path)
    with store.transaction("catalog") as tx:
        tx.put_many("catalog", "episodes", {"a": {"n": 1}, "b": {"n": 2}})
    with store.transaction("catalog") as tx:
        tx.delete("catalog", "episodes", "a")
        tx.put("catalog", "episodes", "c", {"n": 3})
        asked = ["a", "b", "c", "d"]
        assert tx.existing("catalog", "episodes", asked) == {k for k in asked if tx.get("catalog", "episodes", k)}
        assert tx.existing("catalog", "episodes", asked) == {"b", "c"}
        assert tx.existing("catalog", "nothing", asked) == set()


def test_writes_outside_a_transaction_are_refused(tmp_path: Path) -> None:
    store = make(tmp_path)
    from tinydb import TinyDB

    from store.storage import AtomicJSONStorage

    store.read("state")
    with pytest.raises(StoreError):
        TinyDB(tmp_path / "state.json", storage=AtomicJSONStorage).table("episodes").insert({"x": 1})


def test_a_stamp_changes_only_when_the_data_does(tmp_path: Path) -> None:
    """Change detection compares stamps: a missing file must not look changed on every read."""
    store, other = make(tmp_path), make(tmp_path)
    missing = store.stamp("catalog")
    assert store.stamp("catalog") == missing and store.table("catalog", "shows") is store.table("catalog", "shows")
    with store.transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 1})
    assert store.stamp("catalog") == missing
    before = store.stamp("state")
    with other.transaction("state") as tx:  # another process writes
        tx.put("state", "t", "a", {"v": 2})
    assert store.stamp("state") != before
    assert store.stamp("state") == store.stamp("state")


def test_file_permissions_are_kept(tmp_path: Path) -> None:
    store = make(tmp_path)
    with store.transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 1})
    os.chmod(tmp_path / "state.json", 0o640)
    with store.transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 2})
    assert (os.stat(tmp_path / "state.json").st_mode & 0o777) == 0o640


def test_daily_backups_rotate_keeping_seven(tmp_path: Path) -> None:
    store = make(tmp_path)
    with store.transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 0})
    start = date(2026, 1, 1)
    for n in range(10):
        store.backups.before_write(tmp_path / "state.json", "state", today=start + timedelta(days=n))
    kept = store.backups.list("state")
    assert len(kept) == 7
    assert kept[0].name == "state.2026-01-10.json"


def test_a_backup_keeps_the_bytes_from_before_the_days_first_write(tmp_path: Path) -> None:
    store = make(tmp_path)
    with store.transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 1})
    # The first write created the file; the second is the first that replaces it.
    before = (tmp_path / "state.json").read_bytes()
    for path in store.backups.list("state"):
        path.unlink()
    with store.transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 2})
    with store.transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 3})
    (backup,) = store.backups.list("state")
    assert backup.read_bytes() == before


def test_a_held_lock_gives_a_clear_busy_error_not_a_hang(tmp_path: Path) -> None:
    store = make(tmp_path, lock_timeout=0.2)
    with store.transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 1})
    other = WriterLock(tmp_path / ".lock", timeout=1)
    with other.held():
        with pytest.raises(LibraryBusy, match="library is busy"):
            with store.transaction("state") as tx:
                tx.put("state", "t", "a", {"v": 2})
    assert store.table("state", "t") == {"a": {"v": 1}}


def test_orphan_temp_files_are_removed_at_the_first_write(tmp_path: Path) -> None:
    store = make(tmp_path)
    with store.transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 1})
    orphan = tmp_path / ".state.json.99999.tmp"
    orphan.write_bytes(b'{"half')
    fresh = make(tmp_path)
    with fresh.transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 2})
    assert not orphan.exists()


def test_a_transaction_over_two_files_commits_both(tmp_path: Path) -> None:
    store = make(tmp_path)
    with store.transaction("catalog", "state") as tx:
        tx.put("catalog", "t", "a", {"v": 1})
        tx.put("state", "t", "a", {"v": 1})
    fresh = make(tmp_path)
    assert fresh.table("catalog", "t") == {"a": {"v": 1}} == fresh.table("state", "t")
    assert not (tmp_path / ".journal").exists()


def test_an_interrupted_multi_file_commit_is_rolled_forward(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import store.journal
    import store.store

    s = make(tmp_path)
    with s.transaction("catalog", "state") as tx:
        tx.put("catalog", "t", "a", {"v": 1})
        tx.put("state", "t", "a", {"v": 1})

    def die(folder: Path) -> list[str]:
        raise KeyboardInterrupt("killed after the journal was written")

    monkeypatch.setattr(store.journal, "roll_forward", die)
    with pytest.raises(KeyboardInterrupt):
        with s.transaction("catalog", "state") as tx:
            tx.put("catalog", "t", "a", {"v": 2})
            tx.put("state", "t", "a", {"v": 2})
    monkeypatch.undo()
    assert (tmp_path / ".journal").exists()
    fresh = make(tmp_path)
    assert fresh.table("catalog", "t") == {"a": {"v": 2}} == fresh.table("state", "t")
    assert not (tmp_path / ".journal").exists()
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_multi_file_commit_that_fails_while_staging_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno as errno_

    import store.atomic

    s = make(tmp_path)
    with s.transaction("catalog", "state") as tx:
        tx.put("catalog", "t", "a", {"v": 1})
        tx.put("state", "t", "a", {"v": 1})
    calls = {"n": 0}
    real_write = os.write

    def second_fails(fd: int, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] > 1:
            raise OSError(errno_.ENOSPC, "No space left on device")
        return real_write(fd, data)

    real_writev = os.writev

    def second_fails_v(fd: int, pieces: list[bytes]) -> int:
        calls["n"] += 1
        if calls["n"] > 1:
            raise OSError(errno_.ENOSPC, "No space left on device")
        return real_writev(fd, pieces)

    monkeypatch.setattr(store.atomic.os, "write", second_fails)
    monkeypatch.setattr(store.atomic.os, "writev", second_fails_v)  # (a file written as pieces)
    from store import WriteFailed

    with pytest.raises(WriteFailed, match="disk is full"):
        with s.transaction("catalog", "state") as tx:
            tx.put("catalog", "t", "a", {"v": 2})
            tx.put("state", "t", "a", {"v": 2})
    monkeypatch.undo()
    fresh = make(tmp_path)
    assert fresh.table("catalog", "t") == {"a": {"v": 1}} == fresh.table("state", "t")
    assert not list(tmp_path.glob(".*.tmp")) and not (tmp_path / ".journal").exists()


def test_a_multi_file_commit_whose_flush_fails_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The temps of a multi-file commit are flushed to disk together: one that fails
    (an I/O error on the third) fails the commit, and no temp is left behind."""
    import errno as errno_

    import store.atomic
    from store import WriteFailed

    specs = [FileSpec(f"part{i}", 1) for i in range(12)]
    s = Store(tmp_path, specs)
    names = [spec.name for spec in specs]
    with s.transaction(*names) as tx:
        for name in names:
            tx.put(name, "t", "a", {"v": 1})
    calls = {"n": 0}
    real_fsync = os.fsync

    def third_fails(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(errno_.EIO, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(store.atomic.os, "fsync", third_fails)
    with pytest.raises(WriteFailed, match="input/output error"):
        with s.transaction(*names) as tx:
            for name in names:
                tx.put(name, "t", "a", {"v": 2})
    monkeypatch.undo()
    fresh = Store(tmp_path, specs)
    assert all(fresh.table(name, "t") == {"a": {"v": 1}} for name in names)
    assert not list(tmp_path.glob(".*.tmp")) and not (tmp_path / ".journal").exists()
