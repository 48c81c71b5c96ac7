"""Issue 9: the 5,000-item (~8 MB) feed imported by tracker as a whole process (start,
parse, chapters, store: `tracker import FILE` into a new library), beside feedparser
and podcastparser parsing the same bytes in this process (no start, no storing), all in
the same run. Target: tracker at least 5x faster than feedparser's parse alone.

Wall and CPU time (user + system, the process and its children) are both printed:
the machine may be shared, and CPU time is the steadier of the two. The tracker
process runs with its byte code cached, as an installed package has it.

    pip install -e '.[bench]' && python bench/import_feed.py [--items 5000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import child_env, interleaved, table  # noqa: E402
from generate import make_feed  # noqa: E402


TRACKER = "tracker import (whole process: start, parse, chapters, store)"
FEEDPARSER = "feedparser: parse only"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    raw = make_feed(args.items)
    env = child_env()
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "feed.xml"
        feed.write_bytes(raw)
        runs = iter(range(10**6))

        def tracker_import() -> None:
            library = Path(tmp) / f"lib{next(runs)}"
            done = subprocess.run([sys.executable, "-m", "tracker", "--library", str(library), "import", str(feed)],
                                  capture_output=True, text=True, env=env)
            assert done.returncode == 0 and f"{args.items:,} new" in done.stdout, done.stdout + done.stderr

        runs_of: dict[str, Callable[[], None]] = {TRACKER: tracker_import}
        try:
            import feedparser

            def fp() -> None:
                assert len(feedparser.parse(raw).entries) == args.items

            runs_of[FEEDPARSER] = fp
        except ImportError:
            print("feedparser is not installed: pip install -e '.[bench]'", file=sys.stderr)
        try:
            import podcastparser

            def pp() -> None:
                podcastparser.parse("https://example.com/feed.xml", io.BytesIO(raw))

            runs_of["podcastparser: parse only"] = pp
        except ImportError:
            print("podcastparser is not installed: pip install -e '.[bench]'", file=sys.stderr)
        results = interleaved(runs_of, args.repeat)
    wall, cpu = next(iter(results.values()))
    rows = [[name, f"{w:.3f} s", f"{w / wall:.1f}x", f"{c:.3f} s", f"{c / cpu:.1f}x"]
            for name, (w, c) in results.items()]
    print(f"feed: {args.items:,} items, {len(raw) / 1e6:.1f} MB; medians of {args.repeat} rounds, each "
          "running every contender once in turn (the machine's speed drifts: each round sees the same)")
    print(table(["what", "wall", "wall / tracker", "CPU", "CPU / tracker"], rows))
    if FEEDPARSER in results:
        fp_wall, fp_cpu = results[FEEDPARSER]
        ratio = fp_wall / wall
        print(f"target: tracker >= 5x faster than feedparser's parse: {ratio:.1f}x wall, {fp_cpu / cpu:.1f}x CPU "
              f"({'met' if ratio >= 5 else 'NOT met'})")


if __name__ == "__main__":
    main()
