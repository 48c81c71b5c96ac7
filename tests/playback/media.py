"""Test media made on the spot: a small chaptered MP3 (ffmpeg, FFMETADATA chapters) and a
Range-capable HTTP server for it on 127.0.0.1 (mpv needs Range to start mid-file)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

CHAPTERS = (("Opening", 0, 10), ("Middle part", 10, 20), ("Closing", 20, 40))
LENGTH_S = 40


def need(program: str) -> str:
    """The program's path; missing, the test is skipped, except in CI where it fails."""
    path = shutil.which(program)
    if path is None:
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(f"{program} is missing: .ci/run installs it")
        pytest.skip(f"{program} is not installed")
    return path


def make_mp3(folder: Path, chapters: tuple[tuple[str, int, int], ...] = CHAPTERS, length_s: int = LENGTH_S) -> Path:
    """A mono 8 kbit/s sine MP3 with chapters: about 1 KB a second."""
    ffmpeg = need("ffmpeg")
    meta = folder / "chapters.txt"
    lines = [";FFMETADATA1", "title=Test audio"]
    for title, start, end in chapters:
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={start * 1000}", f"END={end * 1000}", f"title={title}"]
    meta.write_text("\n".join(lines) + "\n")
    out = folder / "episode.mp3"
    subprocess.run(
        [ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", f"sine=frequency=440:duration={length_s}:sample_rate=8000",
         "-i", str(meta), "-map", "0:a", "-map_metadata", "1", "-map_chapters", "1", "-ac", "1", "-b:a", "8k",
         "-codec:a", "libmp3lame", str(out)],
        check=True, capture_output=True, timeout=60,
    )
    return out


@dataclass
class Served:
    base: str
    stalls: threading.Event  # set to let stalled responses finish (at teardown)
    gates: dict[str, threading.Event] = field(default_factory=dict)

    def held(self, name: str) -> tuple[str, threading.Event]:
        """A URL of the audio whose answer waits until the event is set (a slow start)."""
        gate = self.gates.setdefault(name, threading.Event())
        return f"{self.base}/held/{name}.mp3", gate


class AudioHandler(BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}
    release: threading.Event = threading.Event()
    gates: dict[str, threading.Event] = {}

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        if self.path == "/stall.mp3":
            return self._stall()
        if self.path == "/cut.mp3":
            return self._cut()
        held = re.fullmatch(r"/held/([\w-]+)\.mp3", self.path)
        if held:
            self.gates.setdefault(held.group(1), threading.Event()).wait(10)
            self.path = "/episode.mp3"
        body = self.files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        start, end = 0, len(body) - 1
        m = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if m:
            start = int(m.group(1))
            end = min(end, int(m.group(2))) if m.group(2) else end
            if start > end:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(body)}")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(body)}")
        else:
            self.send_response(200)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Type", "audio/mpeg" if self.path.endswith(".mp3") else "text/plain")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        try:
            self.wfile.write(body[start:end + 1])
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _cut(self) -> None:
        """The audio's whole length announced, its first third sent, and the connection
        closed (a dropped stream): mpv plays what came and calls it the end of the file."""
        body = self.files["/episode.mp3"]
        self.send_response(200)
        self.send_header("Content-Type", "audio/mpeg")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.close_connection = True
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body[: len(body) // 3])

    def _stall(self) -> None:
        """The first 4 KB of the audio, then nothing until the test ends."""
        body = self.files["/episode.mp3"]
        self.send_response(200)
        self.send_header("Content-Type", "audio/mpeg")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body[:4096])
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return
        self.release.wait(60)


def serve(files: dict[str, bytes]) -> Iterator[Served]:
    release = threading.Event()
    gates: dict[str, threading.Event] = {}
    handler = type("Handler", (AudioHandler,), {"files": files, "release": release, "gates": gates})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(f"http://127.0.0.1:{server.server_address[1]}", release, gates)
    finally:
        release.set()
        for gate in gates.values():
            gate.set()
        server.shutdown()
        server.server_close()
