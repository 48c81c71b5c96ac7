"""Kill a writer at random moments; run two writers at once. Nothing acknowledged is lost."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from store import FileSpec, Store

SPECS = [FileSpec("state", 1), FileSpec("log", 1)]

# Each transaction writes two files: the journal must make them change together.
WRITER = r"""
import sys
from store import FileSpec, Store
folder, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = Store(folder, [FileSpec("state", 1), FileSpec("log", 1)], lock_timeout=60)
padding = "x" * 200
for i in range(count):
    with s.transaction("log", "state") as tx:
        tx.put("state", "writes", f"{tag}-{i}", {"i": i, "pad": padding})
        total = tx.get("state", "counter", "total") or {"n": 0}
        tx.put("state", "counter", "total", {"n": total["n"] + 1})
        tx.put("log", "entries", f"{tag}-{i}", {"i": i})
    print(i, flush=True)
"""


def spawn(folder: Path, tag: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(folder), tag, str(count)],
        stdout=subprocess.PIPE,
        text=True,
    )


def seed(folder: Path, docs: int) -> None:
    """Give the file some size so that kills land inside writes too."""
    s = Store(folder, SPECS)
    with s.transaction("state") as tx:
        for n in range(docs):
            tx.put("state", "ballast", str(n), {"text": "y" * 100, "n": n})


def test_sigkill_at_random_moments_loses_no_acknowledged_write(tmp_path: Path) -> None:
    seed(tmp_path, 3000)
    rng = random.Random(20261126)
    acknowledged = 0
    for trial in range(50):
        child = spawn(tmp_path, f"t{trial}", 100_000)
        assert child.stdout is not None
        first = child.stdout.readline()  # the child is writing
        assert first.strip() == "0"
        time.sleep(rng.uniform(0.0, 0.15))
        os.kill(child.pid, signal.SIGKILL)
        out, _ = child.communicate()
        acked = [int(line) for line in ([first] + out.splitlines()) if line.strip()]
        last_ack = acked[-1]
        acknowledged += len(acked)

        reopened = Store(tmp_path, SPECS)
        writes = reopened.table("state", "writes")  # parses: never torn
        mine = [k for k in writes if k.startswith(f"t{trial}-")]
        assert len(mine) >= last_ack + 1, f"trial {trial}: acknowledged writes lost"
        assert reopened.table("state", "counter")["total"]["n"] == len(writes)
        assert set(reopened.table("log", "entries")) == set(writes), "a commit landed in one file only"
        assert len(reopened.table("state", "ballast")) == 3000
        with reopened.transaction("state") as tx:
            tx.put("state", "opened", str(trial), {"ok": True})
        assert not list(tmp_path.glob(".*.tmp")), "a temp file survived the next open"
        assert not (tmp_path / ".journal").exists()
    assert acknowledged >= 50


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    seed(tmp_path, 200)
    a, b = spawn(tmp_path, "a", 200), spawn(tmp_path, "b", 200)
    out_a, _ = a.communicate(timeout=240)
    out_b, _ = b.communicate(timeout=240)
    assert a.returncode == 0 and b.returncode == 0
    assert len(out_a.split()) == 200 and len(out_b.split()) == 200
    s = Store(tmp_path, SPECS)
    writes = s.table("state", "writes")
    assert sum(k.startswith("a-") for k in writes) == 200
    assert sum(k.startswith("b-") for k in writes) == 200
    # Every read-modify-write of the shared counter counted: none overwrote another.
    assert s.table("state", "counter")["total"]["n"] == 400
    json.loads((tmp_path / "state.json").read_text())
