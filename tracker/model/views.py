"""Episodes, the queue and resume points as plain JSON-ready dicts (the CLI contract)."""

from __future__ import annotations

from typing import Any

from . import progress as prog
from .library import Library
from .records import EPISODE_FIELDS, Episode, EpisodeState


def episode_view(library: Library, ep: Episode, state: EpisodeState | None = None,
                 queue_position: int | None = None, description: bool = False) -> dict[str, Any]:
    st = state if state is not None else library.state(ep.id)
    chapters = prog.chapters(ep, st)
    chapter_states = prog.chapter_states(ep, st, chapters)
    res = prog.resume(ep, st, chapter_states)
    out: dict[str, Any] = {"id": ep.id, "show": ep.show}
    for name in EPISODE_FIELDS:
        if name not in ("show_id", "chapters", "chapters_source"):
            value = getattr(ep, name)
            out[name] = _num(value) if name == "duration_s" else value
    out.update({
        "status": st.status,
        "position_s": _num(st.position_s),
        "heard_s": _num(st.heard_s),
        "queue_position": queue_position,
        "chapters": [
            {
                "n": ch.n,
                "title": ch.title,
                "start_s": _num(ch.start_s),
                "end_s": _num(ch.end_s),
                "heard_s": _num(p.heard_s),
                "state": state_,
            }
            for ch, p, state_ in zip(ep.chapters, chapters, chapter_states)
        ],
        "chapters_source": ep.chapters_source,
        "resume": {"chapter": res.chapter, "position_s": _num(res.position_s)},
    })
    if description:
        out["description"] = library.description(ep.id)
    return out


def episode_views(library: Library, episodes: list[Episode]) -> list[dict[str, Any]]:
    states = library.state_docs()
    positions = {e.id: i for i, e in enumerate(library.queue(), start=1)}
    return [
        episode_view(library, ep, EpisodeState.from_doc(states.get(ep.id)), positions.get(ep.id))
        for ep in episodes
    ]


def resume_view(library: Library, eid: str) -> dict[str, Any]:
    ep = library.episode(eid)
    res = library.resume(eid)
    title = ep.chapters[res.chapter - 1].title if res.chapter else None
    return {"id": eid, "chapter": res.chapter, "chapter_title": title, "position_s": _num(res.position_s)}


def queue_view(library: Library) -> list[dict[str, Any]]:
    """The queue in order; reads only the queued episodes."""
    out = []
    queue = library.queue()
    states = library.state_docs()
    for i, (entry, ep) in enumerate(zip(queue, library.episodes_of(e.id for e in queue)), start=1):
        st = EpisodeState.from_doc(states.get(entry.id))
        res = prog.resume(ep, st)
        out.append({
            "position": i,
            "id": entry.id,
            "show": ep.show,
            "title": ep.title,
            # Where it resumes (the one truth, shared with resume and show); None from the start.
            "chapter": res.chapter if res.position_s > 0 else None,
            "resume_s": _num(res.position_s),
            "remaining_s": _num(prog.remaining_s(ep, st)),
        })
    return out


def _num(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else round(float(x), 3)
