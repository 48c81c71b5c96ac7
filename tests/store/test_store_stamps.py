"""Store.stamp(name) changes exactly when a file's data may have changed, on every path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from store import FileSpec, Store

SPECS = [FileSpec("state", 1), FileSpec("catalog", 1), FileSpec("history", 1)]
NAMES = [spec.name for spec in SPECS]


def stamps(s: Store) -> dict[str, int]:
    return {name: s.stamp(name) for name in NAMES}


def changed(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {name for name in before if before[name] != after[name]}


def test_a_single_file_commit_changes_only_its_stamp(tmp_path: Path) -> None:
    s = Store(tmp_path, SPECS)
    before = stamps(s)
    with s.transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 1})
    assert changed(before, stamps(s)) == {"state"}
    steady = stamps(s)
    assert stamps(s) == steady  # reading again changes nothing


def test_a_transaction_that_changes_nothing_keeps_the_stamps(tmp_path: Path) -> None:
    s = Store(tmp_path, SPECS)
    with s.transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 1})
    before = stamps(s)
    with s.transaction("state", "catalog"):
        pass
    assert stamps(s) == before


def test_a_multi_file_commit_changes_both_stamps(tmp_path: Path) -> None:
    s, other = Store(tmp_path, SPECS), Store(tmp_path, SPECS)
    before, before_other = stamps(s), stamps(other)
    with s.transaction("state", "history") as tx:
        tx.put("state", "t", "a", {"v": 1})
        tx.put("history", "t", "a", {"v": 1})
    assert changed(before, stamps(s)) == {"state", "history"}
    assert changed(before_other, stamps(other)) == {"state", "history"}


def test_another_processs_write_changes_the_stamp(tmp_path: Path) -> None:
    s = Store(tmp_path, SPECS)
    with s.transaction("catalog") as tx:
        tx.put("catalog", "t", "a", {"v": 1})
    before = stamps(s)
    code = (
        "import sys\nfrom store import FileSpec, Store\n"
        "s = Store(sys.argv[1], [FileSpec('catalog', 1)])\n"
        "with s.transaction('catalog') as tx:\n    tx.put('catalog', 't', 'a', {'v': 2})\n"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True)
    assert changed(before, stamps(s)) == {"catalog"}
    assert s.table("catalog", "t") == {"a": {"v": 2}}


def test_a_recovery_changes_the_stamp(tmp_path: Path) -> None:
    s = Store(tmp_path, SPECS)
    with s.transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 1})
    s.backups.before_write(tmp_path / "state.json", "state")
    with s.transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 2})
    before = stamps(s)
    (tmp_path / "state.json").write_bytes(b"{torn")
    assert changed(before, stamps(s)) == {"state"}
    assert s.table("state", "t") == {"a": {"v": 1}} and s.notices


def test_rolling_forward_another_processs_commit_changes_the_stamps(tmp_path: Path) -> None:
    s = Store(tmp_path, SPECS)
    with s.transaction("state", "catalog") as tx:
        tx.put("state", "t", "a", {"v": 1})
        tx.put("catalog", "t", "a", {"v": 1})
    before = stamps(s)
    for name in ("state", "catalog"):
        (tmp_path / f".{name}.json.4.tmp").write_text(json.dumps({"t": {"a": {"v": 2}}}))
    (tmp_path / ".journal").write_text(json.dumps([[".state.json.4.tmp", "state.json"], [".catalog.json.4.tmp", "catalog.json"]]))
    assert changed(before, stamps(s)) == {"state", "catalog"}
    assert s.table("catalog", "t") == {"a": {"v": 2}}


def test_a_file_deleted_and_recreated_changes_the_stamp(tmp_path: Path) -> None:
    s = Store(tmp_path, SPECS)
    with s.transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 1})
    first = s.stamp("state")
    (tmp_path / "state.json").unlink()
    gone = s.stamp("state")
    assert gone != first and s.table("state", "t") == {}
    with s.transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 1})
    assert s.stamp("state") != gone


def test_a_write_costs_only_the_files_it_changes(tmp_path: Path, monkeypatch) -> None:
    """Growth elsewhere in the library (a big catalog) must not make a state write dearer."""
    import os

    import store.atomic

    s = Store(tmp_path, SPECS)
    with s.transaction("catalog") as tx:
        for n in range(5000):
            tx.put("catalog", "shows", str(n), {"title": "x" * 200})
    with s.transaction("state") as tx:
        tx.put("state", "t", "a", {"v": 0})
    catalog_stamp = s.stamp("catalog")
    written = {"bytes": 0}
    real_write = os.write

    def counting(fd: int, data: bytes) -> int:
        n = real_write(fd, data)
        written["bytes"] += n
        return n

    real_writev = os.writev

    def counting_v(fd: int, pieces: list[bytes]) -> int:
        n = real_writev(fd, pieces)
        written["bytes"] += n
        return n

    monkeypatch.setattr(store.atomic.os, "write", counting)
    monkeypatch.setattr(store.atomic.os, "writev", counting_v)  # (a file written as pieces)
    with s.transaction("state", "history") as tx:
        tx.put("state", "t", "a", {"v": 1})
        tx.put("history", "t", "a", {"v": 1})
    monkeypatch.undo()
    state = (tmp_path / "state.json").stat().st_size + (tmp_path / "history.json").stat().st_size
    assert state <= written["bytes"] <= state + 200  # the two files and the journal, nothing else
    assert (tmp_path / "catalog.json").stat().st_size > 50 * written["bytes"]
    assert s.stamp("catalog") == catalog_stamp
