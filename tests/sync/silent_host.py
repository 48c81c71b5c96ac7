"""A feed host that takes a request and never answers, for tests of what waits on one."""

from __future__ import annotations

import socket
import threading
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def silent_host() -> Iterator[tuple[str, threading.Event]]:
    """A feed URL on 127.0.0.1 whose host reads the request and says nothing, and an event
    set once it was asked. Its connections stay open until the block ends (a closed one
    would end the fetch, and the test would no longer be of a silent host)."""
    asked = threading.Event()
    held: list[socket.socket] = []
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)

        def accept() -> None:
            conn, _ = silent.accept()
            held.append(conn)
            conn.recv(1024)
            asked.set()

        threading.Thread(target=accept, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{silent.getsockname()[1]}/feed.xml", asked
        finally:
            for conn in held:
                conn.close()
