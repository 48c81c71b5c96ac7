"""``tracker play REF``: play in the foreground through mpv, recording what is heard.

On a terminal a live status line is redrawn in place; otherwise (a pipe, a log) one plain
line per chapter change and per event. Ctrl-C, SIGTERM or SIGHUP (the terminal closed)
stops and saves. Exit status: 0 stopped or finished, 1 mpv missing, dead or hung, the audio
unplayable or what was heard not saved, 2 bad usage.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from dataclasses import replace
import os
import shutil
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable, TextIO

from ..model.text import terminal_safe
from .columns import cut, width
from .common import open_library

if TYPE_CHECKING:
    from ..playback.session import NowPlaying
    from ..playback.source import Start


class Lines:
    """The player's listener for a terminal or a pipe. Output that goes away (``| head``,
    a closed terminal) stops playing, as it ends any other command: ``on_gone`` is called."""

    def __init__(self, out: TextIO, err: TextIO, live: bool) -> None:
        self.out, self.err, self.live = out, err, live
        self._status = ""
        self.gone = False
        self.on_gone: Callable[[], None] = lambda: None

    def status(self, now: "NowPlaying") -> None:
        if not self.live:
            return
        from ..playback.text import status_line

        cells = max(20, shutil.get_terminal_size((80, 24)).columns - 1)
        line = terminal_safe(status_line(now))
        # In cells (a wider line wraps, and each redraw leaves one behind): the title gives
        # way, then the chapter's, so the position and speed at the end stay
        if width(line) > cells:
            title = terminal_safe(now.title)
            now = replace(now, title=cut(title, max(8, width(title) - (width(line) - cells))))
            line = terminal_safe(status_line(now))
        if width(line) > cells:
            chapter = terminal_safe(now.chapter_title)
            now = replace(now, chapter_title=cut(chapter, max(8, width(chapter) - (width(line) - cells))))
            line = cut(terminal_safe(status_line(now)), cells)
        self._status = line
        self._write(self.out, "\r\x1b[2K" + self._status)

    def message(self, text: str, error: bool = False) -> None:
        stream = self.err if error else self.out
        if self.live:
            self._write(self.out, "\r\x1b[2K")
        self._write(stream, ("tracker: " if error else "") + terminal_safe(text) + "\n")
        if self.live and self._status:
            self._write(self.out, self._status)

    def ended(self, outcome: str) -> None:
        if self.live and self._status:
            self._write(self.out, "\r\x1b[2K" + self._status + "\n")
            self._status = ""

    def _write(self, stream: TextIO, text: str) -> None:
        if self.gone:
            return
        try:
            stream.write(text)
            stream.flush()
        except OSError:  # a broken pipe, a terminal that closed
            self.gone = True
            with contextlib.suppress(OSError):  # nor at exit, when Python flushes what is left
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, stream.fileno())
                os.close(devnull)
            self.on_gone()


def run_play(args: argparse.Namespace) -> int:
    from ..playback.options import check_speed, mpv_args

    if args.speed is not None:
        check_speed(args.speed)
    mpv_args()  # a malformed TRACKER_MPV_OPTIONS is bad usage, said before anything starts
    from ..playback.source import read_start

    library = open_library(args)
    start = read_start(library, library.resolve(args.ref))  # no audio: one line, before mpv starts
    return asyncio.run(_play(library.folder, start, args))


async def _play(folder: Path, start: "Start", args: argparse.Namespace) -> int:
    from ..playback.player import Player

    lines = Lines(sys.stdout, sys.stderr, live=sys.stdout.isatty())
    player = Player(folder, lines, advance=not args.no_advance)
    lines.on_gone = player.stop
    loop = asyncio.get_running_loop()
    stop_asked = asyncio.Event()

    def stop() -> None:
        stop_asked.set()
        player.stop()

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(sig, stop)
    try:
        await player.play(start.episode.id, args.chapter, args.speed, known=start)
        if stop_asked.is_set():
            player.stop()  # the signal came while mpv was starting
        outcome = await player.wait()
    finally:
        await player.close()
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.remove_signal_handler(sig)
    return 0 if outcome in ("stopped", "finished") and not lines.gone and player.saver.failed is None else 1
