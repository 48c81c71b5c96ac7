"""`tracker info` parses every library file whole (a file torn in its middle is damaged
even when its tail looks whole): what that costs on a 100k-episode library.

Rows: `tracker info` and `tracker --help` as fresh processes (ratio to --help), and the
store's ``describe`` in process against only reading every file's bytes (the floor a
check of every byte cannot go under). Medians of --repeat runs, interleaved.

    python bench/info.py [--episodes 100000] [--actions 100000] [--repeat 5] [--library DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import table  # noqa: E402
from generate import add_listening, make_library  # noqa: E402

from tracker.model.reads import Reads  # noqa: E402


def timed(fn: object) -> float:
    started = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - started


def run(cmd: list[str], env: dict[str, str]) -> None:
    r = subprocess.run(cmd, capture_output=True, env=env)
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {r.stderr.decode()}")


def read_all(folder: Path) -> None:
    for path in folder.glob("*.json"):
        path.read_bytes()


def measure(folder: Path, repeat: int, tmp: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"TRACKER_LIBRARY": str(folder), "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pycache")}
    exe = [sys.executable, "-m", "tracker"]
    samples: dict[str, list[float]] = {k: [] for k in ("tracker --help", "tracker info", "read every file",
                                                       "describe (check every file)")}
    for k in range(repeat + 1):  # the first round warms the file cache
        times = {
            "tracker --help": timed(lambda: run(exe + ["--help"], env)),
            "tracker info": timed(lambda: run(exe + ["info"], env)),
            "read every file": timed(lambda: read_all(folder)),
            "describe (check every file)": timed(lambda: Reads(folder, create=False).describe()),
        }
        if k:
            for name, t in times.items():
                samples[name].append(t)
    size = sum(p.stat().st_size for p in folder.glob("*.json"))
    med = {name: statistics.median(s) for name, s in samples.items()}
    rows = [
        ["tracker --help", f"{med['tracker --help'] * 1000:.0f} ms", "1.00x (baseline)"],
        ["tracker info", f"{med['tracker info'] * 1000:.0f} ms", f"{med['tracker info'] / med['tracker --help']:.2f}x --help"],
        ["read every file", f"{med['read every file'] * 1000:.0f} ms", "1.00x (baseline)"],
        ["describe (check every file)", f"{med['describe (check every file)'] * 1000:.0f} ms",
         f"{med['describe (check every file)'] / med['read every file']:.2f}x reading"],
    ]
    print(f"library: {size / 1e6:,.0f} MB of library files; {repeat} runs each")
    print(table(["what", "median", "ratio"], rows))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, default=100_000)
    parser.add_argument("--actions", type=int, default=100_000, help="listening history to generate")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--library", type=Path, help="measure this library instead of generating one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.library
        if folder is None:
            folder = Path(tmp) / "lib"
            library = make_library(folder, args.episodes)
            if args.actions:
                add_listening(library, args.actions)
        measure(folder, args.repeat, tmp)


if __name__ == "__main__":
    main()
