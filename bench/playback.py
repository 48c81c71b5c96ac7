"""Playback costs, measured with a real mpv (``--ao=null``) and the real app, headless.

    python bench/playback.py [--seconds 8] [--runs 3] [--episodes 100000]

1. CPU used by the tracker process itself while playing at 1x (mpv is another process and
   not counted): the TUI playing, against the same TUI idle (baseline); with the player's
   library worker (a child process that writes every 10 s) added; the CLI's player too.
   Target: at most 3% of one core.
2. Time from ``p`` to the first position event, local file: with mpv to start (the first
   ``p``) and with mpv already running, against mpv alone driven by the bare IPC client
   (spawn, loadfile, first ``time-pos``: the floor). Target: at most 500 ms.
3. How long a progress write holds the UI at 100k episodes: the event loop's lateness
   (a 5 ms ticker) while the player writes every 0.25 s, against the same while playing with
   no writes. Target: no frame delayed past 16 ms (the write runs in the player's worker
   process). A third line shows what the screen's own reload after an outside change costs
   (the TUI's watch, which sees each progress write as a change to the state file).

Each figure is the median of ``--runs`` runs (max where it says so); ratios are to the
baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

AUDIO_S = 120
EID = "beefbeef0001"


def make_audio(folder: Path) -> Path:
    out = folder / "bench.mp3"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"sine=frequency=440:duration={AUDIO_S}:sample_rate=8000",
                    "-ac", "1", "-b:a", "8k", "-codec:a", "libmp3lame", str(out)], check=True, timeout=120)
    return out


def add_episode(folder: Path, audio: Path) -> None:
    from tracker.model.catalog import merge_show
    from tracker.model.library import Library

    chapters = [{"title": f"Part {i + 1}", "start_s": i * 30, "end_s": (i + 1) * 30} for i in range(AUDIO_S // 30)]
    doc = {"show_id": "benchshow", "show": "Bench", "title": "Bench episode", "published": "2099-01-01",
           "duration_s": AUDIO_S, "audio_url": str(audio), "chapters": chapters, "chapters_source": "psc"}
    merge_show(Library(folder), "benchshow", {"title": "Bench"}, {EID: doc}, {EID: ""})


def child_cpu_s(pid: int | None) -> float:
    """CPU seconds (user + system) a child process has used so far (Linux /proc)."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Lag:
    """The event loop's lateness: a ticker asks to wake every ``period`` and notes how late it was."""

    def __init__(self, period: float = 0.005) -> None:
        self.period = period
        self.late: list[float] = []
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        while True:
            t = time.perf_counter()
            await asyncio.sleep(self.period)
            self.late.append(time.perf_counter() - t - self.period)

    def start(self) -> None:
        self.late = []
        self._task = asyncio.get_running_loop().create_task(self._tick())

    def stop(self) -> list[float]:
        if self._task is not None:
            self._task.cancel()
        return self.late


async def until(what: Callable[[], Any], timeout: float = 20.0) -> None:
    deadline = time.perf_counter() + timeout
    while not what():
        if time.perf_counter() > deadline:
            raise SystemExit("bench: something never happened (is mpv installed?)")
        await asyncio.sleep(0.001)


async def tui_run(folder: Path, seconds: float, cpu: dict[str, list[float]],
                  start_ms: dict[str, list[float]], lag: dict[str, list[float]], writes_ms: list[float]) -> None:
    """One run in the real app, headless: idle CPU, p (cold, warm), playing CPU, lag with and without writes."""
    from tracker.tui.run import make_app
    from tracker.tui.widgets.now_playing import NowPlayingBar

    app = make_app(folder, watch_interval=1e9)  # the bench calls the screen's watch itself (phase B)
    async with app.run_test(size=(160, 50)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        bar = app.screen.query_one(NowPlayingBar)

        def playing() -> bool:
            return bar.now is not None and bar.now.state == "playing"

        await asyncio.sleep(1.0)  # start-up work (the description index) settles
        c0, w0 = time.process_time(), time.perf_counter()
        await asyncio.sleep(seconds)
        cpu["tui idle"].append((time.process_time() - c0) / (time.perf_counter() - w0) * 100)

        for kind in ("cold", "warm"):
            t = time.perf_counter()
            await pilot.press("p")
            await until(playing)
            start_ms[kind].append((time.perf_counter() - t) * 1000)
            if kind == "cold":
                app.player.control("stop")
                await until(lambda: not app.player.playing)
        player = app.player.player
        assert player is not None

        player.save_now()  # the worker process is up (it is the tracker's too: counted below)
        await asyncio.sleep(0.5)
        worker = player.saver._proc
        k0 = child_cpu_s(worker.pid if worker else None)
        c0, w0 = time.process_time(), time.perf_counter()
        await asyncio.sleep(seconds)
        wall = time.perf_counter() - w0
        cpu["tui playing 1x"].append((time.process_time() - c0) / wall * 100)
        cpu["tui playing 1x, with its worker"].append(
            (time.process_time() - c0 + child_cpu_s(worker.pid if worker else None) - k0) / wall * 100)

        player.save_every_s = 1e9  # baseline: playing, nothing written
        meter = Lag()
        meter.start()
        await asyncio.sleep(seconds / 2)
        lag["playing, no writes"].extend(meter.stop())

        saver = player.saver
        original = saver.call

        async def timed(op: str, **args: Any) -> Any:
            t = time.perf_counter()
            try:
                return await original(op, **args)
            finally:
                writes_ms.append((time.perf_counter() - t) * 1000)

        saver.call = timed  # type: ignore[method-assign]
        meter.start()
        end = time.perf_counter() + seconds / 2
        while time.perf_counter() < end:
            player.save_now()  # a real progress write: the spans and position so far
            await asyncio.sleep(0.25)
        lag["playing, writing every 0.25 s"].extend(meter.stop())
        saver.call = original  # type: ignore[method-assign]

        watch = getattr(app, "check_outside_changes", None)  # the screen's look for outside changes
        if watch is not None:
            meter.start()
            end = time.perf_counter() + seconds / 2
            while time.perf_counter() < end:
                player.save_now()
                await asyncio.sleep(0.5)
                watch()  # as the screen does each second: it sees the state file changed and reloads
                await asyncio.sleep(0.5)
            lag["writing, and the screen reloading after each"].extend(meter.stop())
        await app.player.close()


async def cli_cpu(folder: Path, seconds: float) -> float:
    from tracker.playback.player import Player

    class Quiet:
        def status(self, now: Any) -> None: ...
        def message(self, text: str, error: bool = False) -> None: ...
        def ended(self, outcome: str) -> None: ...

    player = Player(folder, Quiet(), advance=False)
    await player.play(EID, chapter=1)
    await asyncio.sleep(0.5)
    c0, w0 = time.process_time(), time.perf_counter()
    await asyncio.sleep(seconds)
    used = (time.process_time() - c0) / (time.perf_counter() - w0) * 100
    await player.close()
    return used


async def bare_mpv(audio: Path) -> float:
    """The floor: spawn mpv, load the file, first time-pos, with nothing of the tracker."""
    from tracker.playback.mpv import Mpv

    got = asyncio.Event()
    mpv = Mpv(lambda ev: got.set() if ev.get("name") == "time-pos" and ev.get("data") is not None else None, lambda: None)
    t = time.perf_counter()
    await mpv.start(["--ao=null"])
    await mpv.observe("time-pos")
    await mpv.loadfile(str(audio), {"start": "0"})
    await got.wait()
    took = (time.perf_counter() - t) * 1000
    await mpv.quit()
    return took


def fmt(xs: list[float]) -> str:
    return f"{statistics.median(xs):8.1f}" if xs else "       -"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each timed window")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--episodes", type=int, default=100_000, help="size of the library for the write test")
    args = parser.parse_args()
    os.environ["TRACKER_MPV_OPTIONS"] = "--ao=null"  # real time, no sound card

    from bench.generate import make_library

    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as tmp:
        root = Path(tmp)
        audio = make_audio(root)
        folder = root / "lib"
        t = time.perf_counter()
        make_library(folder, args.episodes)
        add_episode(folder, audio)
        print(f"library of {args.episodes:,} episodes made in {time.perf_counter() - t:.0f} s", file=sys.stderr)

        cpu: dict[str, list[float]] = {"tui idle": [], "tui playing 1x": [], "tui playing 1x, with its worker": [],
                                       "cli playing 1x": []}
        start_ms: dict[str, list[float]] = {"bare mpv": [], "cold": [], "warm": []}
        lag: dict[str, list[float]] = {"playing, no writes": [], "playing, writing every 0.25 s": [],
                                       "writing, and the screen reloading after each": []}
        writes_ms: list[float] = []
        for run in range(args.runs):
            print(f"run {run + 1}/{args.runs}", file=sys.stderr)
            start_ms["bare mpv"].append(asyncio.run(bare_mpv(audio)))
            asyncio.run(tui_run(folder, args.seconds, cpu, start_ms, lag, writes_ms))
            cpu["cli playing 1x"].append(asyncio.run(cli_cpu(folder, args.seconds)))

    idle = statistics.median(cpu["tui idle"])
    print(f"\nplayback at {args.episodes:,} episodes, {args.runs} runs, windows of {args.seconds:g} s\n")
    print("| CPU of the tracker process (% of one core) | median | vs TUI idle |")
    print("|---|---|---|")
    for name, xs in cpu.items():
        print(f"| {name} | {fmt(xs)} | {statistics.median(xs) / idle if idle else float('nan'):.2f}x |")
    floor = statistics.median(start_ms["bare mpv"])
    print("\n| p to first position (ms) | median | vs bare mpv |")
    print("|---|---|---|")
    for name, xs in start_ms.items():
        print(f"| {name} | {fmt(xs)} | {statistics.median(xs) / floor:.2f}x |")
    print("\n| event loop lateness (ms) | median | p99 | max | frames late > 16 ms |")
    print("|---|---|---|---|---|")
    for name, xs in lag.items():
        if not xs:
            continue
        ms = sorted(x * 1000 for x in xs)
        p99 = ms[int(len(ms) * 0.99)] if ms else float("nan")
        print(f"| {name} | {statistics.median(ms):.2f} | {p99:.2f} | {max(ms):.2f} | {sum(1 for x in ms if x > 16)} of {len(ms)} |")
    if writes_ms:
        print(f"\nprogress writes: {len(writes_ms)}, median {statistics.median(writes_ms):.1f} ms, "
              f"max {max(writes_ms):.1f} ms each (in the player's worker process)")


if __name__ == "__main__":
    main()
