"""Issue 4: a state-changing CLI command on a 10k-episode library vs `tracker --help`.

Each command runs as a fresh process, as a user or script runs it; medians of
--repeat runs, all in the same run. Ratio = command / `tracker --help`.
Bytecode is cached (in the temporary folder) as an installed package has it: with
PYTHONDONTWRITEBYTECODE set, every run would compile every module it imports, and
the figures would measure the compiler rather than tracker.

    python bench/cli_latency.py [--episodes 10000] [--repeat 15]
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
from generate import make_library  # noqa: E402


def timed(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, env=env)
    elapsed = time.perf_counter() - started
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {r.stderr.decode()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "lib"
        library = make_library(folder, args.episodes)
        eids = [e for e in library.listings() if e not in library.state_docs()]
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env |= {"TRACKER_LIBRARY": str(folder), "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pycache")}
        exe = [sys.executable, "-m", "tracker"]
        names = ("tracker --help", "mark --listened", "progress", "queue add", "episodes --status new", "info")
        samples: dict[str, list[float]] = {k: [] for k in names}
        for k in range(args.repeat + 1):  # interleaved, so drift on a noisy machine hits all alike
            a, b, c = eids[3 * k], eids[3 * k + 1], eids[3 * k + 2]
            runs = {
                "tracker --help": exe + ["--help"],
                "mark --listened": exe + ["mark", a[:8], "--listened"],
                "progress": exe + ["progress", b[:8], "5:00"],
                "queue add": exe + ["queue", "add", c[:8]],
                "episodes --status new": exe + ["episodes", "--status", "new"],
                "info": exe + ["info"],
            }
            for name, cmd in runs.items():
                t = timed(cmd, env)
                if k:  # the first round warms the file cache
                    samples[name].append(t)
    base = statistics.median(samples["tracker --help"])
    rows = [[name, f"{statistics.median(s) * 1000:.0f} ms", f"{statistics.median(s) / base:.2f}x"]
            for name, s in samples.items()]
    print(f"library: {args.episodes:,} episodes; {args.repeat} runs each")
    print(table(["command", "median", "/ --help"], rows))


if __name__ == "__main__":
    main()
