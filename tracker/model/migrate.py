"""State schema 1 -> 2: per-chapter heard seconds become spans of media time.

Schema 1 kept, per episode, a list of ``[heard_s, mark]`` by chapter index. Heard
seconds become a span from each chapter's start (the best guess of where they were
heard); marks are kept with the chapter's start, end and title, so they follow the
chapter from now on. A queue entry's start chapter becomes the episode's resume point.

A document already in the schema-2 shape (spans or marks, no per-index chapters) is kept
as it is: a schema-2 file whose ``_meta`` was lost or says 0 reads as schema 1, and
converting it again would drop its heard spans and marks.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from . import progress as prog
from . import spans as sp
from .files import EPISODES, QUEUE, QUEUE_KEY
from .records import Episode, EpisodeState, Mark

EpisodeOf = Callable[[str], "Episode | None"]


def state_v1_doc(doc: dict[str, Any], episode: Episode | None) -> dict[str, Any]:
    """One schema-1 state document in the schema-2 shape (unknown keys dropped)."""
    out: dict[str, Any] = {
        "status": doc.get("status", "new"),
        "position_s": doc.get("position_s", 0.0),
        "spans": [],
        "marks": [],
        "listened_at": doc.get("listened_at"),
        "updated_at": doc.get("updated_at"),
        "before_listened": None,
        "rev": 0,
    }
    chapters = episode.chapters if episode else ()
    duration = episode.duration_s if episode else None
    heard: list[tuple[float, float]] = []
    marks: list[Mark] = []
    for i, item in enumerate(doc.get("chapters") or ()):
        if i >= len(chapters) or not isinstance(item, (list, tuple)) or len(item) != 2:
            continue
        seconds, mark = item
        ch = chapters[i]
        if isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and math.isfinite(seconds) and seconds > 0:
            end = ch.end_s if ch.end_s is not None else duration
            limit = float(end) if end is not None and end > ch.start_s else math.inf
            heard.append((ch.start_s, min(ch.start_s + float(seconds), limit)))
        if mark in ("done", "skipped"):
            marks.append(Mark(ch.start_s, ch.end_s, ch.title, mark))
    out["spans"] = sp.to_doc(sp.add((), heard))
    out["marks"] = [m.to_doc() for m in marks]
    state = EpisodeState.from_doc(out)
    return prog.stored(episode, state) if episode is not None else state.to_doc()


def already_v2(doc: Any) -> bool:
    """A state document in the schema-2 shape: schema 1 had no spans or marks, and
    schema 2 has no per-index ``chapters``."""
    return isinstance(doc, dict) and "chapters" not in doc and ("spans" in doc or "marks" in doc)


def state_file_v1_to_v2(data: dict[str, Any], episode_of: EpisodeOf) -> dict[str, Any]:
    """The whole state file; ``episode_of(eid)`` gives an episode from the catalog."""
    out = dict(data)
    states = {}
    for eid, doc in (data.get(EPISODES) or {}).items():
        states[eid] = dict(doc) if already_v2(doc) else state_v1_doc(doc, episode_of(eid))
    queue_doc = (data.get(QUEUE) or {}).get(QUEUE_KEY) or {}
    items = []
    for item in queue_doc.get("items") or ():
        if not isinstance(item, list) or len(item) != 2:
            continue
        eid, chapter = item
        episode = episode_of(eid) if isinstance(eid, str) else None
        if episode is None:
            continue
        if isinstance(chapter, int) and 1 <= chapter <= len(episode.chapters):
            st = states.setdefault(eid, state_v1_doc({}, episode))
            start = episode.chapters[chapter - 1].start_s
            if st.get("status", "new") != "listened" and float(st.get("position_s") or 0) < start:
                st["position_s"] = start
                st["status"] = "in_progress"
        items.append([eid, None])
    out[EPISODES] = states
    if queue_doc:
        out[QUEUE] = {QUEUE_KEY: {"items": items}}
    return out
