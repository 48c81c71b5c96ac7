"""Issue 3: a generated 5,000-item (~8 MB) RSS feed parsed and stored by tracker, beside
feedparser and podcastparser parsing the same bytes (no storing), in the same run.

    pip install -e '.[bench]' && python bench/import_feed.py [--items 5000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import median_time, table  # noqa: E402
from generate import make_feed  # noqa: E402

from tracker.importers.service import import_sources  # noqa: E402
from tracker.model.library import Library  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    raw = make_feed(args.items)
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "feed.xml"
        feed.write_bytes(raw)
        runs = iter(range(10**6))

        def tracker_import() -> None:
            library = Library(Path(tmp) / f"lib{next(runs)}")
            (outcome,) = import_sources(library, [str(feed)])
            assert outcome.ok and outcome.added == args.items, outcome

        results = {"tracker: parse + chapters + store": median_time(tracker_import, args.repeat)}
        try:
            import feedparser

            def fp() -> None:
                assert len(feedparser.parse(raw).entries) == args.items

            results["feedparser: parse only"] = median_time(fp, max(3, args.repeat // 2), warmup=0)
        except ImportError:
            print("feedparser is not installed: pip install -e '.[bench]'", file=sys.stderr)
        try:
            import podcastparser

            def pp() -> None:
                podcastparser.parse("https://example.com/feed.xml", io.BytesIO(raw))

            results["podcastparser: parse only"] = median_time(pp, args.repeat, warmup=0)
        except ImportError:
            print("podcastparser is not installed: pip install -e '.[bench]'", file=sys.stderr)
    base = results["tracker: parse + chapters + store"]
    rows = [[name, f"{t:.3f} s", f"{t / base:.1f}x"] for name, t in results.items()]
    print(f"feed: {args.items:,} items, {len(raw) / 1e6:.1f} MB")
    print(table(["what", "median", "time / tracker"], rows))


if __name__ == "__main__":
    main()
