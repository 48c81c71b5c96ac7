"""Running `tracker` as a user does, for the CLI tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import run_cli


def tracker(*args: str, env: dict[str, str | None] | None = None, cwd: Path | None = None,
            input: str | None = None) -> subprocess.CompletedProcess[str]:
    """`tracker ARGS` with no --library added: the environment decides (a None value
    removes a variable)."""
    full_env = dict(os.environ)
    for name, value in (env or {}).items():
        if value is None:
            full_env.pop(name, None)
        else:
            full_env[name] = value
    return subprocess.run([sys.executable, "-m", "tracker", *args], capture_output=True, text=True,
                          env=full_env, cwd=cwd, input=input, timeout=60)


def ok(lib: Path, *args: str) -> str:
    r = run_cli(lib, *args)
    assert r.returncode == 0, f"{args}: {r.stderr}"
    return r.stdout


def fails(lib: Path, code: int, *args: str, env: dict[str, str] | None = None) -> str:
    r = run_cli(lib, *args, env=env)
    return one_line_error(r, code, args)


def one_line_error(r: subprocess.CompletedProcess[str], code: int, what: object = "") -> str:
    """The failure is exactly one line on stderr with the documented status."""
    assert r.returncode == code, f"{what}: exit {r.returncode}, {r.stdout} {r.stderr}"
    assert "Traceback" not in r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, f"{what}: one line, got {r.stderr!r}"
    return r.stderr


def ids(lib: Path) -> dict[str, str]:
    return {e["title"]: e["id"] for e in json.loads(ok(lib, "episodes", "--json"))}
