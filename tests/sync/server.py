"""Start the gpodder.net API test server (gpodder-fastapi-router under uvicorn) as its own
process on 127.0.0.1: the tests' session fixture and bench/sync.py both use this.

The socket is bound here to port 0 and handed to uvicorn (``server_app``'s main: not
``--fd``, which would lose TCP_NODELAY), so there is no race for a free port; the
database is a fresh SQLite file in ``folder``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 30.0


def available() -> bool:
    try:
        import gpodder_router  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        return False
    return True


def start_server(folder: Path) -> tuple[str, subprocess.Popen[bytes]]:
    """``(base URL, process)`` of a server that answers; stop it with ``stop_server``."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    env = {**os.environ, "GPODDER_DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'gpodder.db'}"}
    with open(folder / "server.log", "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.sync.server_app", str(sock.fileno())],
            cwd=REPO, env=env, pass_fds=[sock.fileno()], stdout=log, stderr=subprocess.STDOUT,
        )
    sock.close()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            urllib.request.urlopen(url + "/api/2/devices/nobody.json", timeout=2)
        except urllib.error.HTTPError:
            return url, proc  # it answers (401 without a login): up
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("the gpodder test server did not start: "
                                   + (folder / "server.log").read_text()[-2000:]) from None
            time.sleep(0.05)


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
