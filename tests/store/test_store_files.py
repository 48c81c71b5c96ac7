"""The files themselves: who may read them, symlinks, backups by date, odd schema versions."""

from __future__ import annotations

import json
import os
import stat
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator

import pytest

from store import FileSpec, ReadOnlyFile, Store

SPECS = [FileSpec("state", 1), FileSpec("catalog", 1)]


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The common umask 022: what the library files got (0644/0755) before they were made private."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def write(s: Store, value: object, *names: str) -> None:
    with s.transaction(*(names or ("state",))) as tx:
        for name in names or ("state",):
            tx.put(name, "t", "a", {"v": value})


# -- permissions -------------------------------------------------------------------------
def test_a_new_library_is_not_world_readable(tmp_path: Path, open_umask: None) -> None:
    folder = tmp_path / "deep" / "lib"
    s = Store(folder, SPECS)
    write(s, 1, "state", "catalog")
    s.backups.before_write(folder / "state.json", "state", today=date(2030, 1, 1))
    assert mode(folder) == 0o700
    assert mode(folder / "backups") == 0o700
    for name in ("state.json", "catalog.json", ".lock", "backups/state.2030-01-01.json"):
        assert mode(folder / name) == 0o600, name


def test_an_existing_folder_and_files_keep_their_modes(tmp_path: Path, open_umask: None) -> None:
    folder = tmp_path / "lib"
    folder.mkdir(mode=0o750)
    s = Store(folder, SPECS)
    write(s, 1)
    os.chmod(folder / "state.json", 0o640)
    write(s, 2)
    assert mode(folder) == 0o750 and mode(folder / "state.json") == 0o640


# -- symlinks ----------------------------------------------------------------------------
def linked_library(tmp_path: Path) -> tuple[Store, Path, Path]:
    """A library whose state.json is a symlink into another folder (a synced dotfiles dir, say)."""
    lib, elsewhere = tmp_path / "lib", tmp_path / "synced"
    lib.mkdir()
    elsewhere.mkdir()
    (elsewhere / "state.json").write_text(json.dumps({"t": {"a": {"v": 0}}}))
    os.symlink(elsewhere / "state.json", lib / "state.json")
    return Store(lib, SPECS), lib / "state.json", elsewhere / "state.json"


def test_a_symlinked_library_file_is_followed_not_replaced(tmp_path: Path) -> None:
    s, link, target = linked_library(tmp_path)
    write(s, 1)
    write(s, 2, "state", "catalog")  # the journalled, multi-file path too
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text())["t"] == {"a": {"v": 2}}
    assert Store(link.parent, SPECS).table("state", "t") == {"a": {"v": 2}}
    assert not [p for p in (*link.parent.iterdir(), *target.parent.iterdir()) if p.name.endswith(".tmp")]


def test_a_killed_write_beside_a_symlink_target_is_cleaned_up(tmp_path: Path) -> None:
    s, link, target = linked_library(tmp_path)
    orphan = target.parent / ".state.json.99999.tmp"
    orphan.write_text('{"half')
    users_file = target.parent / ".other.json.99999.tmp"  # not a temp of a library file
    users_file.write_text("keep")
    write(Store(link.parent, SPECS), 1)
    assert not orphan.exists() and users_file.exists()


def test_a_damaged_symlinked_file_is_restored_through_the_link(tmp_path: Path) -> None:
    s, link, target = linked_library(tmp_path)
    write(s, 1)  # the day's first write keeps a backup of v0
    target.write_bytes(b"{torn")
    fresh = Store(link.parent, SPECS)
    assert fresh.table("state", "t") == {"a": {"v": 0}}
    assert link.is_symlink() and json.loads(target.read_text())["t"] == {"a": {"v": 0}}
    (aside,) = link.parent.glob("state.damaged-*.json")
    assert aside.read_bytes() == b"{torn"


# -- backups -----------------------------------------------------------------------------
def test_recovery_prefers_the_newest_daily_backup_over_an_old_pre_migration_copy(tmp_path: Path) -> None:
    """A name sort put ``state.schema1.json`` ('s' > '2') before every dated backup."""
    backups = tmp_path / "backups"
    backups.mkdir()

    def doc(value: str) -> str:
        return json.dumps({"t": {"a": {"v": value}}, "_meta": {"schema": {"version": 1, "file": "state"}}})

    (backups / "state.schema1.json").write_text(doc("before the upgrade, months ago"))
    long_ago = 1_600_000_000
    os.utime(backups / "state.schema1.json", (long_ago, long_ago))
    yesterday = date.today() - timedelta(days=1)
    (backups / f"state.{yesterday - timedelta(days=1)}.json").write_text(doc("two days ago"))
    (backups / f"state.{yesterday}.json").write_text(doc("yesterday"))
    (tmp_path / "state.json").write_bytes(b"\x00garbage")
    fresh = Store(tmp_path, SPECS)
    assert fresh.table("state", "t") == {"a": {"v": "yesterday"}}
    assert any(f"state.{yesterday}.json" in n for n in fresh.notices)


def test_rotation_never_removes_a_pre_migration_copy(tmp_path: Path) -> None:
    s = Store(tmp_path, SPECS)
    write(s, 1)
    (tmp_path / "backups").mkdir(exist_ok=True)
    kept = tmp_path / "backups" / "state.schema1.json"
    kept.write_text("{}")
    for n in range(12):
        s.backups.before_write(tmp_path / "state.json", "state", today=date(2030, 1, 1) + timedelta(days=n))
    dailies = [p for p in s.backups.list("state") if "schema" not in p.name]
    assert len(dailies) == 7 and dailies[0].name == "state.2030-01-12.json"
    assert kept.exists()


# -- schema versions ---------------------------------------------------------------------
@pytest.mark.parametrize("version", [0, -3, "2", 1.5, True, None])
def test_a_schema_0_file_is_not_upgraded_on_every_command(tmp_path: Path, version: object) -> None:
    content = {"t": {"a": {"v": 1}}, "_meta": {"schema": {"version": version, "file": "state"}}}
    (tmp_path / "state.json").write_text(json.dumps(content))
    before = (tmp_path / "state.json").read_bytes()
    for _ in range(3):
        opened = Store(tmp_path, SPECS)
        assert opened.table("state", "t") == {"a": {"v": 1}}
        assert opened.notices == []  # taken as the first layout: nothing to upgrade, nothing said
    assert (tmp_path / "state.json").read_bytes() == before
    assert not (tmp_path / "backups").exists()
    write(opened, 2)
    assert json.loads((tmp_path / "state.json").read_text())["_meta"]["schema"]["version"] == 1


def test_an_old_file_is_upgraded_once(tmp_path: Path) -> None:
    content = {"t": {"a": {"v": 1}}, "_meta": {"schema": {"version": 1, "file": "state"}}}
    (tmp_path / "state.json").write_text(json.dumps(content))
    spec = [FileSpec("state", 2, {1: lambda d: {**d, "t": {"a": {"v": 2}}}})]
    first = Store(tmp_path, spec)
    first.read("state")
    assert len(first.notices) == 1
    again = Store(tmp_path, spec)
    assert again.table("state", "t") == {"a": {"v": 2}} and again.notices == []


def test_a_file_with_no_way_to_upgrade_opens_read_only_not_a_traceback(tmp_path: Path) -> None:
    content = {"t": {"a": {"v": 1}}, "_meta": {"schema": {"version": 1, "file": "state"}}}
    (tmp_path / "state.json").write_text(json.dumps(content))
    opened = Store(tmp_path, [FileSpec("state", 3, {2: lambda d: d})])
    assert opened.table("state", "t") == {"a": {"v": 1}}
    assert any("cannot upgrade schema 1 to 3" in n and "read-only" in n for n in opened.notices)


def test_a_file_restored_from_an_older_schema_backup_in_an_open_store_is_upgraded(tmp_path: Path) -> None:
    """A TUI opened an old library (upgraded, its old file kept), then another process damaged
    the file: the only backup is the pre-upgrade copy. It was restored and served as the
    new layout unmigrated, and the next write stamped it current: upgraded never again."""
    content = {"t": {"a": {"v": 1}}, "_meta": {"schema": {"version": 1, "file": "state"}}}
    (tmp_path / "state.json").write_text(json.dumps(content))
    spec = [FileSpec("state", 2, {1: lambda d: {**d, "t": {"a": {"v": 2}}}})]
    opened = Store(tmp_path, spec)
    assert opened.table("state", "t") == {"a": {"v": 2}}
    (tmp_path / "state.json").write_bytes(b"{torn")
    assert opened.table("state", "t") == {"a": {"v": 2}}
    assert any("state.schema1.json" in n for n in opened.notices)
    with opened.transaction("state") as tx:
        tx.put("state", "t", "b", {"v": 2})
    on_disk = json.loads((tmp_path / "state.json").read_text())
    assert on_disk["t"] == {"a": {"v": 2}, "b": {"v": 2}} and on_disk["_meta"]["schema"]["version"] == 2


def test_a_file_a_newer_tracker_wrote_while_open_is_not_written_over(tmp_path: Path) -> None:
    """Two open instances of different versions: the older one checked the file's schema
    once, then merged its writes into what the newer one wrote and stamped it old."""
    s = Store(tmp_path, SPECS)
    write(s, 1)
    newer = {"t": {"a": {"v": "new layout"}}, "_meta": {"schema": {"version": 2, "file": "state"}}}
    (tmp_path / "state.json").write_text(json.dumps(newer))
    with pytest.raises(ReadOnlyFile, match="newer tracker"):
        write(s, 2)
    assert json.loads((tmp_path / "state.json").read_text()) == newer
