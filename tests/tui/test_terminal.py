"""The real TUI in a pseudo-terminal, on a library that holds raw control sequences in its
text (an old library, written before imports cleaned text): opening it must not set the
window title, write the clipboard or clear the screen, and quitting exits 0."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from tracker.model.files import CATALOG_FILE, DETAILS, EPISODES, NOTES, SHOWS, details_file, listing_file, notes_file
from tracker.model.library import Library

TITLE_ATTACK = "\x1b]0;pwned\x07"  # sets the window title
CLIPBOARD_ATTACK = "\x1b]52;c;cHduZWQ=\x07"  # writes the clipboard
CLEAR_ATTACK = "\x1b[2Jcleared"  # clears the screen


def raw_library(folder: Path) -> Library:
    """One show and one episode whose every text field carries an attack, stored as is."""
    library = Library(folder)
    eid, sid = "0123456789ab", "s1"
    attack = f"Ep {TITLE_ATTACK}{CLIPBOARD_ATTACK}{CLEAR_ATTACK}"
    with library.store.transaction(CATALOG_FILE, listing_file(eid), details_file(eid), notes_file(eid)) as tx:
        tx.put(CATALOG_FILE, SHOWS, sid, {"title": f"Show {TITLE_ATTACK}", "kind": "rss"})
        tx.put(listing_file(eid), EPISODES, eid, {"show_id": sid, "title": attack, "published": "2025-03-03",
                                                  "duration_s": 600})
        tx.put(details_file(eid), DETAILS, eid, {"chapters": [{"title": attack, "start_s": 0, "end_s": 600}],
                                                 "chapters_source": "psc"})
        tx.put(notes_file(eid), NOTES, eid, {"text": f"Notes {CLEAR_ATTACK}\n{CLIPBOARD_ATTACK}"})
    return library


def read_until(fd: int, wanted: bytes, deadline_s: float) -> bytes:
    out = b""
    end = time.monotonic() + deadline_s
    while wanted not in out and time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                out += os.read(fd, 65536)
            except OSError:
                break
    return out


def test_opening_the_tui_on_raw_escape_sequences_drives_nothing(tmp_path: Path) -> None:
    library = raw_library(tmp_path / "lib")
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "TRACKER_CONFIG": str(tmp_path / "config")}
    proc = subprocess.Popen([sys.executable, "-m", "tracker", "--library", str(library.folder)],
                            stdin=child, stdout=child, stderr=child, env=env, close_fds=True)
    os.close(child)
    try:
        shown = read_until(main, b"\\x1b]0;pwned", 60)  # the title, spelled out on screen
        os.write(main, b"q")
        shown += read_until(main, b"\x1b[?1049l", 20)  # the app leaves the alternate screen
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(main)
    assert b"\\x1b]0;pwned" in shown  # the attack is visible as text...
    assert b"\x1b]0;pwned" not in shown  # ...and never sent as a sequence
    assert b"\x1b]52;" not in shown
    assert b"\x1b[2Jcleared" not in shown
    assert proc.returncode == 0


async def test_a_notice_naming_raw_text_spells_its_control_sequences_out(tmp_path: Path) -> None:
    """space on an old library's episode said "marked “Ep ␛]0;pwned…” listened" in a notice
    that sent the title's sequences to the terminal as they were (notices are not lists:
    nothing spelled them out), setting the window title and clearing the screen."""
    from tracker.tui.run import make_app

    from .conftest import settle, toasts

    library = raw_library(tmp_path / "lib")
    app = make_app(library.folder)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        said = " ".join(toasts(app))
        assert "listened" in said and "\\x1b]0;pwned" in said, said
        assert "\x1b" not in said and "\x07" not in said
