"""The words faces show for the model's values, in one place.

JSON keeps the model's own values (``in_progress``); a person reads "in progress".
"""

from __future__ import annotations

from .records import STATUSES, ChapterState, Status
from .vocabulary import STATUS_WORDS

CHAPTER_WORDS: dict[ChapterState, str] = {"new": "new", "in_progress": "in progress", "done": "done",
                                          "skipped": "skipped"}
assert set(STATUS_WORDS) == set(STATUSES)


def status_word(status: str) -> str:
    """The user-facing word for a status (unknown values are shown as they are)."""
    return STATUS_WORDS.get(status, status)


def status_from_word(word: str) -> Status | None:
    """A status from what a user typed: ``in_progress``, ``in-progress`` or ``in progress``."""
    key = "_".join(word.strip().casefold().replace("-", " ").split())
    return key if key in STATUSES else None


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 episode``, ``2 episodes``, with thousands separated."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"
