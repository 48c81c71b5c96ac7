"""Text search over title, show and description, fast enough to run on every keystroke.

Each episode has one lower-cased haystack. A query matches when every word is in it.
When a query extends the previous one (the user typed another character), only the
previous matches are searched again: at 100k episodes only the first keystroke
scans everything.
"""

from __future__ import annotations


class SearchIndex:
    def __init__(self, ids: list[str], texts: list[str]) -> None:
        self.ids = ids
        self.texts = [t.casefold() for t in texts]
        self._last_query: str | None = None
        self._last: list[int] = []

    def search(self, query: str) -> set[str]:
        words = query.casefold().split()
        if not words:
            return set(self.ids)
        key = " ".join(words)
        if self._last_query is not None and key.startswith(self._last_query):
            candidates: list[int] | range = self._last
        else:
            candidates = range(len(self.ids))
        texts = self.texts
        if len(words) == 1:
            word = words[0]
            hits = [i for i in candidates if word in texts[i]]
        else:
            hits = [i for i in candidates if all(w in texts[i] for w in words)]
        self._last_query, self._last = key, hits
        ids = self.ids
        return {ids[i] for i in hits}


def haystack(title: str, show: str, description: str = "") -> str:
    return f"{title}\n{show}\n{description}"
