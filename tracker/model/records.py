"""The records the model hands out: catalog entries and their listening state.

Stored documents are plain dicts (TinyDB JSON); these dataclasses are the typed view.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

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
        return cls(
            id=eid,
            show_id=doc.get("show_id", ""),
            show=doc.get("show", ""),
            title=doc.get("title", ""),
            published=doc.get("published"),
            duration_s=doc.get("duration_s"),
            guid=doc.get("guid"),
            audio_url=doc.get("audio_url"),
            link=doc.get("link"),
            season=doc.get("season"),
            number=doc.get("number"),
            chapters=chapters,
            chapters_source=doc.get("chapters_source"),
        )


@dataclass(frozen=True, slots=True)
class ChapterProgress:
    heard_s: float = 0.0
    mark: ChapterMark | None = None

    def state(self, chapter: Chapter) -> ChapterState:
        if self.mark is not None:
            return self.mark
        length = chapter.length_s
        if self.heard_s <= 0:
            return "new"
        if length is not None and self.heard_s >= DONE_SHARE * length:
            return "done"
        return "in_progress"


@dataclass(frozen=True, slots=True)
class EpisodeState:
    status: Status = "new"
    position_s: float = 0.0
    chapters: tuple[ChapterProgress, ...] = ()
    listened_at: str | None = None  # UTC ISO time the episode became listened
    updated_at: str | None = None

    def chapter(self, n: int) -> ChapterProgress:
        return self.chapters[n - 1] if 0 < n <= len(self.chapters) else ChapterProgress()

    def to_doc(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "position_s": self.position_s,
            "chapters": [[c.heard_s, c.mark] for c in self.chapters],
            "listened_at": self.listened_at,
            "updated_at": self.updated_at,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any] | None) -> "EpisodeState":
        if not doc:
            return NEW_STATE
        return cls(
            status=doc.get("status", "new"),
            position_s=doc.get("position_s", 0.0),
            chapters=tuple(ChapterProgress(h, m) for h, m in doc.get("chapters") or ()),
            listened_at=doc.get("listened_at"),
            updated_at=doc.get("updated_at"),
        )

    def with_(self, **changes: Any) -> "EpisodeState":
        return replace(self, **changes)


NEW_STATE = EpisodeState()


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
    """One recorded change: enough to undo it exactly."""

    seq: int
    at: str
    kind: str
    episodes: tuple[str, ...]
    summary: str
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    queue_before: list[Any] | None = None
    queue_after: list[Any] | None = None

    def to_doc(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "kind": self.kind,
            "episodes": list(self.episodes),
            "summary": self.summary,
            "before": self.before,
            "after": self.after,
            "queue_before": self.queue_before,
            "queue_after": self.queue_after,
        }

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
        )
