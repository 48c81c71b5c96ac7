"""`episodes --since/--until` read a date as a user does: a partial date (a year, a
month) given to --until includes its whole period, as a single day already does."""

from __future__ import annotations

import json

from tests.cli.support import tracker

UTC = {"TZ": "UTC"}


def published(*args: str) -> list[str]:
    r = tracker("--demo", "episodes", "--json", *args, env=UTC)
    assert r.returncode == 0, r.stderr
    return sorted(e["published"][:10] for e in json.loads(r.stdout))


def test_until_a_year_or_a_month_includes_all_of_it() -> None:
    # The demo show: one episode a week, 2025-01-27 to 2025-03-03.
    assert published("--until", "2025") == published()
    assert published("--since", "2025-02", "--until", "2025-02") == ["2025-02-03", "2025-02-10", "2025-02-17",
                                                                      "2025-02-24"]
    assert published("--until", "Jan 2025") == ["2025-01-27"]
    assert published("--until", "2025-02-03") == ["2025-01-27", "2025-02-03"]  # a day: that day, as before
    assert published("--since", "2025-03") == ["2025-03-03"]  # --since: from the period's start, as before


def test_since_after_until_is_a_usage_error() -> None:
    r = tracker("--demo", "episodes", "--since", "2025-03", "--until", "2025-02", env=UTC)
    assert r.returncode == 2 and r.stdout == ""
    (line,) = [ln for ln in r.stderr.splitlines() if "demo library" not in ln]
    assert "--since 2025-03-01 is after --until 2025-02-28" in line
    assert published("--since", "2025-02", "--until", "Feb 2025")  # the same month: not empty
