"""Shared test helpers: a library in a temp folder, the seed, the CLI as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


REPO = Path(__file__).resolve().parents[1]
SHOW_PAGE = REPO / "tests" / "data" / "show-page.txt"  # our own page in the podcast app's format


def seed_path() -> Path:
    """A show page in the founding example's format (kept under this name for callers)."""
    return SHOW_PAGE


def run_cli(library: Path, *args: str, input: str | None = None, env: dict[str, str] | None = None,
            timeout: float = 60, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("TRACKER_LIBRARY", None)
    return subprocess.run(
        [sys.executable, "-m", "tracker", "--library", str(library), *args],
        capture_output=True, text=True, input=input, env=full_env, timeout=timeout, cwd=cwd,
    )
