"""Listening progress as pure functions: episode state in, new episode state out.

The rule (the design map's): heard time is the set of media-time spans actually
heard, merged as they grow. A chapter's heard time is the length of the spans inside
it, never more than the chapter; at 95% it counts as done. Done and skipped can also be
marked, and marks follow their chapter (``marks.py``). Every source of listening
(``progress``, playback, sync) lands here as spans.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Sequence

from . import marks as mk
from . import spans as sp
from .records import (
    NEW_STATE,
    Chapter,
    ChapterMark,
    ChapterProgress,
    ChapterState,
    DONE_SHARE,
    Episode,
    EpisodeState,
    Resume,
    Status,
)
from .spans import Span

END_TOLERANCE_S = 1.0  # a position this close to the end has reached it
NOT_HEARD_SHARE = 0.5  # listened with less than this share heard: "marked, not heard"


def chapter_end(chapter: Chapter, episode: Episode) -> float | None:
    return chapter.end_s if chapter.end_s is not None else episode.duration_s


def _hi(chapter: Chapter, episode: Episode) -> float:
    """Where the stretch of time a chapter holds ends. One whose own end is at (or
    before) its start holds nothing: an old library or an export may have a chapter
    from 0:00 to 0:00, and reading it as running on to the end made clearing it erase
    all that was heard. Without an end of its own it runs to the episode's end, or on
    where that is unknown or before it (a declared length is often too short)."""
    if chapter.end_s is not None:
        return max(chapter.end_s, chapter.start_s)
    end = episode.duration_s
    return end if end is not None and end > chapter.start_s else math.inf


def chapters(episode: Episode, state: EpisodeState) -> tuple[ChapterProgress, ...]:
    """Each chapter's heard time and mark, from the spans and the marks."""
    matched = mk.match(episode.chapters, state.marks, episode.duration_s)
    return tuple(chapter_progress(episode, ch, sp.within(state.spans, *chapter_span(episode, ch)),
                                  m.mark if m else None) for ch, m in zip(episode.chapters, matched))


def chapter_progress(episode: Episode, ch: Chapter, covered: float, mark: ChapterMark | None) -> ChapterProgress:
    """One chapter's heard time from how much of its ``chapter_span`` the spans cover
    (never more than the chapter) and its mark."""
    length = ch.length_s if ch.end_s is not None else (
        None if episode.duration_s is None else max(0.0, episode.duration_s - ch.start_s))
    return ChapterProgress(covered if length is None else min(covered, length), mark)


def chapter_span(episode: Episode, ch: Chapter) -> tuple[float, float]:
    """The stretch of media time whose heard spans count for the chapter."""
    return ch.start_s, _hi(ch, episode)


def finished(episode: Episode, ch: Chapter, progress: ChapterProgress) -> bool:
    """Done or skipped by its own heard time and mark (the episode's status aside)."""
    return progress.state(_sized(ch, episode)) in ("done", "skipped")


def chapter_states(episode: Episode, state: EpisodeState,
                   heard: tuple[ChapterProgress, ...] | None = None) -> list[ChapterState]:
    """Each chapter's state; ``heard``: its ``chapters(episode, state)``, where made already."""
    listened = state.status == "listened"
    if heard is None:
        heard = chapters(episode, state)
    return [p.state(_sized(ch, episode), listened) for ch, p in zip(episode.chapters, heard)]


def _sized(ch: Chapter, episode: Episode) -> Chapter:
    """The chapter with its end known where the episode's duration closes it."""
    if ch.end_s is None and episode.duration_s is not None and episode.duration_s > ch.start_s:
        return Chapter(ch.n, ch.title, ch.start_s, float(episode.duration_s))
    return ch


def heard_all(episode: Episode, state: EpisodeState) -> bool:
    """Every chapter not skipped is done (or, without chapters, 95% of it heard)."""
    if episode.chapters:
        return all(finished(episode, ch, p) for ch, p in zip(episode.chapters, chapters(episode, state)))
    return heard_enough(episode, state.heard_s)


def heard_enough(episode: Episode, heard_s: float) -> bool:
    """Without chapters: 95% of the episode heard."""
    return bool(episode.duration_s) and heard_s >= DONE_SHARE * float(episode.duration_s or 0)


HeardAll = Callable[[Episode, EpisodeState], bool]
AddSpans = Callable[[sp.Spans, Iterable[Span], float, float], sp.Spans]


def derive_status(episode: Episode, state: EpisodeState, was: Status, complete: HeardAll = heard_all) -> Status:
    """Listened once stays listened until marked new; otherwise derived from progress.
    ``complete``: ``heard_all``, or one that knows the answer already (``growing.Growing``)."""
    if was == "listened":
        return "listened"
    if complete(episode, state):
        return "listened"
    if episode.duration_s and state.position_s >= episode.duration_s - END_TOLERANCE_S:
        return "listened"
    if state.position_s > 0 or state.spans or state.marks:
        return "in_progress"
    return "new"


def _limit(episode: Episode) -> float:
    return float(episode.duration_s) if episode.duration_s is not None else math.inf


def credit(episode: Episode, state: EpisodeState, heard: Iterable[Span], position_s: float | None,
           now: str, finished: bool = False, add: AddSpans = sp.add, complete: HeardAll = heard_all) -> EpisodeState:
    """Add heard spans (clipped to the episode) and move the position; ``finished``: the
    player reached the end. The one door every source of listening goes through.
    ``add`` and ``complete``: ``sp.add`` and ``heard_all``, or the same kept up as many
    plays of one episode arrive (``growing.Growing``: each play does not redo them all)."""
    spans = add(state.spans, heard, 0.0, _limit(episode))
    position = state.position_s if position_s is None else min(max(0.0, position_s), _limit(episode))
    new = state.with_(spans=spans, position_s=position, updated_at=now)
    if finished and state.status != "listened":
        new = new.with_(status="listened", listened_at=now, before_listened=None)
        return new
    return _settle(episode, state, new, now, complete)


def report_position(episode: Episode, state: EpisodeState, position_s: float, now: str) -> EpisodeState:
    """The user has listened up to ``position_s``: credit the span from the last position."""
    position_s = min(max(0.0, position_s), _limit(episode))
    start = state.position_s if state.status != "listened" else 0.0
    heard = [(start, position_s)] if position_s > start else []
    return credit(episode, state, heard, position_s, now)


def mark_listened(episode: Episode, state: EpisodeState, now: str) -> EpisodeState:
    """Listened, at the end; the position it had is kept to restore if toggled off.
    Nothing is credited as heard: marking is not listening."""
    if state.status == "listened":
        return state
    position = float(episode.duration_s) if episode.duration_s else state.position_s
    return state.with_(status="listened", position_s=position, listened_at=now, updated_at=now,
                       before_listened=state.position_s)


def unmark_listened(episode: Episode, state: EpisodeState, now: str) -> EpisodeState:
    """Toggle listened off: back to the progress it had (heard spans and marks were never
    touched; the position comes back), not a clean slate (that is ``mark_new``)."""
    if state.status != "listened":
        return state
    if state.before_listened is not None:
        position = state.before_listened
    elif episode.duration_s and state.position_s >= episode.duration_s - END_TOLERANCE_S:
        position = 0.0  # listened by playing to the end: start over, keeping what was heard
    else:
        position = state.position_s
    reopened = state.with_(position_s=position, listened_at=None, before_listened=None, updated_at=now)
    status: Status = "in_progress" if position > 0 or state.spans or state.marks else "new"
    return reopened.with_(status=status)


def mark_new(state: EpisodeState, now: str) -> EpisodeState:
    return NEW_STATE.with_(updated_at=now, rev=state.rev)


def mark_chapter(episode: Episode, state: EpisodeState, n: int, mark: ChapterMark | None, now: str) -> EpisodeState:
    """Mark chapter ``n`` done or skipped, or clear it (``mark=None``: unheard, unmarked)."""
    chapter = episode.chapters[n - 1]
    marks = mk.set_mark(episode.chapters, state.marks, episode.duration_s, n, mark)
    spans = state.spans
    status: Status = state.status
    position = state.position_s
    if mark is None:
        spans = sp.remove(spans, chapter.start_s, _hi(chapter, episode))
        if status == "listened":
            status = "in_progress"  # clearing a chapter re-opens the episode, at that chapter
            position = min(position, chapter.start_s)
            # The other chapters showed as done: they stay so, now by their own mark.
            for ch, st in zip(episode.chapters, chapter_states(episode, state.with_(status="in_progress"))):
                if ch.n != n and st not in ("done", "skipped"):
                    marks = mk.set_mark(episode.chapters, marks, episode.duration_s, ch.n, "done")
    new = state.with_(marks=marks, spans=spans, status=status, position_s=position, updated_at=now)
    return _settle(episode, state.with_(status=status), new, now)


def set_position(episode: Episode, state: EpisodeState, position_s: float, now: str) -> EpisodeState:
    """Choose where to resume without crediting anything (a chapter, say); a listened
    episode is re-opened by it. Otherwise the status follows the rule: the start of an
    episode with nothing heard or marked is new, as ``progress`` to 0:00 leaves it."""
    status: Status = ("in_progress" if state.status == "listened" or position_s > 0 or state.spans or state.marks
                      else "new")
    return state.with_(position_s=position_s, status=status, listened_at=None, before_listened=None,
                       updated_at=now)


def _settle(episode: Episode, before: EpisodeState, new: EpisodeState, now: str,
            complete: HeardAll = heard_all) -> EpisodeState:
    status = derive_status(episode, new, before.status, complete)
    listened_at = new.listened_at
    if status == "listened" and before.status != "listened":
        listened_at = now
    elif status != "listened":
        listened_at = None
    return new.with_(status=status, listened_at=listened_at)


def is_reset(state: EpisodeState) -> bool:
    """Marked new (a clean slate, with the time it was made): listening from before that
    time, arriving from an export or another device, does not undo it."""
    return bool(state.updated_at) and state.with_(updated_at=None, rev=0) == NEW_STATE


def merge(episode: Episode, here: EpisodeState, other: EpisodeState) -> EpisodeState:
    """Two states of one episode (this library's and an imported one) as one: heard spans
    and marks from both, where it stands (position, status) from the newer. Merging the
    same state again changes nothing; nothing heard here is lost."""
    newer, older = (other, here) if _later(other.updated_at, here.updated_at) else (here, other)
    if is_reset(newer):
        # Marked new after the other's last change: what it heard came before the reset
        # (an own export read back brought the spans back, and their time counted twice).
        return newer
    spans = sp.add(here.spans, other.spans, 0.0, _limit(episode))
    keys = {(m.start_s, m.title) for m in newer.marks}
    marks = tuple(sorted([*newer.marks, *(m for m in older.marks if (m.start_s, m.title) not in keys)],
                         key=lambda m: m.start_s))
    merged = newer.with_(spans=spans, marks=marks)
    return merged.with_(status=derive_status(episode, merged, newer.status))


def _when(iso: str | None) -> datetime | None:
    if not iso:
        return None
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _later(a: str | None, b: str | None) -> bool:
    """``a`` is a later time than ``b`` (a missing time is the earliest)."""
    ka, kb = _when(a), _when(b)
    return ka is not None and (kb is None or ka > kb)


def resume(episode: Episode, state: EpisodeState, states: list[ChapterState] | None = None) -> Resume:
    """Where to pick the episode up again (see the README's model section). ``states``:
    its ``chapter_states``, where made already (a listing of 100,000 episodes makes them
    once, not once for the listing and again here)."""
    if state.status == "listened":
        return Resume(1 if episode.chapters else None, 0.0)
    if not episode.chapters:
        return Resume(None, state.position_s)
    if states is None:
        states = chapter_states(episode, state)
    pos = state.position_s
    holding = 0
    for i, ch in enumerate(episode.chapters):
        if ch.start_s <= pos:
            holding = i
    finished = ("done", "skipped")
    order = [holding] if states[holding] not in finished else []
    order += [i for i in range(holding + 1, len(states)) if states[i] not in finished]
    order += [i for i in range(0, len(states)) if states[i] not in finished]
    if not order:
        return Resume(None, pos)
    i = order[0]
    ch = episode.chapters[i]
    end = chapter_end(ch, episode)
    # Before the first chapter (an intro the chapters leave out, as show notes often do) is
    # part of the first: a new episode starts at 0:00, not at its first chapter.
    inside = (ch.start_s <= pos or i == 0) and (end is None or pos < end)
    return Resume(ch.n, pos if inside else ch.start_s)


def remaining_s(episode: Episode, state: EpisodeState) -> float | None:
    """Time left to hear from the resume point: heard stretches and chapters done or
    skipped do not count. None when the episode's length is unknown."""
    end = episode.duration_s
    if end is None and episode.chapters and episode.chapters[-1].end_s is not None:
        end = episode.chapters[-1].end_s
    if end is None:
        return None
    if state.status == "listened":
        return 0.0
    start = min(resume(episode, state).position_s, float(end))
    covered = state.spans
    for ch, st in zip(episode.chapters, chapter_states(episode, state)):
        if st in ("done", "skipped"):
            covered = sp.add(covered, [(ch.start_s, _hi(ch, episode))], 0.0, float(end))
    return max(0.0, round(float(end) - start - sp.within(covered, start, float(end)), 3))


def stored(episode: Episode, state: EpisodeState) -> dict[str, Any]:
    """A state document as it is stored: the state, and the numbers stats read from it."""
    return {**state.to_doc(), **tally(episode, state)}


def tally(episode: Episode, state: EpisodeState) -> dict[str, float | int | bool]:
    """The numbers stats add up, kept in each state document at every write so stats
    never read the catalog's chapters: heard time, chapters done and skipped, whether a
    listened episode was marked more than heard, and the time left from the resume point."""
    progress = chapters(episode, state)
    own = [p.state(_sized(ch, episode)) for ch, p in zip(episode.chapters, progress)]
    heard = state.heard_s
    length = episode.duration_s
    not_heard = state.status == "listened" and (heard <= 0 if not length else heard < NOT_HEARD_SHARE * length)
    out: dict[str, float | int | bool] = {"heard_s": heard} if heard else {}
    done, skipped = own.count("done"), own.count("skipped")
    if done:
        out["done"] = done
    if skipped:
        out["skipped"] = skipped
    if not_heard:
        out["not_heard"] = True
    left = remaining_s(episode, state)
    if left is not None:
        out["left_s"] = left
    return out


def listed_fraction(state_doc: dict | None, duration_s: float | None) -> float:
    """Share heard, from the state document alone (for lists that hold no chapters)."""
    if not state_doc:
        return 0.0
    if state_doc.get("status") == "listened":
        return 1.0
    if not duration_s:
        return 0.0
    heard = state_doc.get("heard_s")
    if not isinstance(heard, (int, float)):
        heard = sp.total(sp.from_doc(state_doc.get("spans")))
    return max(0.0, min(1.0, heard / duration_s))
