"""Timing helpers: medians, and a table with a ratio to the baseline measured in the same run."""

from __future__ import annotations

import statistics
import time
from typing import Callable


def median_time(fn: Callable[[], object], repeat: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    return "\n".join([line, sep, *body])


def cpu_now() -> float:
    """CPU seconds (user + system) of this process and of its finished children: on a
    shared machine the CPU a run needed is steadier than its wall time."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def median_times(fn: Callable[[], object], repeat: int, warmup: int = 1) -> tuple[float, float]:
    """Median wall time and median CPU time of ``repeat`` runs of ``fn`` (after ``warmup``)."""
    for _ in range(warmup):
        fn()
    walls, cpus = [], []
    for _ in range(repeat):
        cpu, started = cpu_now(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - started)
        cpus.append(cpu_now() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def interleaved(runs: dict[str, Callable[[], object]], repeat: int, warmup: int = 1
                ) -> dict[str, tuple[float, float]]:
    """Median wall and CPU time of each of ``runs``, timed in rounds that run each once in
    turn: on a shared machine whose speed drifts by tens of percent over a minute, a
    ratio between medians taken minutes apart measures the drift as much as the code."""
    for _ in range(warmup):
        for fn in runs.values():
            fn()
    walls: dict[str, list[float]] = {name: [] for name in runs}
    cpus: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, fn in runs.items():
            cpu, started = cpu_now(), time.perf_counter()
            fn()
            walls[name].append(time.perf_counter() - started)
            cpus[name].append(cpu_now() - cpu)
    return {name: (statistics.median(walls[name]), statistics.median(cpus[name])) for name in runs}


def child_env() -> dict[str, str]:
    """The environment for a timed ``tracker`` process: no TRACKER_LIBRARY, and the
    package's byte code compiled beforehand, as an installed package has it (with
    PYTHONDONTWRITEBYTECODE set, every start would compile the sources again)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k not in ("TRACKER_LIBRARY", "PYTHONDONTWRITEBYTECODE")}
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / "tracker"), str(root / "store")],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    return env


def adopt_orphans() -> bool:
    """Make this process the reaper of its orphaned descendants (Linux), so that
    ``reap_orphans`` can count their CPU: a pool's workers are children of
    multiprocessing's fork server, which outlives the timed process and would
    otherwise be reaped by init, its CPU lost from the figures. False where unsupported."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def reap_orphans() -> None:
    """Wait for every descendant left (after ``adopt_orphans``), so ``cpu_now`` counts them."""
    import os

    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return
