"""Text search over title, show and description, fast enough to run on every keystroke.

The index holds one lower-cased haystack per episode, in the order the episodes
are shown, so a search returns its matches already in order. A query matches
when every word is in the haystack. When a query extends the previous one (the
user typed another character), only the previous matches are searched again: at
100k episodes only the first keystroke scans everything.
"""

from __future__ import annotations

from itertools import compress, repeat
from operator import contains
from typing import Iterable

from .text import fold


class SearchIndex:
    def __init__(self, ids: list[str], texts: list[str]) -> None:
        self.ids = ids
        self.texts = texts  # already case-folded
        self._last_query: str | None = None
        self._last: list[int] = []

    @classmethod
    def build(cls, ids: list[str], heads: Iterable[str], descriptions: Iterable[tuple[str, str]] = ()) -> "SearchIndex":
        """``heads`` (title and show) follow ``ids``; ``descriptions`` may come in any order."""
        texts = [fold(h) for h in heads]
        position = {eid: i for i, eid in enumerate(ids)} if descriptions else {}
        for eid, text in descriptions:
            i = position.get(eid)
            if i is not None and text:
                texts[i] = f"{texts[i]}\n{fold(text)}"
        return cls(ids, texts)

    def reorder(self, ids: list[str]) -> "SearchIndex":
        """The same haystacks in another order (the sort changed)."""
        position = {eid: i for i, eid in enumerate(self.ids)}
        return SearchIndex(ids, [self.texts[position[eid]] for eid in ids])

    def search(self, query: str) -> list[str]:
        """Ids whose haystack holds every word of ``query``, in the index's order."""
        return self.start(query).run()

    def start(self, query: str) -> "Search":
        """A search to run in steps, so a list can show its first screenful at once."""
        words = fold(query).split()
        key = " ".join(words)
        previous = self._last_query
        if words and previous is not None and key.startswith(previous):
            # Typing on: the earlier whole words still hold for the previous matches;
            # only the last one (perhaps longer now) and any new ones need checking.
            return Search(self, key, self._last, needed(words[len(previous.split()) - 1 :]))
        return Search(self, key, range(len(self.ids)), needed(words))

    def _finished(self, key: str, hits: list[int]) -> None:
        self._last_query, self._last = (key, hits) if key else (None, [])


class Search:
    """A search under way: the matches found so far are exact and in order."""

    CHUNK = 4096

    def __init__(self, index: SearchIndex, key: str, candidates: "list[int] | range", words: list[str]) -> None:
        self.index = index
        self.key = key
        self.candidates = candidates
        self.words = words
        self.scanned = 0
        self.hits: list[int] = []

    @property
    def done(self) -> bool:
        return self.scanned >= len(self.candidates)

    def step(self, rows: int) -> bool:
        """Scan up to ``rows`` more candidates; True once the search is complete."""
        texts = self.index.texts
        end = min(len(self.candidates), self.scanned + rows)
        chunk = list(self.candidates[self.scanned : end])
        for word in self.words:
            chunk = list(compress(chunk, map(contains, map(texts.__getitem__, chunk), repeat(word))))
        self.hits.extend(chunk)
        self.scanned = end
        if self.done:
            self.index._finished(self.key, self.hits)
        return self.done

    def first(self, matches: int, budget: int) -> None:
        """Scan until ``matches`` are found or ``budget`` rows are scanned (a screenful, fast)."""
        start = self.scanned
        while not self.done and len(self.hits) < matches and self.scanned - start < budget:
            self.step(self.CHUNK)

    def run(self) -> list[str]:
        while not self.step(50_000):
            pass
        return self.ids()

    def ids(self) -> list[str]:
        return list(map(self.index.ids.__getitem__, self.hits))


def needed(words: list[str]) -> list[str]:
    """The words worth checking: each once, and none that lies inside another (a haystack
    holding "lighthouse" holds "light"). A pasted paragraph repeats its words; checking
    each copy against every episode held the screen for seconds."""
    unique = list(dict.fromkeys(words))
    return [w for w in unique if not any(w != other and w in other for other in unique)]


def head(title: str, show: str) -> str:
    return f"{title}\n{show}"
