"""Issue 5: the TUI on generated libraries of 1k, 10k and 100k episodes beside the same
app on an empty library, in one run.

Each library is opened --runs times, each in a fresh process (bench/tui_harness.py),
which times inside the app: process start to the first painted catalog, a cursor
move to its repaint, a filter keystroke to its repaint, and peak memory. The table
gives medians over the runs and the first paint's ratio to the empty library's.

    python bench/tui_speed.py [--sizes 1000,10000,100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import table  # noqa: E402
from generate import make_library  # noqa: E402


def run_once(folder: Path) -> dict:
    env = {**os.environ, "TRACKER_BENCH_T0": repr(time.time())}
    out = subprocess.run([sys.executable, str(HERE / "tui_harness.py"), str(folder)],
                         capture_output=True, text=True, env=env, timeout=600)
    if out.returncode != 0:
        raise SystemExit(f"harness failed on {folder}: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sizes = [0, *(int(s) for s in args.sizes.split(","))]
    results: dict[int, list[dict]] = {n: [] for n in sizes}
    with tempfile.TemporaryDirectory() as tmp:
        folders = {}
        for n in sizes:
            folders[n] = Path(tmp) / f"lib{n}"
            if n:
                make_library(folders[n], n)
            print(f"generated {n:,} episodes", file=sys.stderr)
        for _ in range(args.runs):  # interleaved: drift on a noisy machine hits every size alike
            for n in sizes:
                results[n].append(run_once(folders[n]))
    def med(n: int, key: str) -> float | None:
        values = [r[key] for r in results[n] if key in r]
        return statistics.median(values) if values else None

    empty = med(0, "first_paint_s") or float("nan")
    rows = []
    for n in sizes:
        paint = med(n, "first_paint_s")
        cursor, keys, worst, whole, rss = (med(n, k) for k in ("cursor_ms", "filter_ms", "filter_max_ms",
                                                               "filter_complete_ms", "peak_rss_mb"))
        rows.append([
            f"{n:,}" if n else "empty",
            f"{paint * 1000:.0f} ms", f"{paint / empty:.2f}x",
            "-" if cursor is None else f"{cursor:.1f} ms",
            "-" if keys is None else f"{keys:.1f} ms (max {worst:.0f})",
            "-" if whole is None else f"{whole:.1f} ms",
            f"{rss:.0f} MB",
        ])
    print(f"{args.runs} runs per library, medians; terminal 160x50, headless")
    print(table(["episodes", "first paint", "/ empty", "cursor move", "filter keystroke to repaint",
                 "filter to full count", "peak memory"], rows))


if __name__ == "__main__":
    main()
