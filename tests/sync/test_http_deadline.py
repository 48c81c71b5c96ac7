"""The sync client's whole-request deadline when the socket comes late."""

from __future__ import annotations

import http.client
import socket
import time

from tracker.deadline import Watchdog


def test_a_deadline_that_passes_before_the_socket_exists_still_ends_the_request() -> None:
    """A name lookup can outlast the whole deadline (it is bound by no socket timeout):
    the socket connected after it must still be cut, or a server dripping its answer
    would then hold the sync with no bound at all."""
    conn = http.client.HTTPConnection("127.0.0.1", 9)  # never connected: sock stays None
    dog = Watchdog()
    dog.arm(conn, 0.01)
    deadline = time.monotonic() + 10
    while not dog._fired:  # the deadline passes while "connecting"
        assert time.monotonic() < deadline, "the watchdog never fired"
        time.sleep(0.01)
    ours, server = socket.socketpair()
    with ours, server:
        ours.settimeout(10)
        conn.sock = ours  # the connection is made at last; the server says nothing
        assert ours.recv(1) == b""  # shut by the watchdog, not waiting for the 10 s silence
        assert dog.disarm()
