"""Where several chapter sources exist, take the richest and say which one it was."""

from __future__ import annotations

from .records import ChapterIn

# On a tie the publisher's structured data wins over what we guessed from the notes.
PREFERENCE = ("json", "psc", "id3", "notes")


def choose(candidates: dict[str, list[ChapterIn]]) -> tuple[str | None, list[ChapterIn]]:
    best: tuple[str | None, list[ChapterIn]] = (None, [])
    for source in PREFERENCE:
        chapters = candidates.get(source) or []
        if len(chapters) > len(best[1]):
            best = (source, chapters)
    return best
