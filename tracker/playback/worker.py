"""The player's library worker: a child process that reads and writes the library for it.

Why a process and not a thread: a write at 100k episodes parses and serialises files in C
calls that hold the GIL for tens of milliseconds, and a thread doing that delays the
screen's frames just the same. In a process of its own it delays nothing. It talks JSON
lines over its stdin/stdout, one request at a time, and exits when its stdin closes (the
tracker quit, or was killed: a write in flight still lands whole, the store is atomic).

Run as ``python -m tracker.playback.worker FOLDER``; not meant for people.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Callable

from ..model.errors import LibraryBusy, StoreError, TrackerError, UsageError
from ..model.library import Library
from ..model.records import ChapterMark
from ..model.spans import Spans, add, total, without
from .source import read_start

MIN_HEARD_S = 1.0  # less heard since a change made meanwhile (an undo, a mark) leaves that change be
LOCK_TIMEOUT_S = 1.0  # one attempt at the lock: the player says "busy" and asks again


def prepare(lib: Library, eid: str) -> dict[str, Any]:
    """Everything a start needs (see ``source.read_start``)."""
    return read_start(lib, eid).to_doc(lib.episode_doc(eid) or {})


_landed: dict[str, Spans] = {}  # per session: the spans its writes have landed
_left: dict[str, float] = {}  # per session: the position its last write left


def record(lib: Library, eid: str, spans: list[list[float]], position_s: float, session: str, finished: bool,
           length_s: float | None = None) -> dict[str, Any]:
    """A playing session's write. The player sends every span of the session each time;
    only those no write of it has landed are credited, so a change made meanwhile (marked
    new, the session undone) is not undone by the spans heard before it. Nor by a write
    with nothing new heard (a seek, the stop, or under a second: what mpv plays as it
    pauses): a position moved meanwhile stays where that change put it, until more is heard."""
    landed = _landed.get(session, ())
    given = add((), [(a, b) for a, b in spans])
    new = without(given, landed)
    moved = session in _left and lib.state(eid).position_s != _left[session]
    if moved and total(new) < MIN_HEARD_S and not finished:  # (the sliver mpv plays as it pauses is not listening)
        return {"changed": False, "marks": marks(lib, eid)}
    played = lib.record_play(eid, new, position_s, session, finished=finished, length_s=length_s)
    _landed[session] = add(landed, given)
    _left[session] = played.state.position_s
    return {"changed": played.action is not None, "marks": marks(lib, eid)}


def marks(lib: Library, eid: str) -> list[list[Any]]:
    """Each chapter's start and mark (None: none), in order."""
    chapters = lib.episode(eid).chapters
    return [[ch.start_s, p.mark] for ch, p in zip(chapters, lib.chapter_progress(eid))]


def adopt(lib: Library, eid: str, chapters: list[list[Any]]) -> dict[str, Any] | None:
    """Chapters from the audio, when the catalog has none: the episode as it is now."""
    if lib.adopt_audio_chapters(eid, [(str(t), float(s)) for t, s in chapters]):
        return lib.episode_doc(eid)
    return None


def next_queued(lib: Library, played: str) -> list[Any] | None:
    for entry in lib.queue():
        if entry.id != played:
            return [entry.id, entry.chapter]
    return None


MARKS: dict[str | None, ChapterMark | None] = {"done": "done", "skipped": "skipped", None: None}


def mark_chapter(lib: Library, eid: str, n: int, mark: str | None, seen: list[Any] | None = None) -> None:
    """``seen``: the chapter's start and title as the player knew them (a refresh may
    have renumbered the chapters since)."""
    if mark not in MARKS:
        raise UsageError(f"no such chapter mark: {mark!r}")
    lib.mark_chapter(eid, n, MARKS[mark], None if seen is None else (float(seen[0]), str(seen[1])))


def set_speed(lib: Library, show_id: str, speed: float) -> None:
    lib.set_show_speed(show_id, speed)


OPS: dict[str, Callable[..., Any]] = {
    "prepare": prepare, "record": record, "adopt": adopt, "next_queued": next_queued,
    "mark_chapter": mark_chapter, "set_speed": set_speed,
}


def answer(lib: Library, request: dict[str, Any]) -> dict[str, Any]:
    rid = request.get("id")
    op = OPS.get(str(request.get("op")))
    if op is None:
        return {"id": rid, "error": f"unknown request {request.get('op')!r}", "kind": "TrackerError", "exit": 1}
    try:
        return {"id": rid, "ok": op(lib, **(request.get("args") or {}))}
    except LibraryBusy:
        return {"id": rid, "busy": True}
    except TrackerError as err:
        return {"id": rid, "error": str(err), "kind": type(err).__name__, "exit": err.exit_code}
    except StoreError as err:
        return {"id": rid, "error": str(err), "kind": "StoreError", "exit": getattr(err, "exit_code", 1)}


def main(argv: list[str]) -> int:
    lib = Library(argv[0], lock_timeout=LOCK_TIMEOUT_S)
    for line in sys.stdin:
        try:
            request = json.loads(line)
        except ValueError:
            continue
        reply = answer(lib, request) if isinstance(request, dict) else {"id": None, "error": "not a request"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
