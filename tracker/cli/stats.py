"""`tracker stats`: the model's numbers (``tracker/model/stats.py``) as a small report."""

from __future__ import annotations

import argparse

from .columns import fit, width
from .common import open_library
from .output import clock, plural, print_json, say


def run_stats(args: argparse.Namespace) -> int:
    from ..model.stats import stats

    library = open_library(args)
    data = stats(library)
    if args.json:
        print_json(data)
        return 0
    for label, key in (("this week", "week"), ("this month", "month"), ("all time", "all")):
        p = data["listened"][key]
        say(f"{label:>10}: {plural(p['count'], 'episode')} listened, {clock(p['time_s'])}")
    q = data["queue"]
    unknown = f" ({q['unknown_duration']} of unknown length)" if q.get("unknown_duration") else ""
    say(f"{'queue':>10}: {plural(q['episodes'], 'episode')}, {clock(q['remaining_s'])} left{unknown}")
    say(f"{'streak':>10}: {plural(data['streak_days'], 'day')} in a row")
    if data["per_show"]:
        cells = min(40, max(4, *(width(s["show"]) for s in data["per_show"])))
        say(f"\n{'SHOW':{cells}}  {'EPISODES':>8}  {'TIME':>9}")
        for show in data["per_show"]:
            say(f"{fit(show['show'], cells)}  {show['count']:>8,}  {clock(show['time_s']):>9}")
    return 0
