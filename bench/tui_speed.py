"""Issues 5 and 11: the TUI on generated libraries of 1k, 10k and 100k episodes (and 100k
with 100k past listening actions) beside the same app on an empty library, in one run.

Each library is opened --runs times, each in a fresh process (bench/tui_harness.py,
timed from outside the app): process start to the first painted catalog, a cursor move
to its repaint, a filter keystroke to its repaint and to its settled full count, o (sort) and f (status) to their
repaint, keys
pressed while another process holds the library lock, the Stats screen from its key to
its painted numbers, and peak memory. The table gives medians over the runs and the
first paint's ratio to the empty library's; the bars are checked at the largest size.

    python bench/tui_speed.py [--sizes 1000,10000,100000] [--actions 100000] [--runs 3]
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
from generate import add_listening, make_library  # noqa: E402

BARS = {  # at the largest size: (key, limit, what)
    "paint_ratio": (2.0, "first paint at most 2x the empty library's"),
    "cursor_ms": (16.0, "cursor move to repaint at most 16 ms"),
    "filter_ms": (50.0, "filter keystroke to repaint at most 50 ms"),
    "filter_complete_ms": (200.0, "filter keystroke to its settled full count at most 200 ms"),
    "sort_max_ms": (50.0, "o (a sort never used yet) to repaint at most 50 ms"),
    "status_max_ms": (50.0, "f (the next status) to repaint at most 50 ms"),
    "locked_key_ms": (50.0, "a key while another process holds the lock, handled within 50 ms"),
    "stats_open_ms": (300.0, "the Stats screen open within 300 ms (with the history)"),
    "peak_rss_mb": (400.0, "peak memory under 400 MB"),
}


def run_once(folder: Path) -> dict:
    env = {**os.environ, "TRACKER_BENCH_T0": repr(time.time()), "TRACKER_CONFIG": str(folder.parent / "config")}
    out = subprocess.run([sys.executable, str(HERE / "tui_harness.py"), str(folder)],
                         capture_output=True, text=True, env=env, timeout=900)
    if out.returncode != 0:
        raise SystemExit(f"harness failed on {folder}: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--actions", type=int, default=100_000, help="past actions on a copy of the largest")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    names = ["empty", *(f"{n:,}" for n in sizes)]
    with tempfile.TemporaryDirectory() as tmp:
        folders = {"empty": Path(tmp) / "empty" / "lib"}
        folders["empty"].parent.mkdir()
        for n in sizes:
            folders[f"{n:,}"] = Path(tmp) / f"n{n}" / "lib"
            make_library(folders[f"{n:,}"], n)
            print(f"generated {n:,} episodes", file=sys.stderr)
        if args.actions:
            big = f"{sizes[-1]:,} + {args.actions:,} actions"
            folders[big] = Path(tmp) / "history" / "lib"
            add_listening(make_library(folders[big], sizes[-1]), args.actions)
            names.append(big)
            print(f"generated {big}", file=sys.stderr)
        results: dict[str, list[dict]] = {name: [] for name in names}
        for _ in range(args.runs):  # interleaved: drift on a noisy machine hits every size alike
            for name in names:
                results[name].append(run_once(folders[name]))

    def med(name: str, key: str) -> float | None:
        values = [r[key] for r in results[name] if key in r]
        return statistics.median(values) if values else None

    empty = med("empty", "first_paint_s") or float("nan")

    def cell(value: float | None, fmt: str) -> str:
        return "-" if value is None else fmt.format(value)

    rows = []
    for name in names:
        paint = med(name, "first_paint_s") or float("nan")
        rows.append([
            name, f"{paint * 1000:.0f} ms", f"{paint / empty:.2f}x",
            cell(med(name, "cursor_ms"), "{:.1f} ms"),
            cell(med(name, "filter_ms"), "{:.1f} ms") + cell(med(name, "filter_max_ms"), " (max {:.0f})"),
            cell(med(name, "filter_complete_ms"), "{:.0f} ms"),
            cell(med(name, "sort_ms"), "{:.1f} ms") + cell(med(name, "sort_max_ms"), " (max {:.0f})"),
            cell(med(name, "sort_complete_ms"), "{:.0f} ms"),
            cell(med(name, "status_ms"), "{:.1f} ms") + cell(med(name, "status_max_ms"), " (max {:.0f})"),
            cell(med(name, "locked_key_ms"), "{:.1f} ms"),
            cell(med(name, "stats_open_ms"), "{:.0f} ms"),
            cell(med(name, "peak_rss_mb"), "{:.0f} MB"),
        ])
    print(f"{args.runs} runs per library, medians; terminal 160x50, headless; each run a fresh process")
    print(table(["library", "first paint", "/ empty", "cursor move", "filter keystroke", "filter to full count",
                 "o (sort) key", "o to sorted", "f (status) key",
                 "key while locked", "Stats open", "peak memory"], rows))
    largest = names[-1]
    figures = {key: med(largest, key) for key in BARS}
    figures["paint_ratio"] = (med(f"{sizes[-1]:,}", "first_paint_s") or float("nan")) / empty
    print(f"\nbars at {largest} (paint ratio at {sizes[-1]:,}):")
    for key, (limit, what) in BARS.items():
        value = figures.get(key)
        verdict = "-" if value is None else ("ok" if value <= limit else "OVER")
        print(f"  {verdict:4} {what}: {'-' if value is None else f'{value:.2f}'}")


if __name__ == "__main__":
    main()
