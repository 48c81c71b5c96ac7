"""Standard output that cannot be written (a full disk, a reader gone as with ``| head``)
with Python's ordinary buffering (no ``PYTHONUNBUFFERED``): what is left is written when the
command ends, so the failure comes after the handler, and it must still be one line with
the documented exit status 1, never Python's "Exception ignored" and status 120."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run_cli, seed_path


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lost") / "lib"
    assert run_cli(folder, "import", str(seed_path())).returncode == 0
    return folder


def _run(lib: Path, stdout: int, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONUNBUFFERED", "TRACKER_LIBRARY")}
    return subprocess.run([sys.executable, "-m", "tracker", "--library", str(lib), *args],
                          stdout=stdout, stderr=subprocess.PIPE, env=env, timeout=60)


COMMANDS = [["stats"], ["episodes", "--json"], ["info"], ["history"], ["--help"], ["--version"],
            ["export", "--format", "opml"]]  # (its own flush failed in the command, and again at the end)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", COMMANDS)
def test_a_full_disk_is_one_line_and_status_1(lib: Path, args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        r = _run(lib, full.fileno(), *args)
    assert r.returncode == 1, (args, r.returncode, r.stderr.decode())
    assert r.stderr.decode() == "tracker: No space left on device\n", args


@pytest.mark.parametrize("args", COMMANDS)
def test_a_reader_gone_is_quiet_and_status_1(lib: Path, args: list[str]) -> None:
    read, write = os.pipe()
    os.close(read)  # the reader is gone before a byte is written (| true, a head that is done)
    try:
        r = _run(lib, write, *args)
    finally:
        os.close(write)
    assert r.returncode == 1, (args, r.returncode, r.stderr.decode())
    assert r.stderr == b"", args
