"""`tracker import -` on a terminal: the README says to paste a show page there, so the
command says it is waiting for one (and how to end it) instead of sitting silent."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.helpers import SHOW_PAGE


def test_import_dash_on_a_terminal_says_to_paste_and_how_to_end(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    env = {**os.environ, "TRACKER_CONFIG": str(tmp_path / "config")}
    env.pop("TRACKER_LIBRARY", None)
    child = subprocess.Popen([sys.executable, "-m", "tracker", "--library", str(tmp_path / "lib"), "import", "-"],
                             stdin=follower, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    os.close(follower)
    try:
        page = SHOW_PAGE.read_bytes().replace(b"\r\n", b"\n").rstrip(b"\n")
        os.write(leader, page + b"\n\x04")  # one Ctrl-D on a line of its own, as a user ends it
        out, err = child.communicate(timeout=20)  # it waited for a second Ctrl-D: never ended
    finally:
        os.close(leader)
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 0, err
    assert "[showpage]" in out
    assert "paste" in err and "Ctrl-D" in err
