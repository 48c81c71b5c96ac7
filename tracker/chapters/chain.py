"""The longest ascending chain of stamps, in O(n log n).

A link joins two stamps when the text between them is a title (1-200 characters,
a letter among them, cut at the first URL). Two kinds of link exist:

- the title is cut by a URL that lies between the stamps: whether the link holds
  depends on the earlier stamp alone, so every later stamp may link to it. These
  stamps wait in a Fenwick tree keyed by time (the best chain ending below a given
  time, in O(log n)) from the moment the URL is passed;
- no URL lies between: the title is the whole gap, so only the stamps at most
  ``MAX_GAP`` characters back can link (a bounded window).

Ties go to the earliest stamp, as a left-to-right scan would choose.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Callable

MAX_GAP = 400  # characters between two stamps with no URL between: a 200-character title and its trim

Key = tuple[int, int]  # (chain length, -index): larger is better
NONE: Key = (0, 0)


class _MaxTree:
    """Prefix maxima over ranks 1..n (a Fenwick tree)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.tree: list[Key] = [NONE] * (n + 1)

    def add(self, rank: int, key: Key) -> None:
        while rank <= self.n:
            if key > self.tree[rank]:
                self.tree[rank] = key
            rank += rank & -rank

    def best_below(self, rank: int) -> Key:
        """The best key among ranks < ``rank``."""
        rank -= 1
        out = NONE
        while rank > 0:
            if self.tree[rank] > out:
                out = self.tree[rank]
            rank -= rank & -rank
        return out


def longest_chain(
    stamps: list[tuple[int, int, float]],
    url_starts: list[int],
    text: str,
    good: Callable[[str], bool],
) -> tuple[list[int], list[int]]:
    """``(best, prev)``: for each stamp the length of the longest chain from a 0:00 stamp
    that ends there (0: none) and the stamp before it (-1)."""
    n = len(stamps)
    times = sorted({s[2] for s in stamps})
    rank = {t: k + 1 for k, t in enumerate(times)}
    tree = _MaxTree(len(times))
    best = [1 if s[2] == 0 else 0 for s in stamps]
    prev = [-1] * n
    # the first URL after each stamp, and whether the text up to it makes a title
    after = []
    for _start, end, _t in stamps:
        k = bisect_left(url_starts, end)
        after.append(url_starts[k] if k < len(url_starts) else len(text) + 1)
    cut_ok = [after[j] - stamps[j][1] <= MAX_GAP and good(text[stamps[j][1]:after[j]]) for j in range(n)]
    waiting = 0  # stamps before this one whose URL is not yet passed
    for i in range(n):
        start_i, _end_i, t_i = stamps[i]
        while waiting < i and after[waiting] < start_i:
            if best[waiting] and cut_ok[waiting]:
                tree.add(rank[stamps[waiting][2]], (best[waiting], -waiting))
            waiting += 1
        key = tree.best_below(rank[t_i])
        j = i - 1
        while j >= 0 and start_i - stamps[j][1] <= MAX_GAP:
            if after[j] >= start_i and best[j] and stamps[j][2] < t_i and (best[j], -j) > key:
                if good(text[stamps[j][1]:start_i]):
                    key = (best[j], -j)
            j -= 1
        if key[0] and key[0] + 1 > best[i]:
            best[i], prev[i] = key[0] + 1, -key[1]
    return best, prev
