"""What an import run is asked to do and what it reports: the jobs (one per source to
read), the outcome of each, the progress after each, and the Ctrl-C that stops it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Callable

from ..model.errors import ImportInterrupted


@dataclass
class Outcome:
    source: str
    ok: bool
    kind: str | None = None
    show: str | None = None
    episodes: int = 0
    added: int = 0
    updated: int = 0
    not_modified: bool = False
    message: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Progress:
    """Where a run stands: ``done`` of ``total`` sources (the total grows as OPML lists
    are read); ``outcome`` is the source just finished."""

    done: int
    total: int
    source: str
    outcome: Outcome | None = None

    def line(self) -> str:
        what = (self.outcome.show if self.outcome and self.outcome.show else None) or self.source
        failed = " (failed)" if self.outcome is not None and not self.outcome.ok else ""
        return f"[{self.done}/{self.total}] {what}{failed}"

    def __str__(self) -> str:
        return self.line()


OnProgress = Callable[[Progress], None]


@dataclass
class Job:
    order: tuple[int, ...]  # where its outcome goes in the report
    source: str  # as the user (or the OPML list) named it
    target: str  # what is read: a URL, a path or "-"
    depth: int = 0  # 1 for the feeds an OPML list names
    validators: dict[str, str | None] = field(default_factory=dict)
    title: str | None = None  # a refreshed show's known title
    feed: bool = False  # a show's feed, refreshed: nothing but a feed is read from it
    fallback: "Job | None" = None  # read in its place if this one fails (the address a feed left)


class Interrupted(ImportInterrupted):
    """A Ctrl-C stopped the run: ``outcomes`` are those of the sources finished before it
    (saved, or failed), for the report to say what was kept."""

    def __init__(self, message: str, outcomes: list[Outcome]) -> None:
        super().__init__(message)
        self.outcomes = outcomes
