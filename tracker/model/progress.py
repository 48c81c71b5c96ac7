"""Listening progress as pure functions: episode state in, new episode state out."""

from __future__ import annotations

from .records import (
    NEW_STATE,
    Chapter,
    ChapterMark,
    ChapterProgress,
    Episode,
    EpisodeState,
    Resume,
    Status,
)

END_TOLERANCE_S = 1.0  # a position this close to the end has reached it


def fit(state: EpisodeState, episode: Episode) -> tuple[ChapterProgress, ...]:
    """Per-chapter progress sized to the episode's chapters (they can change on re-import)."""
    have = state.chapters
    want = len(episode.chapters)
    if len(have) == want:
        return have
    return tuple(have[:want]) + tuple(ChapterProgress() for _ in range(want - len(have)))


def chapter_end(chapter: Chapter, episode: Episode) -> float | None:
    return chapter.end_s if chapter.end_s is not None else episode.duration_s


def derive_status(episode: Episode, state: EpisodeState, was: Status) -> Status:
    """Listened once stays listened until marked new; otherwise derived from progress."""
    if was == "listened":
        return "listened"
    chapters = fit(state, episode)
    if episode.chapters:
        live = [
            (ch, p) for ch, p in zip(episode.chapters, chapters) if p.state(ch) != "skipped"
        ]
        if all(p.state(ch) == "done" for ch, p in live):
            return "listened"
    if episode.duration_s and state.position_s >= episode.duration_s - END_TOLERANCE_S:
        return "listened"
    if state.position_s > 0 or any(p.heard_s > 0 or p.mark for p in chapters):
        return "in_progress"
    return "new"


def report_position(episode: Episode, state: EpisodeState, position_s: float, now: str) -> EpisodeState:
    """The user has listened up to ``position_s``: credit the span since the last position."""
    position_s = max(0.0, position_s)
    if episode.duration_s is not None:
        position_s = min(position_s, float(episode.duration_s))
    start = state.position_s if state.status != "listened" else 0.0
    chapters = list(fit(state, episode))
    if position_s > start:
        for i, ch in enumerate(episode.chapters):
            end = chapter_end(ch, episode)
            if end is None:
                end = position_s
            overlap = min(end, position_s) - max(ch.start_s, start)
            if overlap > 0:
                length = max(0.0, (ch.end_s if ch.end_s is not None else end) - ch.start_s)
                old = chapters[i]
                heard = min(length, old.heard_s + overlap)
                chapters[i] = ChapterProgress(round(heard, 3), old.mark)
    new = state.with_(position_s=position_s, chapters=tuple(chapters), updated_at=now)
    return _settle(episode, state, new, now)


def mark_listened(episode: Episode, state: EpisodeState, now: str) -> EpisodeState:
    chapters = tuple(
        ChapterProgress(round(ch.length_s or 0.0, 3), "done") for ch in episode.chapters
    )
    position = float(episode.duration_s) if episode.duration_s else state.position_s
    return state.with_(
        status="listened",
        position_s=position,
        chapters=chapters,
        listened_at=state.listened_at if state.status == "listened" else now,
        updated_at=now,
    )


def mark_new(state: EpisodeState, now: str) -> EpisodeState:
    return NEW_STATE.with_(updated_at=now)


def mark_chapter(
    episode: Episode, state: EpisodeState, n: int, mark: ChapterMark | None, now: str
) -> EpisodeState:
    """Mark chapter ``n`` done or skipped, or clear it (``mark=None``: unheard, unmarked)."""
    chapters = list(fit(state, episode))
    chapter = episode.chapters[n - 1]
    if mark == "done":
        chapters[n - 1] = ChapterProgress(round(chapter.length_s or 0.0, 3), "done")
    elif mark == "skipped":
        chapters[n - 1] = ChapterProgress(chapters[n - 1].heard_s, "skipped")
    else:
        chapters[n - 1] = ChapterProgress()
    status: Status = state.status
    position = state.position_s
    if mark is None and status == "listened":
        status = "in_progress"  # clearing a chapter re-opens the episode, at that chapter
        position = min(position, chapter.start_s)
    new = state.with_(chapters=tuple(chapters), status=status, position_s=position, updated_at=now)
    return _settle(episode, state.with_(status=status), new, now)


def _settle(episode: Episode, before: EpisodeState, new: EpisodeState, now: str) -> EpisodeState:
    status = derive_status(episode, new, before.status)
    listened_at = new.listened_at
    if status == "listened" and before.status != "listened":
        listened_at = now
    elif status != "listened":
        listened_at = None
    return new.with_(status=status, listened_at=listened_at)


def resume(episode: Episode, state: EpisodeState) -> Resume:
    """Where to pick the episode up again (see the README's model section)."""
    if state.status == "listened":
        return Resume(1 if episode.chapters else None, 0.0)
    if not episode.chapters:
        return Resume(None, state.position_s)
    chapters = fit(state, episode)
    states = [p.state(ch) for ch, p in zip(episode.chapters, chapters)]
    pos = state.position_s
    holding = 0
    for i, ch in enumerate(episode.chapters):
        if ch.start_s <= pos:
            holding = i
    order = [holding] if states[holding] not in ("done", "skipped") else []
    order += [i for i in range(holding + 1, len(states)) if states[i] not in ("done", "skipped")]
    order += [i for i in range(0, len(states)) if states[i] not in ("done", "skipped")]
    if not order:
        return Resume(None, pos)
    i = order[0]
    ch = episode.chapters[i]
    end = chapter_end(ch, episode)
    inside = ch.start_s <= pos and (end is None or pos < end)
    return Resume(ch.n, pos if inside else ch.start_s)


def remaining_s(episode: Episode, state: EpisodeState) -> float | None:
    """Time left to hear: skipped chapters and heard parts do not count."""
    if episode.duration_s is None:
        return None
    if state.status == "listened":
        return 0.0
    if not episode.chapters:
        return max(0.0, episode.duration_s - state.position_s)
    total = 0.0
    for ch, p in zip(episode.chapters, fit(state, episode)):
        st = p.state(ch)
        if st in ("done", "skipped"):
            continue
        length = ch.length_s if ch.end_s is not None else max(0.0, episode.duration_s - ch.start_s)
        total += max(0.0, (length or 0.0) - p.heard_s)
    return total


def listed_fraction(state_doc: dict | None, duration_s: float | None) -> float:
    """Share heard, from the state document alone (for lists that hold no chapters)."""
    if not state_doc:
        return 0.0
    if state_doc.get("status") == "listened":
        return 1.0
    if not duration_s:
        return 0.0
    chapters = state_doc.get("chapters") or ()
    heard = sum(h for h, _m in chapters) if chapters else state_doc.get("position_s", 0.0)
    return max(0.0, min(1.0, heard / duration_s))
