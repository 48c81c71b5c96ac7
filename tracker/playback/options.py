"""mpv's command line beyond the fixed part, and the playback speed range."""

from __future__ import annotations

import math
import os
import shlex

from ..model.errors import UsageError

ENV_OPTIONS = "TRACKER_MPV_OPTIONS"
# Built-in scripts that would reach further than a file or an http(s) URL (youtube-dl runs
# a program on the URL) or draw on a terminal we own.
SAFE_ARGS = ("--ytdl=no", "--load-stats-overlay=no", "--load-osd-console=no", "--input-default-bindings=no")
MIN_SPEED, MAX_SPEED = 0.5, 3.0
SPEED_STEP = 0.25


def user_options(environ: dict[str, str] | None = None) -> str:
    """``TRACKER_MPV_OPTIONS`` as given (empty when unset)."""
    return (os.environ if environ is None else environ).get(ENV_OPTIONS, "").strip()


def mpv_args(environ: dict[str, str] | None = None) -> list[str]:
    """The fixed safety options, then ``TRACKER_MPV_OPTIONS`` split as a shell would."""
    raw = user_options(environ)
    try:
        extra = shlex.split(raw)
    except ValueError as err:
        raise UsageError(f"{ENV_OPTIONS} cannot be read ({err}): quote it as you would in a shell") from None
    return [*SAFE_ARGS, *extra]


def check_speed(speed: float) -> float:
    if not MIN_SPEED <= speed <= MAX_SPEED:  # also refuses nan
        raise UsageError(f"speed {speed:g} is outside {MIN_SPEED:g} to {MAX_SPEED:g}")
    return round(speed, 2)


def step_speed(speed: float, up: bool) -> float:
    """The next step up or down, kept inside the range; from a speed between steps (given
    with ``--speed``, or mpv's own) the nearest step that way, never one past it."""
    at = speed / SPEED_STEP
    steps = math.floor(at + 1e-9) + 1 if up else math.ceil(at - 1e-9) - 1
    return min(MAX_SPEED, max(MIN_SPEED, steps * SPEED_STEP))
