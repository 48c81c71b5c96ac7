"""Shared test helpers: a library in a temp folder, the seed, the CLI as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seeds" / "show-page-backend-engineering-show.txt"


def seed_path() -> Path:
    if not SEED.is_file():
        pytest.skip("the founding seed (../shared/seeds) is not beside this checkout")
    return SEED


def run_cli(library: Path, *args: str, input: str | None = None, env: dict[str, str] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("TRACKER_LIBRARY", None)
    return subprocess.run(
        [sys.executable, "-m", "tracker", "--library", str(library), *args],
        capture_output=True, text=True, input=input, env=full_env, timeout=timeout,
    )
