"""Issue 9: an OPML list of 100 feeds x 1,000 episodes served on 127.0.0.1, imported by
tracker as a whole process (`tracker import URL`), beside feedparser parsing the same
100 feeds (bytes already in memory: no download, no storing) in the same run.
Target: tracker at least 10x faster than feedparser's parse.

A second list of 100 other feeds is then imported into the library the first one
filled (100,000 episodes): batch commits keep the cost per feed flat, so it should
take about as long as the first.

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

from common import table  # noqa: E402
from generate import make_feed  # noqa: E402
from tests.feed_server import FeedServer, serving  # noqa: E402

ENV = {k: v for k, v in os.environ.items() if k != "TRACKER_LIBRARY"}


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


def tracker_import(library: Path, url: str, expect: int, **env: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "tracker", "--library", str(library), "import", "--json", url],
                          capture_output=True, text=True, env={**ENV, **env})
    elapsed = time.perf_counter() - started
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count('"added"') == expect + 1, done.stdout[-500:]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--feedparser-repeat", type=int, default=1)
    args = parser.parse_args()
    rows = []
    with serving() as server, tempfile.TemporaryDirectory() as tmp:
        first, bodies = serve(server, "first", args.feeds, args.items, 0)
        second, _ = serve(server, "second", args.feeds, args.items, 10_000)
        size = sum(len(b) for b in bodies)
        times = [tracker_import(Path(tmp) / f"lib{i}", first, args.feeds) for i in range(args.repeat)]
        tracker_t = sorted(times)[len(times) // 2]
        rows.append(["tracker import (whole process: start, download, parse, chapters, store)", tracker_t])
        more = tracker_import(Path(tmp) / "lib0", second, args.feeds)
        rows.append([f"the same, {args.feeds} other feeds into the library it filled", more])
        pooled = [tracker_import(Path(tmp) / f"pool{i}", first, args.feeds, TRACKER_PARSE_PROCESSES="2")
                  for i in range(args.repeat)]
        rows.append(["the same, parsing in 2 worker processes (TRACKER_PARSE_PROCESSES=2)",
                     sorted(pooled)[len(pooled) // 2]])
        try:
            import feedparser

            fp = []
            for _ in range(args.feedparser_repeat):
                started = time.perf_counter()
                for body in bodies:
                    assert len(feedparser.parse(body).entries) == args.items
                fp.append(time.perf_counter() - started)
            rows.append(["feedparser: parse only (the same feeds, in memory)", sorted(fp)[len(fp) // 2]])
        except ImportError:
            print("feedparser is not installed: pip install -e '.[bench]'", file=sys.stderr)
    print(f"{args.feeds} feeds x {args.items} items ({size / 1e6:.0f} MB) on 127.0.0.1; tracker: medians of "
          f"{args.repeat} runs, feedparser: {args.feedparser_repeat}")
    print(table(["what", "time", "time / tracker"], [[w, f"{t:.2f} s", f"{t / tracker_t:.1f}x"] for w, t in rows]))
    if len(rows) == 4:
        ratio = rows[3][1] / tracker_t
        print(f"target: tracker >= 10x faster than feedparser's parse: {ratio:.1f}x ({'met' if ratio >= 10 else 'NOT met'})")


if __name__ == "__main__":
    main()
