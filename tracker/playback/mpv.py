"""mpv as a separate process, driven over its JSON IPC from asyncio.

The tracker and mpv share one end each of a socket pair (``--input-ipc-client=fd://N``):
no socket file to name, wait for or clean up, replies from the first millisecond, and
mpv quits by itself when the tracker goes away (even SIGKILLed: the kernel closes the
tracker's end). Everything runs on the caller's event loop: no threads, and nothing
in-process that a crash of mpv could take down.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
from typing import Any, Callable

from ..model.errors import PlaybackError, PlayerMissing

REPLY_TIMEOUT_S = 5.0
QUIT_TIMEOUT_S = 2.0
LINE_LIMIT = 4 * 1024 * 1024  # a chapter list of a hostile file cannot grow a line past this
BASE_ARGS = ("--idle=yes", "--no-video", "--no-terminal", "--no-config", "--audio-display=no")
INSTALL_HINT = (
    "mpv is needed to play: install it (apt install mpv, dnf install mpv, brew install mpv) "
    "and make sure it is on PATH"
)

Event = dict[str, Any]


class MpvCommandError(PlaybackError):
    """mpv answered a command with an error (``str()`` names the command and mpv's word)."""


class MpvGone(PlaybackError):
    """mpv exited or closed the connection while a reply was awaited."""


def find_mpv() -> str:
    path = shutil.which("mpv")
    if path is None:
        raise PlayerMissing(INSTALL_HINT)
    return path


class Mpv:
    """One mpv process. ``on_event`` receives every event (``property-change`` included);
    ``on_close`` is called once when the connection ends, whoever ended it."""

    def __init__(self, on_event: Callable[[Event], None], on_close: Callable[[], None],
                 reply_timeout_s: float = REPLY_TIMEOUT_S) -> None:
        self.on_event = on_event
        self.on_close = on_close
        self.reply_timeout_s = reply_timeout_s
        self.process: asyncio.subprocess.Process | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._reader_task: asyncio.Task[None] | None = None
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._next_id = 0
        self._observed: dict[int, str] = {}
        self.closed = False
        self.quitting = False
        self.hung = False  # ended by us for not answering

    async def start(self, extra_args: list[str]) -> None:
        """Spawn mpv idle, connected to us; raises PlayerMissing without an mpv on PATH."""
        exe = find_mpv()
        ours, theirs = socket.socketpair()
        try:
            try:
                self.process = await asyncio.create_subprocess_exec(
                    exe, *BASE_ARGS, f"--input-ipc-client=fd://{theirs.fileno()}", *extra_args,
                    stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
                    stderr=asyncio.subprocess.DEVNULL, pass_fds=[theirs.fileno()], start_new_session=True,
                )
            except OSError as err:
                ours.close()
                raise PlayerMissing(f"mpv could not be started ({err.strerror or err}); {INSTALL_HINT}") from None
        finally:
            theirs.close()
        reader, self._writer = await asyncio.open_unix_connection(sock=ours, limit=LINE_LIMIT)
        self._reader_task = asyncio.get_running_loop().create_task(self._read(reader))

    # -- requests -------------------------------------------------------------------------
    async def command(self, *args: Any) -> Any:
        """Run a command given positionally (``"seek", 10, "absolute"``); mpv's ``data``."""
        return await self.request(list(args))

    async def request(self, command: list[Any] | dict[str, Any]) -> Any:
        if self.closed or self._writer is None:
            raise MpvGone("mpv is not running")
        self._next_id += 1
        rid = self._next_id
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[rid] = future
        line = json.dumps({"command": command, "request_id": rid}) + "\n"
        try:
            self._writer.write(line.encode())
            return await asyncio.wait_for(future, self.reply_timeout_s)
        except asyncio.TimeoutError:
            self._hung()
            raise MpvGone("mpv stopped answering") from None
        finally:
            self._pending.pop(rid, None)

    def _hung(self) -> None:
        """A request went unanswered: mpv is wedged (an audio driver, a stopped process).
        Ended now, so the next play starts a fresh one instead of waiting on this one."""
        if self.closed:
            return
        self.hung = True
        self.kill()
        self._closed()

    def send(self, command: list[Any] | dict[str, Any]) -> None:
        """Fire and forget (for keys: the reply, if an error, is not worth a wait)."""
        if not self.closed and self._writer is not None:
            self._next_id += 1
            self._writer.write((json.dumps({"command": command, "request_id": self._next_id}) + "\n").encode())

    async def observe(self, *names: str) -> None:
        for name in names:
            oid = len(self._observed) + 1
            self._observed[oid] = name
            await self.command("observe_property", oid, name)

    async def loadfile(self, url: str, options: dict[str, str]) -> None:
        """The named form: the positional one changed in mpv 0.38 and fails on 0.35."""
        await self.request({"name": "loadfile", "url": url, "flags": "replace", "options": options})

    # -- the connection -----------------------------------------------------------------------
    async def _read(self, reader: asyncio.StreamReader) -> None:
        try:
            while True:
                try:
                    line = await reader.readline()
                except (ValueError, asyncio.LimitOverrunError, ConnectionError):
                    break  # a line past the limit or a reset: treat as gone
                if not line:
                    break
                try:
                    msg = json.loads(line.decode("utf-8", "replace"))
                except ValueError:
                    continue
                if isinstance(msg, dict):
                    self._dispatch(msg)
        finally:
            self._closed()

    def _dispatch(self, msg: dict[str, Any]) -> None:
        if "event" in msg:
            self.on_event(msg)
            return
        future = self._pending.get(msg.get("request_id", -1))
        if future is None or future.done():
            return
        if msg.get("error") == "success":
            future.set_result(msg.get("data"))
        else:
            future.set_exception(MpvCommandError(f"mpv refused a command: {msg.get('error')}"))

    def _closed(self) -> None:
        if self.closed:
            return
        self.closed = True
        for future in self._pending.values():
            if not future.done():
                future.set_exception(MpvGone("mpv exited"))
        if self._writer is not None:
            self._writer.close()
        self.on_close()

    async def quit(self) -> None:
        """Ask mpv to quit; kill it if it does not within a moment. Safe to call twice."""
        self.quitting = True
        if not self.closed:
            self.send(["quit"])
        proc = self.process
        if proc is not None and proc.returncode is None:
            try:
                await asyncio.wait_for(proc.wait(), QUIT_TIMEOUT_S)
            except asyncio.TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
                await proc.wait()
        if self._reader_task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader_task

    def kill(self) -> None:
        """For the very end of a program that cannot wait (mpv quits on its own anyway)."""
        proc = self.process
        if proc is not None and proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGKILL)
