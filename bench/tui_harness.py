"""Runs inside a fresh process: the real app, headless, timing itself.

Prints one JSON line: first paint after process start, cursor-move and filter
keystroke latencies to their repaint (medians), and peak memory. Used by
bench/tui_speed.py; not meant to be run by hand.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import time

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
        result["peak_rss_mb"] = peak_rss_mb()
    return result


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1]))))
