"""`tracker stats`: the model's numbers (``tracker/model/stats.py``) as a small report."""

from __future__ import annotations

import argparse

from ..model.text import terminal_safe
from .columns import fit, width
from .common import open_library
from .output import clock, plural, print_json, say


def run_stats(args: argparse.Namespace) -> int:
    from ..model.stats import stats

    library = open_library(args)
    data = stats(library)
    if args.json:
        print_json(data.to_doc())
        return 0
    for label, seconds in (("today", data.heard_today_s), ("this week", data.heard_week_s),
                           ("this month", data.heard_month_s), ("all time", data.heard_all_s)):
        say(f"{label:>10}: {clock(seconds)} heard")
    say(f"{'listened':>10}: {plural(data.listened, 'episode')}"
        + (f", {data.marked_not_heard:,} of them marked listened without listening (not in the time heard)"
           if data.marked_not_heard else ""))
    say(f"{'started':>10}: {plural(data.in_progress, 'episode')} in progress")
    say(f"{'chapters':>10}: {data.chapters_done:,} done, {data.chapters_skipped:,} skipped")
    unknown = f" ({data.queue_unknown_length:,} of unknown length)" if data.queue_unknown_length else ""
    say(f"{'queue':>10}: {plural(data.queue_episodes, 'episode')}, {clock(data.queue_remaining_s)} left{unknown}")
    say(f"{'streak':>10}: {plural(data.streak_current, 'day')} in a row (longest {plural(data.streak_longest, 'day')})")
    if data.per_show:
        # Spelled out before measuring, as in `episodes`: a raw line break or escape in an
        # old library's show name would split its row and throw the HEARD column off.
        names = [terminal_safe(s["show"]) for s in data.per_show]
        cells = min(40, max(4, *(width(name) for name in names)))
        say(f"\n{'SHOW':{cells}}  {'HEARD':>9}")
        for name, show in zip(names, data.per_show):
            say(f"{fit(name, cells)}  {clock(show['heard_s']):>9}")
    return 0
