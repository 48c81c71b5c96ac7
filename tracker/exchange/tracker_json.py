"""The tracker's own export: the whole library (catalog, notes, state, queue, history,
the shows left and the speed chosen for each).

Importing it into an empty library and exporting again gives the same document.
An import is checked whole before anything is written (``model/validate.py``), and
its listening state and queue land as ONE undoable action; the exported history is
adopted only when that action is the library's only one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model.catalog import ShowUpdate, merge_shows
from ..model.library import Library
from ..model.records import EPISODE_FIELDS, Episode, QueueEntry, portable_state
from ..model.validate import check_export
from ..model.words import plural

FORMAT = "tracker-export"
VERSION = 2  # 2: listening state as heard spans and chapter marks (1 is still read)


def export(library: Library) -> dict[str, Any]:
    episodes = library.episode_docs()
    notes = dict(library.descriptions())
    shows = library.shows()
    with library.one_moment():  # the listening as of one change, never astride one (only these reads wait)
        states, queue, actions = library.state_docs(), library.queue(), library.history()
        days, unsubscribed = library.day_log(), library.unsubscribed()
        speeds = {sid: speed for sid in sorted(shows) if (speed := library.show_speed(sid)) is not None}
    return {
        "format": FORMAT,
        "version": VERSION,
        "shows": dict(sorted(shows.items())),
        "unsubscribed": sorted(unsubscribed),
        "speeds": speeds,
        "episodes": {eid: {**{k: doc.get(k) for k in ("show", *EPISODE_FIELDS)}, "description": notes.get(eid, "")}
                     for eid, doc in sorted(episodes.items())},
        "state": {eid: portable_state(doc) for eid, doc in sorted(states.items())},
        "queue": [e.to_doc() for e in queue],
        "history": {str(a.seq): _plain(a.to_doc()) for a in reversed(actions)},
        "days": dict(sorted(days.items())),
    }


def _plain(doc: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in doc.items() if k not in ("bytes", "session")}
    for side in ("before", "after"):
        out[side] = {eid: portable_state(st) for eid, st in doc[side].items()}
    for key in ("shows_before", "shows_after", "credit"):
        out.setdefault(key, {})
    return out


@dataclass(frozen=True)
class Imported:
    episodes: int
    added: int
    updated: int
    message: str


def import_export(library: Library, data: dict[str, Any]) -> Imported:
    """Refuse the whole document (``ImportFailed``, one line) unless every part of it is
    well formed; then merge the catalog and apply state and queue as one action."""
    doc = check_export(data)
    library.check_recordable()  # (a newer tracker's state: its shows landed, its listening not)
    had = library.shows()
    added = updated = 0
    # Every show, those without episodes too (a feed with no items yet): they were lost.
    by_show: dict[str, dict[str, Any]] = {sid: {} for sid in doc.shows}
    for eid, ep in doc.episodes.items():
        by_show.setdefault(ep["show_id"], {})[eid] = ep
    # The whole catalog in one commit: one per show rewrote every touched file once per
    # show (minutes at 1,000 shows), and a Ctrl-C meanwhile left some shows and no state.
    updates = [ShowUpdate(sid, doc.shows.get(sid) or {"title": next(iter(eps.values())).get("show", "")},
                          {eid: {k: v for k, v in d.items() if k != "description"} for eid, d in eps.items()},
                          {eid: d.get("description", "") for eid, d in eps.items()})
               for sid, eps in by_show.items()]
    for merged in merge_shows(library, updates):
        added, updated = added + merged.added, updated + merged.updated
    known = {eid: Episode.from_doc(eid, {**ep, "show": ""}) for eid, ep in doc.episodes.items()}
    states = {eid: st for eid, st in doc.states().items() if eid in known or library.listing(eid)}
    queue = [QueueEntry(eid, None) for eid in doc.queue if eid in known or library.listing(eid)]
    # A show new here comes as it was left there; one already here keeps its own choice.
    left = [sid for sid in doc.unsubscribed if sid not in had and sid in by_show]
    held = len(states)
    action = library.import_listening(states, queue, doc.history, doc.days,  # named by the episodes it changed
                                      lambda changed: f"imported listening state of {plural(len(changed) or held, 'episode')}",
                                      left)
    # a preference, not history: as ``left`` above
    library.set_show_speeds({sid: speed for sid, speed in doc.speeds.items() if sid not in had and sid in by_show})
    n = len(states)
    # How many it changed, as a gpodder file's line says: "state of 2 episodes" alone read
    # as two changed when one was listened here already, or when the same file came twice.
    changed = len(action.after) if action is not None else 0
    return Imported(len(doc.episodes), added, updated,
                    f"{added:,} new, {updated:,} updated, state of {n:,} episode{'' if n == 1 else 's'} "
                    f"({changed:,} changed)")
