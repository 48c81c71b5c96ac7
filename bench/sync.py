"""Sync against the local gpodder.net API server (gpodder-fastapi-router, as the tests run it).

Cases, each a median over fresh runs (a new user on the server, a fresh copy of the library):
- a first sync that takes 10,000 episode actions down (a phone's listening) and sends
  10,000 up (this library's), target <= 5 s;
- a sync with nothing to do, target <= 300 ms.
Baseline, measured in the same run on the same server: the bare HTTP the case cannot avoid
(the same 10,000 actions posted in batches of 30 on one keep-alive connection, and fetched
with one GET; for the empty sync the two GETs it must make), so the ratio is tracker's own
cost over the server's.

    pip install --ignore-requires-python -r tests/sync/server-requirements.txt
    python bench/sync.py [--runs 3] [--n 10000]
"""

from __future__ import annotations

import argparse
import base64
import os
import http.client
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import table  # noqa: E402
from tests.sync.server import available, start_server, stop_server  # noqa: E402
from tracker.exchange.listening import RemoteItem, apply_remote  # noqa: E402
from tracker.model.catalog import merge_show  # noqa: E402
from tracker.model.library import Library  # noqa: E402
from tracker.sync.api import BATCH  # noqa: E402
from tracker.sync.config import SyncSetup  # noqa: E402
from tracker.sync.engine import run_sync  # noqa: E402

LENGTH = 3600


class Raw:
    """Bare HTTP on one keep-alive connection: the baseline, and the phone."""

    def __init__(self, base: str, user: str, password: str) -> None:
        self.host, self.port = base.split("//")[1].split(":")
        self.user = user
        self.headers = {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode(),
                        "Content-Type": "application/json"}
        self.conn = http.client.HTTPConnection(self.host, int(self.port), timeout=60)

    def call(self, method: str, path: str, body: Any = None) -> bytes:
        import json

        self.conn.request(method, path, body=None if body is None else json.dumps(body), headers=self.headers)
        response = self.conn.getresponse()
        data = response.read()
        if response.status >= 300:
            raise RuntimeError(f"{method} {path}: HTTP {response.status} {data[:200]!r}")
        return data

    def close(self) -> None:
        self.conn.close()


def register(base: str) -> tuple[str, str]:
    user, password = "b" + uuid.uuid4().hex[:10], uuid.uuid4().hex
    raw = Raw(base, user, password)
    raw.call("POST", f"/api/2/auth/{user}/register.json", {"password": password})
    raw.close()
    return user, password


def episodes(show: str, n: int) -> dict[str, dict[str, Any]]:
    chapters = [{"title": t, "start_s": s, "end_s": s + LENGTH // 3} for t, s in
                (("One", 0), ("Two", LENGTH // 3), ("Three", 2 * LENGTH // 3))]
    return {f"{show[:4]}{i:08d}": {"show": show, "title": f"{show} {i}", "published": "2024-05-07",
                                    "duration_s": LENGTH, "guid": f"{show}-{i}", "audio_url": f"https://cdn.example/{show}/{i}.mp3",
                                    "chapters": chapters, "chapters_source": "psc"} for i in range(n)}


def build(folder: Path, n: int) -> tuple[Library, list[dict[str, Any]]]:
    """A library of two shows: "down" (the phone's listening arrives for it) and "up"
    (listened here). Returns it and the phone's actions."""
    library = Library(folder)
    down, up = episodes("down", n), episodes("up", n)
    merge_show(library, "show-down", {"title": "Down", "kind": "rss", "feed_url": "https://feeds.example/down.xml"},
               down, {k: "" for k in down})
    merge_show(library, "show-up", {"title": "Up", "kind": "rss", "feed_url": "https://feeds.example/up.xml"},
               up, {k: "" for k in up})
    apply_remote(library, [RemoteItem(eid, "play", 0.0, 60.0 + i % 1800) for i, eid in enumerate(up)],
                 "bench", "listening here")
    stamp = (datetime.now(timezone.utc) - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%S")
    phone = [{"podcast": "https://feeds.example/down.xml", "episode": doc["audio_url"], "guid": doc["guid"],
              "action": "play", "timestamp": stamp, "started": 0, "position": 120 + i % 1800, "total": LENGTH,
              "device": "phone"} for i, doc in enumerate(down.values())]
    return library, phone


def cpu_seconds(pid: int) -> float | None:
    """A process's CPU time (user + system), where /proc exists: what a case costs the
    server whatever else the machine is doing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()
    if not available():
        sys.exit("the test server is not installed: pip install --ignore-requires-python -r tests/sync/server-requirements.txt")
    work = Path(tempfile.mkdtemp(prefix="tracker-bench-sync-"))
    base, proc = start_server(work)
    try:
        template, phone = build(work / "template", args.n)
        firsts, empties, raw_firsts, raw_empties = [], [], [], []
        server_cpu, client_cpu = [], []
        for run in range(args.runs):
            user, password = register(base)
            raw = Raw(base, user, password)
            for i in range(0, len(phone), 1000):
                raw.call("POST", f"/api/2/episodes/{user}.json", phone[i:i + 1000])
            raw.close()
            folder = work / f"run{run}"
            shutil.copytree(template.folder, folder)
            library = Library(folder)
            setup = SyncSetup(server=base, user=user, device="bench", password=password, timeout_s=60)
            cpu_before, mine_before = cpu_seconds(proc.pid), time.process_time()
            started = time.perf_counter()
            report = run_sync(library, setup)
            firsts.append(time.perf_counter() - started)
            cpu_after = cpu_seconds(proc.pid)
            client_cpu.append(time.process_time() - mine_before)
            if cpu_before is not None and cpu_after is not None:
                server_cpu.append(cpu_after - cpu_before)
            assert report.actions_down == args.n and report.episodes_up >= args.n, report
            for _ in range(5):
                started = time.perf_counter()
                report = run_sync(Library(folder), setup)
                empties.append(time.perf_counter() - started)
                assert report.actions_up == 0 and report.episodes_changed == 0, report

            # The baseline: the same bytes over bare HTTP, for another fresh user.
            user2, password2 = register(base)
            raw = Raw(base, user2, password2)
            ups = [{**a, "device": "raw", "podcast": "https://feeds.example/up.xml",
                    "episode": a["episode"].replace("/down/", "/up/")} for a in phone]
            started = time.perf_counter()
            for i in range(0, len(ups), BATCH):
                raw.call("POST", f"/api/2/episodes/{user2}.json", ups[i:i + BATCH])
            raw.call("GET", f"/api/2/episodes/{user2}.json?since=0")
            raw_firsts.append(time.perf_counter() - started)
            for _ in range(5):
                started = time.perf_counter()
                raw.call("GET", f"/api/2/subscriptions/{user2}/raw.json?since={int(time.time())}")
                raw.call("GET", f"/api/2/episodes/{user2}.json?since={int(time.time())}")
                raw_empties.append(time.perf_counter() - started)
            raw.close()
            shutil.rmtree(folder)
    finally:
        stop_server(proc)
        shutil.rmtree(work, ignore_errors=True)

    first, raw_first = statistics.median(firsts), statistics.median(raw_firsts)
    empty, raw_empty = statistics.median(empties), statistics.median(raw_empties)
    n = f"{args.n:,}"
    print(table(
        ["case", "tracker (median)", "baseline: bare HTTP (median)", "ratio", "target", "met"],
        [[f"first sync: {n} down + {n} up", f"{first:.2f} s", f"{raw_first:.2f} s", f"{first / raw_first:.2f}x",
          "<= 5 s", "yes" if first <= 5 else "NO"],
         ["sync with nothing to do", f"{empty * 1000:.0f} ms", f"{raw_empty * 1000:.1f} ms",
          f"{empty / raw_empty:.1f}x", "<= 300 ms", "yes" if empty <= 0.3 else "NO"]],
    ))
    print(f"({args.runs} runs; {len(empties)} empty syncs; the library holds {2 * args.n:,} episodes)")
    if server_cpu:
        print(f"first sync, CPU time (whatever the machine's load): the server {statistics.median(server_cpu):.2f} s, "
              f"tracker {statistics.median(client_cpu):.2f} s")


if __name__ == "__main__":
    main()
