"""Reading a library: the catalog (listings, details, notes, shows), the listening
state and the queue. ``Library`` (library.py) adds every change on top."""

from __future__ import annotations

from collections import Counter, OrderedDict
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from store import LibraryInfo, Store

from . import progress as prog
from .daylog import utc_now
from .errors import AmbiguousRef, UnknownEpisode, UsageError
from .files import (
    CATALOG_FILE,
    DETAIL_NAMES,
    DETAILS,
    EPISODES,
    HISTORY_FILE,
    LISTING_NAMES,
    NOTE_NAMES,
    NOTES,
    QUEUE,
    QUEUE_KEY,
    SHOW_PREFS,
    SHOWS,
    STATE_FILE,
    details_file,
    listing_file,
    notes_file,
    shard_index,
    specs,
)
from .migrate import state_file_v1_to_v2
from .records import ChapterProgress, ChapterState, Episode, EpisodeState, QueueEntry, Resume
from .text import fold

MIN_PREFIX = 4
# The show of episodes whose show id the catalog does not know: a catalog restored from a
# backup older than their import. Their listing, details and state are whole; importing
# their feed again brings their show back under the same id.
UNKNOWN_SHOW = "(unknown show)"
DETAIL_FILES_KEPT = 8  # details and notes files kept parsed by single-episode reads
AREAS = {
    "catalog": (CATALOG_FILE, *LISTING_NAMES),
    "state": (STATE_FILE,),
    "history": (HISTORY_FILE,),
}
# Chapters and descriptions (a refresh that only renamed a chapter writes nothing else):
# looked at on disk only, since at 100k episodes they are too big to keep parsed.
DISK_AREAS = {"details": (*DETAIL_NAMES, *NOTE_NAMES)}
__all__ = ["Reads", "utc_now"]


class Reads:
    """Everything a face reads from one library folder."""

    def __init__(self, folder: Path | str, lock_timeout: float | None = None, create: bool = True) -> None:
        """``create=False`` for commands that only read: a missing folder is ``store.NoLibrary``."""
        self.folder = Path(folder)
        self.store = Store(self.folder, specs(self._migrate_state), lock_timeout=lock_timeout, create=create)
        self._listings_from: tuple[int, ...] | None = None
        self._listings: dict[str, dict[str, Any]] = {}
        self._kept: OrderedDict[str, None] = OrderedDict()
        self._listed: dict[str, dict[str, Any]] = {}
        self._listed_from: tuple[object, ...] | None = None
        self._orphans_told = False

    @property
    def notices(self) -> list[str]:
        return self.store.notices

    def one_moment(self) -> AbstractContextManager[None]:
        """Reads inside see the library as of one moment (no change lands meanwhile): an
        export's state, queue, history and day log belong together."""
        return self.store.one_moment()

    def describe(self) -> LibraryInfo:
        """The folder, its size and each file's schema (``tracker info``)."""
        return self.store.describe()

    # -- catalog ---------------------------------------------------------------------
    def listings(self) -> dict[str, dict[str, Any]]:
        """Every episode's listing (show_id, title, published, duration_s) by id: the
        small part, enough for a list of 100k episodes. Rebuilt only when a file changed."""
        stamps = tuple(self.store.stamp(name) for name in LISTING_NAMES)
        if stamps != self._listings_from:
            merged: dict[str, dict[str, Any]] = {}
            for name in LISTING_NAMES:
                merged.update(self.store.table(name, EPISODES))
            self._listings, self._listings_from = merged, stamps
        return self._listings

    def listing(self, eid: str) -> dict[str, Any] | None:
        """One episode's listing, reading only the file that holds it."""
        return self.store.table(listing_file(eid), EPISODES).get(eid)

    def show_title(self, show_id: str) -> str:
        return (self.shows().get(show_id) or {}).get("title", "")

    def episode_doc(self, eid: str) -> dict[str, Any] | None:
        """One episode as a full document (listing, details and show name)."""
        listing = self.listing(eid)
        if listing is None:
            return None
        self._keep(details_file(eid))
        details = self.store.table(details_file(eid), DETAILS).get(eid) or {}
        return _full_doc(listing, details, self.shows())

    def episode_docs(self) -> dict[str, dict[str, Any]]:
        """Every episode as a full document (for exports; the TUI uses ``listings``)."""
        shows = self.shows()
        details: dict[str, dict[str, Any]] = {}
        for name in DETAIL_NAMES:
            details.update(self.store.table(name, DETAILS))
        return {eid: _full_doc(doc, details.get(eid, {}), shows) for eid, doc in self.listings().items()}

    def episodes(self) -> dict[str, Episode]:
        """Every episode by id, in full."""
        return {eid: Episode.from_doc(eid, doc) for eid, doc in self.episode_docs().items()}

    def episodes_of(self, ids: Iterable[str]) -> list[Episode]:
        """Several episodes in full, each file read once rather than once per episode
        (a read checks the disk: at 10k episodes that was most of ``episodes --json``)."""
        shows = self.shows()
        files: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}
        out = []
        for eid in ids:
            k = shard_index(eid)
            if k not in files:
                files[k] = (self.store.table(LISTING_NAMES[k], EPISODES), self.store.table(DETAIL_NAMES[k], DETAILS))
            listings, details = files[k]
            listing = listings.get(eid)
            if listing is None:
                raise UnknownEpisode(eid)
            out.append(Episode.from_doc(eid, _full_doc(listing, details.get(eid, {}), shows)))
        return out

    def episode(self, eid: str) -> Episode:
        doc = self.episode_doc(eid)
        if doc is None:
            raise UnknownEpisode(eid)
        return Episode.from_doc(eid, doc)

    def shows(self) -> dict[str, dict[str, Any]]:
        """The catalog's shows by id (see ``listed_shows`` for lists of every episode)."""
        shows = self.store.table(CATALOG_FILE, SHOWS)
        if not self._orphans_told and CATALOG_FILE in self.store.restored:
            self._orphans_told = True
            self._tell_orphans(shows)
        return shows

    def listed_shows(self) -> dict[str, dict[str, Any]]:
        """The catalog's shows, plus an ``UNKNOWN_SHOW`` for each show id that episodes
        name but the catalog lacks: what a list of every episode or show uses, so that no
        episode is listed without a show. Reads every listing (cached until one changes)."""
        shows = self.shows()
        self.listings()
        key = (self.store.stamp(CATALOG_FILE), self._listings_from)
        if key != self._listed_from:
            missing = {d.get("show_id", "") for d in self._listings.values()} - shows.keys() - {""}
            self._listed = {**shows, **{sid: {"title": UNKNOWN_SHOW} for sid in missing}} if missing else shows
            self._listed_from = key
        return self._listed

    def description(self, eid: str) -> str:
        self._keep(notes_file(eid))
        note = self.store.table(notes_file(eid), NOTES).get(eid)
        return note.get("text", "") if note else ""

    def descriptions(self, forget: bool = False) -> "Iterator[tuple[str, str]]":
        """Every (id, description), one notes file at a time; ``forget`` drops each file
        from memory once read (building a search index should not hold them all)."""
        for name in NOTE_NAMES:
            for eid, note in self.store.table(name, NOTES).items():
                yield eid, note.get("text", "")
            if forget:
                self.store.forget(name)

    def resolve(self, ref: str) -> str:
        """An episode id from an id or a unique prefix of at least four characters. Ids
        are lowercase hexadecimal: one typed in capitals is the same id."""
        ref = ref.strip()
        key = ref.lower()
        shard = self.store.table(listing_file(key), EPISODES) if key else {}
        if key in shard:
            return key
        if len(key) >= MIN_PREFIX:
            found = [eid for eid in shard if eid.startswith(key)]
            if len(found) == 1:
                return found[0]
            if found:
                raise AmbiguousRef(ref, [f"{eid} ({shard[eid].get('title', '')})" for eid in sorted(found)])
        docs = self.listings()  # only on the way to an error: suggest titles
        needle = fold(ref)
        by_title = [eid for eid, d in docs.items() if needle and needle in fold(d.get("title", ""))]
        hints = [f"{eid} ({docs[eid].get('title', '')})" for eid in sorted(by_title, key=_closeness(docs, needle))[:5]]
        if len(ref) < MIN_PREFIX and not hints:
            raise UsageError(f"{ref!r} is too short: give an episode id or at least {MIN_PREFIX} of its characters")
        raise UnknownEpisode(ref, hints)

    def resolve_all(self, refs: Iterable[str]) -> list[str]:
        out: list[str] = []
        for ref in refs:
            eid = self.resolve(ref)
            if eid not in out:
                out.append(eid)
        return out

    # -- state -------------------------------------------------------------------------
    def state_docs(self) -> dict[str, dict[str, Any]]:
        return self.store.table(STATE_FILE, EPISODES)

    def state(self, eid: str) -> EpisodeState:
        return EpisodeState.from_doc(self.state_docs().get(eid))

    def queue(self) -> list[QueueEntry]:
        """The queue as every face lists and numbers it. An entry whose episode the catalog
        lacks (a catalog file restored from a backup older than the entry) is left out but
        kept: it counts again once a refresh brings the episode back."""
        doc = self.store.table(STATE_FILE, QUEUE).get(QUEUE_KEY) or {}
        return [QueueEntry(i, c) for i, c in doc.get("items", []) if self.listing(i) is not None]

    def resume(self, eid: str) -> Resume:
        return prog.resume(self.episode(eid), self.state(eid))

    def unsubscribed(self) -> set[str]:
        """Shows unsubscribed from: their episodes are hidden from lists."""
        return {sid for sid, prefs in self.store.table(STATE_FILE, SHOW_PREFS).items() if prefs.get("unsubscribed")}

    def show_speed(self, show_id: str) -> float | None:
        """The playback speed chosen for a show (a preference: not in the history)."""
        speed = (self.store.table(STATE_FILE, SHOW_PREFS).get(show_id) or {}).get("speed")
        return float(speed) if isinstance(speed, (int, float)) else None

    def chapter_progress(self, eid: str) -> tuple[ChapterProgress, ...]:
        """Each chapter's heard time and mark, in chapter order."""
        return prog.chapters(self.episode(eid), self.state(eid))

    def chapter_states(self, eid: str) -> list[ChapterState]:
        """Each chapter's state as a face shows it (a listened episode's are done)."""
        return prog.chapter_states(self.episode(eid), self.state(eid))

    def stamps(self) -> tuple[int, ...]:
        """Changes whenever the catalog's listings or the listening state change (in this
        process or another): compare it with an earlier value to know when to reload."""
        return tuple(self.store.stamp(name) for name in (STATE_FILE, CATALOG_FILE, *LISTING_NAMES))

    def area_stamps(self) -> dict[str, tuple[object, ...]]:
        """The same, per area ("catalog", "state", "history", "details"), so a face reloads
        only what changed. Reads only files that changed on disk (details: none)."""
        stamps: dict[str, tuple[object, ...]] = {
            area: tuple(self.store.stamp(name) for name in names) for area, names in AREAS.items()}
        stamps.update({area: tuple(self.store.disk_stamp(name) for name in names) for area, names in DISK_AREAS.items()})
        return stamps

    def forget_files_of(self, eid: str) -> None:
        """Drop the parsed details and notes files holding ``eid`` from memory."""
        self.store.forget(details_file(eid))
        self.store.forget(notes_file(eid))

    def _keep(self, name: str) -> None:
        """Single-episode reads keep the last few details and notes files parsed and
        forget older ones, so visiting episode after episode of 100k stays bounded."""
        self._kept[name] = None
        self._kept.move_to_end(name)
        while len(self._kept) > DETAIL_FILES_KEPT:
            old, _ = self._kept.popitem(last=False)
            self.store.forget(old)

    # -- internals ---------------------------------------------------------------------------
    def _tell_orphans(self, shows: dict[str, dict[str, Any]]) -> None:
        """After the catalog was restored from an older backup: say which episodes lost their show."""
        orphans = Counter(d.get("show_id", "") for d in self.listings().values())
        lost = {sid: n for sid, n in orphans.items() if sid and sid not in shows}
        if lost:
            n, k = sum(lost.values()), len(lost)
            s, ks = "s" * (n != 1), "s" * (k != 1)
            self.store.notices.append(
                f"{n} episode{s} of {k} show{ks} imported after that backup {'are' if s else 'is'} listed under "
                f"{UNKNOWN_SHOW}, listening state kept: import the feed{ks} again to bring the show{ks} back"
            )

    def _migrate_state(self, data: dict[str, Any]) -> dict[str, Any]:
        shows = self.shows()

        def episode_of(eid: str) -> Episode | None:  # every file stays parsed: one pass at 100k
            listing = self.listing(eid)
            if listing is None:
                return None
            details = self.store.table(details_file(eid), DETAILS).get(eid) or {}
            return Episode.from_doc(eid, _full_doc(listing, details, shows))

        return state_file_v1_to_v2(data, episode_of)

    def _names(self, ids: list[str]) -> str:
        if len(ids) == 1:
            return f"“{(self.listing(ids[0]) or {}).get('title', ids[0])}”"
        return f"{len(ids)} episodes"


def _closeness(docs: dict[str, dict[str, Any]], needle: str) -> Callable[[str], tuple[int, int, str, str]]:
    """How well an episode's title matches a REF that is no id, best first: the title
    itself, then titles starting with it, shortest first. Among five hints picked by id,
    the episode whose title was typed exactly was often missing."""

    def key(eid: str) -> tuple[int, int, str, str]:
        title = docs[eid].get("title", "")
        folded = fold(title)
        return (0 if folded == needle else 1 if folded.startswith(needle) else 2, len(title), folded, eid)

    return key


def _full_doc(listing: dict[str, Any], details: dict[str, Any], shows: dict[str, Any]) -> dict[str, Any]:
    sid = listing.get("show_id", "")
    doc = shows.get(sid)
    show = doc.get("title", "") if doc is not None else UNKNOWN_SHOW if sid else ""
    return {**listing, "show": show, **details}


