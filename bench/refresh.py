"""Issue 9: refreshing 200 feeds from a local server that answers each after 200 ms.

Serial (one connection) is the baseline, measured in the same run; then the default
(8 connections) and 16; first with every feed changed (a full download and parse),
then with nothing changed (every answer a 304). Target: all refreshed in at most 10%
of the serial time, the 304 case as fast.

    python bench/refresh.py [--feeds 200] [--delay 0.2] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import table  # noqa: E402
from generate import make_feed  # noqa: E402
from tests.feed_server import serving  # noqa: E402

from tracker.importers.service import import_sources, refresh  # noqa: E402
from tracker.model.library import Library  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows: list[list[str]] = []
    with serving() as server, tempfile.TemporaryDirectory() as tmp:
        urls = []
        for n in range(args.feeds):
            body = make_feed(args.items, seed=n).replace(b"Generated Show", f"Generated Show {n}".encode())
            urls.append(server.add(f"/feeds/{n}.xml", body, etag=f'"v1-{n}"'))
        library = Library(Path(tmp) / "lib")
        outcomes = import_sources(library, urls, remote_chapters=False)
        assert all(o.ok for o in outcomes), [o for o in outcomes if not o.ok][:3]
        server.delay = args.delay
        version = iter(range(2, 10**6))

        def changed() -> None:  # a new ETag on every feed: each is downloaded and parsed again
            v = next(version)
            for n in range(args.feeds):
                server.routes[f"/feeds/{n}.xml"].etag = f'"v{v}-{n}"'

        def timed(connections: int, change: bool, repeat: int) -> float:
            times = []
            for _ in range(repeat):
                if change:
                    changed()
                started = time.perf_counter()
                got = refresh(library, remote_chapters=False, connections=connections)
                times.append(time.perf_counter() - started)
                assert len(got) == args.feeds and all(o.ok for o in got)
                assert all(o.not_modified for o in got) != change
            return sorted(times)[len(times) // 2]

        serial = timed(1, True, 1)
        rows.append(["changed feeds, serial (1 connection): the baseline", f"{serial:.2f} s", "100.0%"])
        for connections in (8, 16):
            for change in (True, False):
                t = timed(connections, change, args.repeat)
                what = "changed feeds" if change else "nothing changed (304)"
                label = f"{what}, {connections} connections" + (" (the default)" if connections == 8 else "")
                rows.append([label, f"{t:.2f} s", f"{100 * t / serial:.1f}%"])
    print(f"{args.feeds} feeds of {args.items} items, each answer after {args.delay * 1000:.0f} ms; "
          f"medians of {args.repeat} runs (the serial baseline: one run)")
    print(table(["refresh", "median", "of serial"], rows))
    floor = args.feeds * args.delay / 8
    print(f"note: with 8 connections the server's delay alone takes {floor:.1f} s "
          f"({100 * floor / (args.feeds * args.delay):.1f}% of the serial delay); 10% needs 10 or more connections")


if __name__ == "__main__":
    main()
