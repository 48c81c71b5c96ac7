"""Issue 9: an OPML list of 100 feeds x 1,000 episodes served on 127.0.0.1, imported by
tracker as a whole process (`tracker import URL`), beside feedparser parsing the same
100 feeds (bytes already in memory: no download, no storing) in the same run.
Target: tracker at least 10x faster than feedparser's parse.

A second list of 100 other feeds is then imported into the library the first one
filled (100,000 episodes): batch commits keep the cost per feed flat, so it should
take about as long as the first.

Wall and CPU time (user + system, the process and its children) are both printed:
the machine may be shared, and CPU time is the steadier of the two. The tracker
process runs with its byte code cached, as an installed package has it.

    pip install -e '.[bench]' && python bench/import_opml.py [--feeds 100] [--items 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import adopt_orphans, child_env, cpu_now, reap_orphans, table  # noqa: E402
from generate import make_feed  # noqa: E402
from tests.feed_server import FeedServer, serving  # noqa: E402

from tracker.importers.parsers import spare_cores  # noqa: E402

ENV: dict[str, str] = {}  # filled by main: compiling is not done on import


def opml(urls: list[str]) -> bytes:
    outlines = "\n".join(f'<outline type="rss" text="Feed {i}" xmlUrl="{u}"/>' for i, u in enumerate(urls))
    return f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>'.encode()


def serve(server: FeedServer, name: str, feeds: int, items: int, first_seed: int) -> tuple[str, list[bytes]]:
    bodies = []
    urls = []
    for n in range(feeds):
        body = make_feed(items, seed=first_seed + n).replace(b"Generated Show", f"Show {first_seed + n}".encode())
        bodies.append(body)
        urls.append(server.add(f"/{name}/{n}.xml", body))
    return server.add(f"/{name}.opml", opml(urls)), bodies


def tracker_import(library: Path, url: str, expect: int, **env: str) -> tuple[float, float]:
    """Wall and CPU seconds of one whole ``tracker import URL`` process."""
    cpu, started = cpu_now(), time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "tracker", "--library", str(library), "import", "--json", url],
                          capture_output=True, text=True, env={**ENV, **env})
    elapsed = time.perf_counter() - started
    reap_orphans()  # the fork server and its workers, where a pool was used
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count('"added"') == expect + 1, done.stdout[-500:]
    return elapsed, cpu_now() - cpu


def middle(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """Median wall time and median CPU time."""
    return (sorted(w for w, _ in runs)[len(runs) // 2], sorted(c for _, c in runs)[len(runs) // 2])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--feedparser-repeat", type=int, default=1)
    args = parser.parse_args()
    ENV.update(child_env())
    counted = adopt_orphans()
    spare = spare_cores(1.0)
    rows: list[tuple[str, tuple[float, float]]] = []
    with serving() as server, tempfile.TemporaryDirectory() as tmp:
        first, bodies = serve(server, "first", args.feeds, args.items, 0)
        second, _ = serve(server, "second", args.feeds, args.items, 10_000)
        size = sum(len(b) for b in bodies)
        tracker_t = middle([tracker_import(Path(tmp) / f"lib{i}", first, args.feeds) for i in range(args.repeat)])
        rows.append(("tracker import (whole process: start, download, parse, chapters, store)", tracker_t))
        more = tracker_import(Path(tmp) / "lib0", second, args.feeds)
        rows.append((f"the same, {args.feeds} other feeds into the library it filled", more))
        here = [tracker_import(Path(tmp) / f"here{i}", first, args.feeds, TRACKER_PARSE_PROCESSES="0")
                for i in range(args.repeat)]
        rows.append(("the same, parsing in the importing process only (TRACKER_PARSE_PROCESSES=0)", middle(here)))
        pooled = [tracker_import(Path(tmp) / f"pool{i}", first, args.feeds, TRACKER_PARSE_PROCESSES="2")
                  for i in range(args.repeat)]
        rows.append(("the same, parsing in 2 worker processes (TRACKER_PARSE_PROCESSES=2)", middle(pooled)))
        try:
            import feedparser

            fp = []
            for _ in range(args.feedparser_repeat):
                cpu, started = cpu_now(), time.perf_counter()
                for body in bodies:
                    assert len(feedparser.parse(body).entries) == args.items
                fp.append((time.perf_counter() - started, cpu_now() - cpu))
            rows.append(("feedparser: parse only (the same feeds, in memory)", middle(fp)))
        except ImportError:
            print("feedparser is not installed: pip install -e '.[bench]'", file=sys.stderr)
    print(f"{args.feeds} feeds x {args.items} items ({size / 1e6:.0f} MB) on 127.0.0.1; tracker: medians of "
          f"{args.repeat} runs, feedparser: {args.feedparser_repeat}")
    wall, cpu = tracker_t
    print(table(["what", "wall", "wall / tracker", "CPU", "CPU / tracker"],
                [[what, f"{w:.2f} s", f"{w / wall:.1f}x", f"{c:.2f} s", f"{c / cpu:.1f}x"] for what, (w, c) in rows]))
    print(f"idle cores when the run began: {spare:.1f} of {os.cpu_count()} (by default tracker parses in worker "
          "processes only when most of a core is idle; CPU counts the tracker process and "
          + ("its worker processes)" if counted else "not its worker processes: they could not be adopted here)"))
    if rows[-1][0].startswith("feedparser"):
        fp_wall, fp_cpu = rows[-1][1]
        ratio = fp_wall / wall
        print(f"target: tracker >= 10x faster than feedparser's parse: {ratio:.1f}x wall, {fp_cpu / cpu:.1f}x CPU "
              f"({'met' if ratio >= 10 else 'NOT met'})")


if __name__ == "__main__":
    main()
