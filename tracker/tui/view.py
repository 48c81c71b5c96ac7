"""What the main screen shows, computed from the model: the filtered, ordered ids
and each row's cells. Plain Python (no widgets), so it is tested and timed alone."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from rich.cells import cell_len

from ..model import progress as prog
from ..model.library import Library
from ..model.local_dates import local_date
from ..model.query import SORT_NAMES, SORTS, Selection, order, refine, search_index
from ..model.records import STATUSES
from ..model.search import Search, SearchIndex
from .text import clock

STATUS_CYCLE = (None, *STATUSES)
FIRST_SCAN_ROWS = 16_384  # a keystroke scans at most this many rows before the screen repaints


@dataclass(frozen=True, slots=True)
class Row:
    title: str
    show: str
    published: str
    duration_s: float | None
    status: str
    fraction: float
    queued: bool


@dataclass(frozen=True, slots=True)
class Ahead:
    """What ``prepare`` read and computed off the loop, for ``load`` to take as is when
    the model still hands out the same objects (nothing changed in between)."""

    listings: dict[str, dict[str, Any]]
    states: dict[str, dict[str, Any]]
    counts: Counter[str | None]
    sort: str
    ordered: list[str] | None  # in ``sort``'s order, when the catalog changed
    positions: dict[str, int] | None  # each id's index in ``ordered``
    length_width: int


class CatalogView:
    def __init__(self, library: Library) -> None:
        self.library = library
        self.selection = Selection(sort="-published")
        self.rows: list[str] = []
        self._listings: dict[str, dict[str, Any]] = {}
        self._ordered: dict[str, list[str]] = {}
        # Per sort, an order and each id's index in it, for f: built in the threads that
        # order or index the catalog, used only while it is that same order (``is``).
        self._positions: dict[str, tuple[list[str], dict[str, int]]] = {}
        self._index: SearchIndex | None = None
        self.descriptions_indexed = False
        self.descriptions_unread = False  # their index met a file it could not read
        self.states: dict[str, dict[str, Any]] = {}
        self.counts: Counter[str | None] = Counter()
        self.queue_ids: dict[str, int] = {}
        self.shows: dict[str, dict[str, Any]] = {}
        self.pending: Search | None = None  # a text search still running in steps
        self.sorting: str | None = None  # the sort ``o`` asked for, its order still computed off the loop
        self.longest_show = 0  # cells, for the show column
        self.length_width = 5  # cells of the longest duration, for the length column
        self._ahead: Ahead | None = None  # read ahead by a thread (``prepare``)
        self._hidden_shows: frozenset[str] = frozenset()  # unsubscribed from
        self._hidden_ids: list[str] = []  # their episodes, which no list shows unless asked for
        self._hidden_counts: Counter[str | None] = Counter()  # and their statuses

    # -- loading ----------------------------------------------------------------------
    def prepare(self) -> None:
        """Read and count what ``load`` needs, in a thread (the app's watch): at 100k
        episodes parsing a changed file, counting states and sorting a new catalog take
        tens of ms that would otherwise hold a frame. Only reads; ``load`` adopts it."""
        listings = self.library.listings()
        self.library.shows()
        self.library.queue()
        states = self.library.state_docs()
        sort = self.selection.sort
        fresh = listings is not self._listings
        ordered = order(listings, sort) if fresh else None
        width = _length_width(listings) if fresh else self.length_width
        at = positions(ordered) if ordered is not None else None
        self._ahead = Ahead(listings, states, Counter(s.get("status") for s in states.values()), sort, ordered, at, width)

    def load(self) -> bool:
        """Read what changed; True when the catalog itself changed (the index is gone).
        Everything is read before anything is kept: a read that fails (a damaged file)
        leaves the view as it was, never half new."""
        listings = self.library.listings()
        shows = self.library.listed_shows()
        states = self.library.state_docs()
        queue = self.library.queue()
        changed = listings is not self._listings
        ahead, self._ahead = self._ahead, None
        if ahead is not None and ahead.listings is not listings:
            ahead = None  # the catalog changed again since: read it here
        if changed:
            self._listings = listings
            self._ordered = {}
            self._positions = {}
            self._index = None
            self.descriptions_indexed = False
            self.descriptions_unread = False
            if ahead is not None and ahead.ordered is not None:
                self._ordered[ahead.sort] = ahead.ordered
                if ahead.positions is not None:
                    self._positions[ahead.sort] = (ahead.ordered, ahead.positions)
                self.length_width = ahead.length_width
            else:
                self.length_width = _length_width(listings)
        self.shows = shows
        hidden = frozenset(self.library.unsubscribed())
        if changed or hidden != self._hidden_shows:
            self._hidden_shows = hidden
            self._hidden_ids = [eid for eid, d in listings.items() if d.get("show_id") in hidden] if hidden else []
        used = {d.get("show_id") for d in listings.values()} if changed or not self.longest_show else None
        if used is not None:
            self.longest_show = max((cell_len(s.get("title", "")) for sid, s in self.shows.items() if sid in used),
                                    default=0)
        self.states = states
        if ahead is not None and ahead.states is states:
            self.counts = ahead.counts
        else:
            self.counts = Counter(s.get("status") for s in self.states.values())  # once per load, not per keystroke
        self._hidden_counts = Counter((states.get(eid) or {}).get("status") for eid in self._hidden_ids)
        self.queue_ids = {e.id: i for i, e in enumerate(queue, start=1)}
        self.apply()
        return changed

    def build_index(self, with_descriptions: bool) -> SearchIndex:
        """The search index in the current order (descriptions read file by file)."""
        return search_index(self.library, self.ordered(), with_descriptions)

    def keep_positions(self, sort: str | None = None, ordered: list[str] | None = None) -> None:
        """Each id's index in ``ordered`` (by default the current order), for f: tens of
        ms at 100k episodes, so worked out in the threads that order or index the catalog."""
        if sort is None or ordered is None:
            sort, ordered = self.selection.sort, self.ordered()
        if self._positions_of(ordered, sort) is None:
            self._positions[sort] = (ordered, positions(ordered))

    def index_of(self, eid: str) -> int | None:
        """``eid``'s row, or None. The rows follow the sort's order (every filter keeps it),
        so with its positions known this bisects rather than scans (5 ms at 100k rows)."""
        ordered = self._ordered.get(self.selection.sort)
        at = self._positions_of(ordered, self.selection.sort) if ordered is not None else None
        if at is None:
            try:
                return self.rows.index(eid)
            except ValueError:
                return None
        if eid not in at:
            return None
        i = bisect_left(self.rows, at[eid], key=at.__getitem__)
        return i if i < len(self.rows) and self.rows[i] == eid else None

    def _positions_of(self, ordered: list[str], sort: str) -> dict[str, int] | None:
        kept = self._positions.get(sort)
        return kept[1] if kept is not None and kept[0] is ordered else None

    def use_index(self, index: SearchIndex, with_descriptions: bool) -> None:
        if len(index.ids) == len(self._listings):
            self._index = index
            self.descriptions_indexed = with_descriptions

    # -- choosing rows ------------------------------------------------------------------
    def ordered(self) -> list[str]:
        sort = self.selection.sort
        ids = self._ordered.get(sort)
        if ids is None:
            ids = self._ordered[sort] = order(self._listings, sort)
        return ids

    def apply(self, first: int = 0) -> None:
        """Choose the rows. With ``first``, a text search stops once it has that many
        matches (a screenful, exact and in order); ``go_on`` finishes it."""
        ordered = self.ordered()
        sel = self.selection
        self.pending = None
        if not sel.search:
            self.rows = refine(self.library, ordered, sel, self._positions_of(ordered, sel.sort) if sel.status else None)
            return
        if self._index is None:
            self._index = self.build_index(with_descriptions=False)
        elif self._index.ids is not ordered:
            self._index = self._index.reorder(ordered)  # the sort changed: same texts, new order
        search = self._index.start(sel.search)
        if first:
            search.first(first, budget=FIRST_SCAN_ROWS)
        else:
            search.run()
        self.pending = None if search.done else search
        self.rows = refine(self.library, search.ids(), sel)

    def go_on(self, rows: int) -> bool:
        """Scan ``rows`` more for a running search; True when it has just finished."""
        search = self.pending
        if search is None or not search.step(rows):
            return False
        self.pending = None
        self.rows = refine(self.library, search.ids(), self.selection)
        return True

    def finish(self) -> bool:
        """Finish a running search at once (an action on every match needs them all); True
        when one was running."""
        if self.pending is None:
            return False
        while not self.go_on(50_000):
            pass
        return True

    def set_search(self, text: str, first: int = 0) -> None:
        self.selection = replace(self.selection, search=text.strip() or None)
        self.apply(first)

    def cycle_status(self) -> None:
        i = STATUS_CYCLE.index(self.selection.status)
        self.selection = replace(self.selection, status=STATUS_CYCLE[(i + 1) % len(STATUS_CYCLE)])
        self.apply()

    def set_show(self, show_id: str | None) -> None:
        """Only the episodes of show ``show_id`` (None: every show). A show chosen by name
        lists its episodes even when unsubscribed from: the Shows screen counts them and
        its enter says it lists them."""
        self.selection = replace(self.selection, show_id=show_id or None, unsubscribed=bool(show_id))
        self.apply()

    def cycle_sort(self) -> None:
        self.set_sort(self.next_sort())

    def next_sort(self) -> str:
        """The sort ``o`` goes to: the one after the sort asked for last (still computed, if
        it is), so two quick presses go two sorts on."""
        i = SORTS.index(self.sorting or self.selection.sort)
        return SORTS[(i + 1) % len(SORTS)]

    def has_order(self, sort: str) -> bool:
        return sort in self._ordered

    def order_for(self, sort: str) -> tuple[dict[str, dict[str, Any]], list[str]]:
        """The catalog and its ids in ``sort`` order, computed from what the view holds now:
        for a thread (at 100k episodes a sort's keys take a few hundred ms)."""
        listings = self._listings
        ids = order(listings, sort)
        self.keep_positions(sort, ids)
        return listings, ids

    def keep_order(self, listings: dict[str, dict[str, Any]], sort: str, ids: list[str]) -> None:
        """Keep an order computed by ``order_for``, unless the catalog changed since."""
        if listings is self._listings:
            self._ordered.setdefault(sort, ids)

    def set_sort(self, sort: str) -> None:
        self.sorting = None
        self.selection = replace(self.selection, sort=sort)
        self.apply()

    # -- showing rows -------------------------------------------------------------------
    def show_name(self, show_id: str) -> str:
        return (self.shows.get(show_id) or {}).get("title", "")

    def row(self, eid: str) -> Row:
        d = self._listings.get(eid) or {}
        st = self.states.get(eid)
        return Row(
            title=d.get("title", ""),
            show=self.show_name(d.get("show_id", "")),
            published=local_date(d.get("published")),
            duration_s=d.get("duration_s"),
            status=(st or {}).get("status", "new"),
            fraction=prog.listed_fraction(st, d.get("duration_s")),
            queued=eid in self.queue_ids,
        )

    @property
    def listed(self) -> int:
        """The episodes listed with no filter: the catalog but unsubscribed shows' (unless
        the selection asks for them), as ``tracker episodes`` counts."""
        return self.total if self.selection.unsubscribed else self.total - len(self._hidden_ids)

    def summary(self) -> str:
        total = self.listed
        counts = self.counts if self.selection.unsubscribed else self.counts - self._hidden_counts
        listened, started = counts["listened"], counts["in_progress"]
        if self.pending is not None:
            shown = f"{len(self.rows):,}+ of {total:,} episodes (counting…)"
        elif len(self.rows) != total:
            shown = f"{len(self.rows):,} of {total:,} episodes"
        else:
            shown = f"{total:,} episodes"
        # What the list shows comes first: a narrow pane cuts the line's end, and the
        # library's counts matter less than which status, show, filter and order are on.
        parts = [shown]
        sel = self.selection
        if sel.status:
            parts.append("showing " + sel.status.replace("_", " "))
        if sel.show_id:
            parts.append(f"show “{self.show_name(sel.show_id)}”")
        if sel.search:
            parts.append(f"filter “{sel.search}”" + self._filter_scope())
        parts.append(f"{SORT_NAMES[self.sorting]} (sorting…)" if self.sorting else SORT_NAMES[sel.sort])
        parts += [f"{listened:,} listened", f"{started:,} in progress", f"{len(self.queue_ids)} queued"]
        return " · ".join(parts)

    def _filter_scope(self) -> str:
        if self.descriptions_indexed:
            return ""
        return " (titles; descriptions could not be read)" if self.descriptions_unread else " (titles; descriptions loading)"

    @property
    def total(self) -> int:
        return len(self._listings)


def positions(ordered: list[str]) -> dict[str, int]:
    """Each id's index in ``ordered``: f's status then needs no scan of every id."""
    return {e: i for i, e in enumerate(ordered)}


def _length_width(listings: dict[str, dict[str, Any]]) -> int:
    """Cells of the longest duration as shown, for the length column."""
    return len(clock(max((d.get("duration_s") or 0 for d in listings.values()), default=0)))
