"""Imports and refreshes in a separate process, for the TUI: parsing a large or hostile
feed is CPU work that holds the GIL, so in a thread it would freeze the screen; in a child
process the event loop never waits on it, and quitting can stop it as a Ctrl-C does.

The child (``python -m tracker.importers.worker``) writes to the library through the
store like any other process (the TUI sees the change through its watch) and reports
on its stdout, one JSON object a line: progress after each source, then the outcomes.
Pasted text goes to its standard input (the source ``-``). ``cancel`` asks it to stop
as a Ctrl-C would: what it read is saved.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Callable

from ..model.errors import ImportFailed, ImportInterrupted, SettingError, TrackerError, UsageError
from .outcomes import Outcome, Progress

_ERRORS: dict[str, type[TrackerError]] = {
    "ImportInterrupted": ImportInterrupted, "SettingError": SettingError, "UsageError": UsageError,
}


def import_in_process(folder: Path | str, sources: list[str], text: str | None = None,
                      remote_chapters: bool = True, connections: int | None = None,
                      progress: Callable[[Progress], None] | None = None,
                      cancel: threading.Event | None = None) -> list[Outcome]:
    """Run ``import_sources`` in a child process and wait for it (call this from a worker
    thread). ``text`` is pasted text, imported as the source ``-`` (add "-" to
    ``sources``, or give only ``text``). Progress comes back to ``progress`` on this
    thread; a set ``cancel`` stops the child (``ImportInterrupted``, the done part saved)."""
    if text is not None and "-" not in sources:
        sources = [*sources, "-"]
    request = {"folder": str(folder), "sources": sources, "remote_chapters": remote_chapters,
               "connections": connections}
    return _in_process(request, text, progress, cancel)


def refresh_in_process(folder: Path | str, show_id: str | None = None, remote_chapters: bool = True,
                       connections: int | None = None, progress: Callable[[Progress], None] | None = None,
                       cancel: threading.Event | None = None) -> list[Outcome]:
    """Run ``refresh`` (every show followed, or show ``show_id``) in a child process, as
    ``import_in_process`` runs an import: its outcomes, none when there was nothing to fetch."""
    request = {"folder": str(folder), "refresh": True, "show_id": show_id, "remote_chapters": remote_chapters,
               "connections": connections}
    return _in_process(request, None, progress, cancel)


def _in_process(request: dict[str, Any], text: str | None, progress: Callable[[Progress], None] | None,
                cancel: threading.Event | None) -> list[Outcome]:
    child = subprocess.Popen(
        [sys.executable, "-m", "tracker.importers.worker", json.dumps(request)],
        stdin=subprocess.PIPE if text is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    if text is not None:
        threading.Thread(target=_feed, args=(child, text.encode("utf-8")), daemon=True).start()
    stopper = threading.Thread(target=_stop_on, args=(child, cancel), daemon=True) if cancel else None
    if stopper:
        stopper.start()
    outcomes: list[Outcome] | None = None
    failure: dict[str, Any] | None = None
    assert child.stdout is not None
    for raw in child.stdout:
        try:
            message = json.loads(raw)
        except ValueError:
            continue
        if "progress" in message and progress is not None:
            progress(_progress(message["progress"]))
        elif "outcomes" in message:
            outcomes = [Outcome(**o) for o in message["outcomes"]]
        elif "error" in message:
            failure = message
    stderr = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
    code = child.wait()
    if failure is not None:
        raise _ERRORS.get(str(failure.get("kind")), ImportFailed)(str(failure["error"]))
    if outcomes is None:
        last = stderr.strip().splitlines()[-1:] or [f"exit status {code}"]
        raise ImportFailed(f"the import process failed: {last[0][:200]}")
    return outcomes


def _feed(child: subprocess.Popen[bytes], data: bytes) -> None:
    assert child.stdin is not None
    try:
        child.stdin.write(data)
        child.stdin.close()
    except OSError:
        pass  # the child ended first (a bad request): its report says why


def _stop_on(child: subprocess.Popen[bytes], cancel: threading.Event) -> None:
    while child.poll() is None:
        if cancel.wait(0.1):
            if child.poll() is None:
                child.send_signal(signal.SIGINT)
            return


def _progress(doc: dict[str, Any]) -> Progress:
    outcome = Outcome(**doc["outcome"]) if doc.get("outcome") else None
    return Progress(int(doc["done"]), int(doc["total"]), str(doc["source"]), outcome)
