"""Runs inside a fresh process: the real app, headless, timed from outside (nothing in
the app exists for the benchmark: the first paint is seen by wrapping the list's draw).

Prints one JSON line: first paint after process start; a cursor move and a filter
keystroke to their repaint (medians); a keystroke to the filter's settled full count;
keys pressed while another process holds the library lock, to their repaint; the Stats
screen from its key to its painted numbers; peak memory. Used by bench/tui_speed.py;
not meant to be run by hand.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time

HOLDER = """
import sys, time
from tracker.model.library import Library
with Library(sys.argv[1]).store.transaction("state"):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""
HOLD_S = 3.0

STARTED = float(os.environ.get("TRACKER_BENCH_T0", time.time()))


def peak_rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def main(folder: str) -> dict:
    from tracker.tui.run import make_app
    from tracker.tui.widgets.episode_list import EpisodeList
    from tracker.tui.widgets.welcome import Welcome

    # Timed from outside the app: the first catalog row (or the welcome text of an empty
    # library) drawn for the screen marks the first paint.
    painted: dict[str, float] = {}
    draw_row, draw_welcome = EpisodeList.render_line, Welcome.render

    def first_row(self, y):  # type: ignore[no-untyped-def]
        if self.count:
            painted.setdefault("at", time.time())
        return draw_row(self, y)

    def first_welcome(self):  # type: ignore[no-untyped-def]
        painted.setdefault("at", time.time())
        return draw_welcome(self)

    EpisodeList.render_line = first_row  # type: ignore[method-assign]
    Welcome.render = first_welcome  # type: ignore[method-assign]
    app = make_app(folder)
    result: dict = {}
    async with app.run_test(size=(160, 50)) as pilot:
        while "at" not in painted:
            await asyncio.sleep(0.001)
        result["first_paint_s"] = painted["at"] - STARTED
        await app.workers.wait_for_complete()  # descriptions indexed, as a user would have them
        await pilot.pause()
        episodes = app.query_one(EpisodeList)

        async def after_refresh() -> None:
            done = asyncio.Event()
            app.call_after_refresh(done.set)
            await done.wait()

        if episodes.count:
            moves = []
            for _ in range(40):
                t = time.perf_counter()
                episodes.action_cursor(1)
                await after_refresh()
                moves.append(time.perf_counter() - t)
                await pilot.pause()  # the detail pane follows
            result["cursor_ms"] = statistics.median(moves) * 1000
            keys, complete = [], []
            box = app.main.query_one("#filter")
            box.display = True
            view = app.main.view
            for query in ("kernel latency", "cache", "zzz"):
                box.value = ""
                await pilot.pause()
                for ch in query:
                    t = time.perf_counter()
                    box.value += ch  # what typing one key does: Input.Changed, filter, redraw
                    await pilot.pause(0)  # the Changed message is handled: filter, then redraw
                    await after_refresh()
                    keys.append(time.perf_counter() - t)
                    while view.pending is not None:  # the count and scrollbar, finished in steps
                        await asyncio.sleep(0.001)
                    await after_refresh()
                    complete.append(time.perf_counter() - t)
            result["filter_ms"] = statistics.median(keys) * 1000
            result["filter_max_ms"] = max(keys) * 1000
            result["filter_complete_ms"] = statistics.median(complete) * 1000
            result["rows_after_filter"] = episodes.count
            box.value = ""
            app.main.catalog.action_clear_filter()
            await pilot.pause()
            result.update(await sort_and_status(app, pilot, after_refresh))
            result["locked_key_ms"] = await keys_while_locked(app, pilot, folder, after_refresh)
        result["stats_open_ms"] = await open_stats(app, pilot, after_refresh)
        result["peak_rss_mb"] = peak_rss_mb()
    return result


async def sort_and_status(app, pilot, after_refresh) -> dict:  # type: ignore[no-untyped-def]
    """o through every sort (each but the last its first time: nothing cached) and f
    through every status: the key to its repaint, and o to the list in its new order."""
    view = app.main.view
    keys, complete, statuses = [], [], []
    for _ in range(4):
        t = time.perf_counter()
        app.main.action_cycle_sort()
        await after_refresh()
        keys.append(time.perf_counter() - t)
        while getattr(view, "sorting", None) is not None:  # ordered off the loop, once there is such a thing
            await asyncio.sleep(0.001)
        await after_refresh()
        complete.append(time.perf_counter() - t)
        await pilot.pause()
    for _ in range(4):
        t = time.perf_counter()
        app.main.action_cycle_status()
        await after_refresh()
        statuses.append(time.perf_counter() - t)
        await pilot.pause()
    return {"sort_ms": statistics.median(keys) * 1000, "sort_max_ms": max(keys) * 1000,
            "sort_complete_ms": statistics.median(complete) * 1000,
            "status_ms": statistics.median(statuses) * 1000, "status_max_ms": max(statuses) * 1000}


async def keys_while_locked(app, pilot, folder: str, after_refresh) -> float:  # type: ignore[no-untyped-def]
    """Another process holds the lock: a mark (a write, queued) and cursor moves must still
    be handled and repainted at once. The slowest of them, in ms."""
    from tracker.tui.widgets.episode_list import EpisodeList

    holder = subprocess.Popen([sys.executable, "-c", HOLDER, folder, str(HOLD_S)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    episodes = app.query_one(EpisodeList)
    times = []
    for action in (app.main.action_toggle_listened, lambda: episodes.action_cursor(1),
                   app.main.action_queue_add, lambda: episodes.action_cursor(1)):
        t = time.perf_counter()
        action()
        await after_refresh()
        times.append(time.perf_counter() - t)
    still_held = holder.poll() is None
    holder.wait()
    await app.writer.idle()  # the writes land once the lock is free
    assert still_held, "the lock was let go before the keys were timed"
    return max(times) * 1000


async def open_stats(app, pilot, after_refresh) -> float:  # type: ignore[no-untyped-def]
    """From the key to the Stats screen painted with its numbers and plots, in ms."""
    t = time.perf_counter()
    await app.run_action("switch_mode('stats')")
    while getattr(app.screen, "numbers", None) is None:
        await asyncio.sleep(0.001)
    await after_refresh()
    took = time.perf_counter() - t
    await app.run_action("switch_mode('library')")
    return took * 1000


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1]))))
