"""Issues 11 and 14: listening stats at 100k episodes and 100k history actions.

Target: ``stats()`` answers within 300 ms. Measured two ways, medians:
- cold: a fresh ``Library`` per call, as ``tracker stats`` runs (files parsed each time);
- warm: the same ``Library``, as the TUI's Stats screen (files already in memory).
Baseline in the same run: the same heard-per-day numbers computed by scanning the whole
history (what a model without a day log would have to do), warm.

    python bench/stats.py [--episodes 100000] [--actions 100000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import median_time, ms, table  # noqa: E402
from generate import add_listening, make_library  # noqa: E402

from tracker.model.library import Library  # noqa: E402
from tracker.model.stats import stats  # noqa: E402


def by_scanning_history(library: Library) -> dict[str, float]:
    """Heard seconds per day from every action's before and after (the baseline)."""
    from tracker.model.daylog import local_day
    from tracker.model.records import EpisodeState

    out: dict[str, float] = {}
    for action in library.history():
        for eid, after in action.after.items():
            gained = EpisodeState.from_doc(after).heard_s - EpisodeState.from_doc(action.before.get(eid)).heard_s
            if gained > 0:
                day = local_day(action.at)
                out[day] = out.get(day, 0.0) + gained
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, default=100_000)
    parser.add_argument("--actions", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "lib"
        library = make_library(folder, args.episodes)
        add_listening(library, args.actions)
        print("generated", file=sys.stderr)
        warm = Library(folder)
        result = stats(warm)
        t_cold = median_time(lambda: stats(Library(folder)), 5)
        t_warm = median_time(lambda: stats(warm), 9)
        t_scan = median_time(lambda: by_scanning_history(warm), 3)
        scanned = by_scanning_history(warm)
        assert abs(sum(scanned.values()) - result.heard_all_s) <= len(scanned) + 1, "the day log disagrees"
        states = len(warm.state_docs())
        print(table(
            ["library", "stats, cold (CLI)", "stats, warm (TUI)", "scan history (baseline, warm)", "scan / warm"],
            [[f"{args.episodes:,} episodes, {args.actions:,} actions, {states:,} states, {len(warm.day_log()):,} days",
              ms(t_cold), ms(t_warm), ms(t_scan), f"{t_scan / t_warm:.0f}x"]]))
        print(f"heard in all: {result.heard_all_s / 3600:,.0f} h; streak {result.streak_current}, "
              f"longest {result.streak_longest}; target: at most 300 ms")


if __name__ == "__main__":
    main()
