"""The records the model hands out: catalog entries and their listening state.

Stored documents are plain dicts (TinyDB JSON); these dataclasses are the typed view.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

from .spans import Spans
from .spans import from_doc as spans_from_doc
from .spans import to_doc as spans_to_doc
from .spans import total as spans_total

from .vocabulary import STATUSES, Status  # noqa: F401 - re-exported

ChapterState = Literal["new", "in_progress", "done", "skipped"]
ChapterMark = Literal["done", "skipped"]
DONE_SHARE = 0.95  # a chapter heard to 95% counts as done


@dataclass(frozen=True, slots=True)
class Chapter:
    n: int
    title: str
    start_s: float
    end_s: float | None

    @property
    def length_s(self) -> float | None:
        return None if self.end_s is None else max(0.0, self.end_s - self.start_s)


@dataclass(frozen=True, slots=True)
class Episode:
    id: str
    show_id: str
    show: str
    title: str
    published: str | None  # "2024-05-07" or an aware ISO date-time
    duration_s: float | None
    guid: str | None = None
    audio_url: str | None = None
    link: str | None = None
    season: int | None = None
    number: int | None = None
    chapters: tuple[Chapter, ...] = ()
    chapters_source: str | None = None

    @classmethod
    def from_doc(cls, eid: str, doc: dict[str, Any]) -> "Episode":
        chapters = tuple(
            Chapter(n, c["title"], c["start_s"], c.get("end_s"))
            for n, c in enumerate(doc.get("chapters") or (), start=1)
        )
        plain = {name: doc.get(name) for name in EPISODE_FIELDS if name not in ("chapters", "show_id", "title")}
        return cls(id=eid, show_id=doc.get("show_id", ""), show=doc.get("show", ""), title=doc.get("title", ""),
                   chapters=chapters, **plain)


# The one list of an episode's stored fields (the record above, less its id and the
# show's name, which lives with the show). Listing, views and exports follow it.
MAX_CHAPTERS = 500  # per episode, from any source; a list of more is an attack, not a show

EPISODE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Episode) if f.name not in ("id", "show"))


@dataclass(frozen=True, slots=True)
class ChapterProgress:
    """A chapter's heard time (from the episode's spans) and its explicit mark, if any."""

    heard_s: float = 0.0
    mark: ChapterMark | None = None

    def state(self, chapter: Chapter, listened: bool = False) -> ChapterState:
        """``listened``: the episode is listened, so an unmarked chapter shows as done."""
        if self.mark is not None:
            return self.mark
        if listened:
            return "done"
        length = chapter.length_s
        if self.heard_s <= 0:
            return "new"
        if length is not None and self.heard_s >= DONE_SHARE * length:
            return "done"
        return "in_progress"


@dataclass(frozen=True, slots=True)
class Mark:
    """A chapter marked done or skipped, kept with the chapter's identity (start, end,
    title) so it follows the chapter when a feed changes its chapter list."""

    start_s: float
    end_s: float | None
    title: str
    mark: ChapterMark

    def to_doc(self) -> list[Any]:
        return [self.start_s, self.end_s, self.title, self.mark]

    @classmethod
    def from_doc(cls, doc: Any) -> "Mark | None":
        if not isinstance(doc, list) or len(doc) != 4:
            return None
        start, end, title, mark = doc
        if not _number(start) or not (end is None or _number(end)) or mark not in ("done", "skipped"):
            return None
        return cls(float(start), None if end is None else float(end), str(title), mark)


@dataclass(frozen=True, slots=True)
class EpisodeState:
    """Where an episode stands: heard spans in media time, chapter marks, the resume
    position, and ``before_listened`` (the position to restore when "listened" is
    toggled off). ``rev`` is the library revision of the last write (for sync)."""

    status: Status = "new"
    position_s: float = 0.0
    spans: Spans = ()
    marks: tuple[Mark, ...] = ()
    listened_at: str | None = None  # UTC ISO time the episode became listened
    updated_at: str | None = None
    before_listened: float | None = None
    rev: int = 0

    @property
    def heard_s(self) -> float:
        return spans_total(self.spans)

    def to_doc(self) -> dict[str, Any]:
        """Only what differs from a new episode: at 100k episodes the state file is
        parsed by every command and rewritten by every change."""
        doc: dict[str, Any] = {"status": self.status}
        if self.position_s:
            doc["position_s"] = self.position_s
        if self.spans:
            doc["spans"] = spans_to_doc(self.spans)
        if self.marks:
            doc["marks"] = [m.to_doc() for m in self.marks]
        for key in ("listened_at", "updated_at", "before_listened"):
            value = getattr(self, key)
            if value is not None:
                doc[key] = value
        if self.rev:
            doc["rev"] = self.rev
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any] | None) -> "EpisodeState":
        if not doc:
            return NEW_STATE
        marks = tuple(m for m in (Mark.from_doc(d) for d in doc.get("marks") or ()) if m is not None)
        before = doc.get("before_listened")
        return cls(
            status=doc.get("status", "new"),
            position_s=float(doc.get("position_s") or 0.0),
            spans=spans_from_doc(doc.get("spans")),
            marks=marks,
            listened_at=doc.get("listened_at"),
            updated_at=doc.get("updated_at"),
            before_listened=float(before) if isinstance(before, (int, float)) and _number(before) else None,
            rev=int(doc.get("rev") or 0),
        )

    def with_(self, **changes: Any) -> "EpisodeState":
        return replace(self, **changes)


NEW_STATE = EpisodeState()


def portable_state(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    """A state document as exports carry it: the record's own fields, less the
    library-local revision and the numbers derived for stats."""
    if doc is None:
        return None
    out = EpisodeState.from_doc(doc).to_doc()
    out.pop("rev", None)
    return out


def _number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


@dataclass(frozen=True, slots=True)
class QueueEntry:
    id: str
    chapter: int | None = None

    def to_doc(self) -> list[Any]:
        return [self.id, self.chapter]


@dataclass(frozen=True, slots=True)
class Resume:
    chapter: int | None
    position_s: float


@dataclass(frozen=True, slots=True)
class Action:
    """One recorded change: enough to undo and redo it exactly.

    ``before``/``after`` hold, per episode, the state fields that changed (``None``: no
    state document), ``queue_*`` the whole queue when it changed, ``shows_*`` per-show
    settings that changed (subscriptions), ``credit`` the heard seconds it added per local
    day and show (the stats' day log), ``session`` the playing session it records."""

    seq: int
    at: str
    kind: str
    episodes: tuple[str, ...]
    summary: str
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    queue_before: list[Any] | None = None
    queue_after: list[Any] | None = None
    shows_before: dict[str, Any] = field(default_factory=dict)
    shows_after: dict[str, Any] = field(default_factory=dict)
    credit: dict[str, dict[str, float]] = field(default_factory=dict)
    session: dict[str, Any] | None = None

    @property
    def ref(self) -> tuple[int, str]:
        """Which action this is, to check that the history is still the one a question
        showed: its place and when it was recorded (a playing session's, which grows
        while it plays, by the session)."""
        return self.seq, str((self.session or {}).get("id") or self.at)

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "at": self.at,
            "kind": self.kind,
            "episodes": list(self.episodes),
            "summary": self.summary,
            "before": self.before,
            "after": self.after,
            "queue_before": self.queue_before,
            "queue_after": self.queue_after,
        }
        if self.shows_after or self.shows_before:
            doc["shows_before"], doc["shows_after"] = self.shows_before, self.shows_after
        if self.credit:
            doc["credit"] = self.credit
        if self.session is not None:
            doc["session"] = self.session
        return doc

    @classmethod
    def from_doc(cls, seq: int, doc: dict[str, Any]) -> "Action":
        return cls(
            seq=seq,
            at=doc["at"],
            kind=doc["kind"],
            episodes=tuple(doc.get("episodes", ())),
            summary=doc.get("summary", ""),
            before=doc.get("before", {}),
            after=doc.get("after", {}),
            queue_before=doc.get("queue_before"),
            queue_after=doc.get("queue_after"),
            shows_before=doc.get("shows_before") or {},
            shows_after=doc.get("shows_after") or {},
            credit=doc.get("credit") or {},
            session=doc.get("session"),
        )
