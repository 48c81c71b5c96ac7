"""Dates shown and matched in the user's time zone: publication dates are stored in UTC,
but a user reads and types calendar dates on their own clock (``history`` shows local
times too)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import feeds
from tests.helpers import run_cli
from tracker.model.local_dates import local_date

# Tuesday 7 May 2024, 20:00 in California: Wednesday 03:00 UTC, 08:30 in Kolkata.
EVENING = """<item><title>Evening</title><guid>ev-1</guid>
  <pubDate>Tue, 07 May 2024 20:00:00 -0700</pubDate><itunes:duration>10:00</itunes:duration></item>"""


@pytest.fixture()
def lib(tmp_path: Path) -> Path:
    source = tmp_path / "feed.xml"
    source.write_bytes(feeds.rss(EVENING))
    lib = tmp_path / "lib"
    assert run_cli(lib, "import", str(source)).returncode == 0
    return lib


@pytest.mark.parametrize(("zone", "day"), [("America/Los_Angeles", "2024-05-07"), ("Asia/Kolkata", "2024-05-08"),
                                           ("Pacific/Kiritimati", "2024-05-08"), ("UTC", "2024-05-08")])
def test_episodes_show_and_match_the_local_publication_date(lib: Path, zone: str, day: str) -> None:
    env = {"TZ": zone}
    listed = run_cli(lib, "episodes", env=env)
    assert f" {day} " in listed.stdout
    same_day = run_cli(lib, "episodes", "--since", day, "--until", day, env=env)
    assert "Evening" in same_day.stdout
    other = "2024-05-08" if day == "2024-05-07" else "2024-05-07"
    assert "Evening" not in run_cli(lib, "episodes", "--since", other, "--until", other, env=env).stdout
    (eid,) = [line.split()[0] for line in listed.stdout.splitlines() if "Evening" in line]
    assert f"·  {day}  ·" in run_cli(lib, "show", eid, env=env).stdout


@pytest.fixture()
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(("name", "stamp", "day"), [
    ("America/Los_Angeles", "2024-03-10T07:59:59+00:00", "2024-03-09"),  # 23:59:59 PST, the day clocks go forward
    ("America/Los_Angeles", "2024-03-10T08:00:00+00:00", "2024-03-10"),
    ("America/Los_Angeles", "2024-03-11T06:59:59+00:00", "2024-03-10"),  # 23:59:59 PDT
    ("America/Los_Angeles", "2024-03-11T07:00:00+00:00", "2024-03-11"),
    ("America/Los_Angeles", "2024-11-03T07:30:00+00:00", "2024-11-03"),  # 00:30 PDT, the day they go back
    ("Asia/Kolkata", "2024-05-07T18:29:59+00:00", "2024-05-07"),
    ("Asia/Kolkata", "2024-05-07T18:30:00+00:00", "2024-05-08"),
    ("Pacific/Kiritimati", "2024-12-31T10:00:00+00:00", "2025-01-01"),
    ("UTC", "2024-05-07", "2024-05-07"),  # a feed that gave only a date
    ("Pacific/Kiritimati", "2024-05-07", "2024-05-07"),
    # the first and last days a date can hold: the day before or after cannot be named
    ("UTC", "0001-01-01T00:00:00+00:00", "0001-01-01"),
    ("UTC", "9999-12-31T23:59:59+00:00", "9999-12-31"),
    ("America/Los_Angeles", "0001-01-01T00:00:00+00:00", "0001-01-01"),
    ("Pacific/Kiritimati", "9999-12-31T23:59:59+00:00", "9999-12-31"),
])
def test_local_date_at_midnights_and_clock_changes(zone: None, monkeypatch: pytest.MonkeyPatch,
                                                   name: str, stamp: str, day: str) -> None:
    monkeypatch.setenv("TZ", name)
    time.tzset()
    assert local_date(stamp) == day

