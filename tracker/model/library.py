"""The listening library: catalog and state over the store, every change undoable."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from store import LibraryInfo, Store, Transaction

from . import history
from . import progress as prog
from . import queue as q
from .errors import AmbiguousRef, UnknownEpisode, UsageError
from .files import DETAIL_NAMES, LISTING_NAMES, NOTE_NAMES, SPECS, details_file, listing_file, notes_file, shard_index
from .records import Action, ChapterMark, Episode, EpisodeState, QueueEntry, Resume

MIN_PREFIX = 4
Changes = tuple[dict[str, EpisodeState], list[QueueEntry] | None]


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Library:
    def __init__(self, folder: Path | str, lock_timeout: float | None = None, create: bool = True) -> None:
        """``create=False`` for commands that only read: a missing folder is ``store.NoLibrary``."""
        self.folder = Path(folder)
        self.store = Store(self.folder, SPECS, lock_timeout=lock_timeout, create=create)
        self._listings_from: tuple[int, ...] | None = None
        self._listings: dict[str, dict[str, Any]] = {}

    @property
    def notices(self) -> list[str]:
        return self.store.notices

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
                merged.update(self.store.table(name, "episodes"))
            self._listings, self._listings_from = merged, stamps
        return self._listings

    def listing(self, eid: str) -> dict[str, Any] | None:
        """One episode's listing, reading only the file that holds it."""
        return self.store.table(listing_file(eid), "episodes").get(eid)

    def show_title(self, show_id: str) -> str:
        return (self.shows().get(show_id) or {}).get("title", "")

    def episode_doc(self, eid: str) -> dict[str, Any] | None:
        """One episode as a full document (listing, details and show name)."""
        listing = self.listing(eid)
        if listing is None:
            return None
        details = self.store.table(details_file(eid), "details").get(eid) or {}
        return _full_doc(listing, details, self.shows())

    def episode_docs(self) -> dict[str, dict[str, Any]]:
        """Every episode as a full document (for exports; the TUI uses ``listings``)."""
        shows = self.shows()
        details: dict[str, dict[str, Any]] = {}
        for name in DETAIL_NAMES:
            details.update(self.store.table(name, "details"))
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
                files[k] = (self.store.table(LISTING_NAMES[k], "episodes"), self.store.table(DETAIL_NAMES[k], "details"))
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
        return self.store.table("catalog", "shows")

    def description(self, eid: str) -> str:
        note = self.store.table(notes_file(eid), "notes").get(eid)
        return note.get("text", "") if note else ""

    def descriptions(self, forget: bool = False) -> "Iterator[tuple[str, str]]":
        """Every (id, description), one notes file at a time; ``forget`` drops each file
        from memory once read (building a search index should not hold them all)."""
        for name in NOTE_NAMES:
            for eid, note in self.store.table(name, "notes").items():
                yield eid, note.get("text", "")
            if forget:
                self.store.forget(name)

    def resolve(self, ref: str) -> str:
        """An episode id from an id or a unique prefix of at least four characters."""
        ref = ref.strip()
        shard = self.store.table(listing_file(ref), "episodes") if ref else {}
        if ref in shard:
            return ref
        if len(ref) >= MIN_PREFIX:
            found = [eid for eid in shard if eid.startswith(ref)]
            if len(found) == 1:
                return found[0]
            if found:
                raise AmbiguousRef(ref, [f"{eid} ({shard[eid].get('title', '')})" for eid in sorted(found)])
        docs = self.listings()  # only on the way to an error: suggest titles
        needle = ref.casefold()
        by_title = [eid for eid, d in docs.items() if needle and needle in d.get("title", "").casefold()]
        hints = [f"{eid} ({docs[eid].get('title', '')})" for eid in sorted(by_title)[:5]]
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
        return self.store.table("state", "episodes")

    def state(self, eid: str) -> EpisodeState:
        return EpisodeState.from_doc(self.state_docs().get(eid))

    def queue(self) -> list[QueueEntry]:
        doc = self.store.table("state", "queue").get("queue") or {}
        return [QueueEntry(i, c) for i, c in doc.get("items", [])]

    def resume(self, eid: str) -> Resume:
        return prog.resume(self.episode(eid), self.state(eid))

    # -- changes -----------------------------------------------------------------------
    def mark(self, ids: list[str], listened: bool) -> Action | None:
        def compute(tx: Transaction, now: str) -> Changes:
            out = {}
            for eid in ids:
                ep, st = self.episode(eid), self._state(tx, eid)
                out[eid] = prog.mark_listened(ep, st, now) if listened else prog.mark_new(st, now)
            return out, None

        word = "listened" if listened else "new"
        return self._apply("mark_" + word, f"marked {self._names(ids)} {word}", compute)

    def progress(self, eid: str, position_s: float) -> Action | None:
        ep = self.episode(eid)
        if position_s < 0:
            raise UsageError("a position cannot be negative")
        if ep.duration_s is not None and position_s > ep.duration_s:
            raise UsageError(f"position {position_s:g} s is past the episode's end ({ep.duration_s:g} s)")

        def compute(tx: Transaction, now: str) -> Changes:
            return {eid: prog.report_position(ep, self._state(tx, eid), position_s, now)}, None

        return self._apply("progress", f"{self._names([eid])}: listened up to {position_s:g} s", compute)

    def chapter(self, eid: str, n: int, mark: ChapterMark | None) -> Action | None:
        ep = self.episode(eid)
        self._check_chapter(ep, n)

        def compute(tx: Transaction, now: str) -> Changes:
            return {eid: prog.mark_chapter(ep, self._state(tx, eid), n, mark, now)}, None

        word = {"done": "done", "skipped": "skipped", None: "cleared"}[mark]
        return self._apply("chapter_" + word, f"{self._names([eid])}: chapter {n} {word}", compute)

    def seek(self, eid: str, position_s: float) -> Action | None:
        """Set where to resume without crediting anything as heard (choosing a chapter, say)."""
        ep = self.episode(eid)
        if position_s < 0 or (ep.duration_s is not None and position_s > ep.duration_s):
            raise UsageError(f"position {position_s:g} s is outside the episode")

        def compute(tx: Transaction, now: str) -> Changes:
            st = self._state(tx, eid)  # a listened episode is re-opened by choosing where to resume
            return {eid: st.with_(position_s=position_s, status="in_progress", listened_at=None, updated_at=now)}, None

        return self._apply("seek", f"{self._names([eid])}: resume point set to {position_s:g} s", compute)

    def queue_add(self, ids: list[str], next_: bool = False, chapter: int | None = None) -> Action | None:
        for eid in ids:
            if chapter is not None:
                self._check_chapter(self.episode(eid), chapter)

        def compute(tx: Transaction, now: str) -> Changes:
            listened = [eid for eid in ids if self._state(tx, eid).status == "listened"]
            if listened:
                raise UsageError(f"{self._names(listened)} is listened: mark it new to queue it again")
            return {}, q.add(self._queue(tx), ids, next_=next_, chapter=chapter)

        where = " to play next" if next_ else ""
        return self._apply("queue_add", f"queued {self._names(ids)}{where}", compute)

    def queue_move(self, eid: str, to: str) -> Action | None:
        def compute(tx: Transaction, now: str) -> Changes:
            try:
                return {}, q.move(self._queue(tx), eid, to)
            except q.QueueError as err:
                raise UsageError(f"{self._names([eid])}: {err}") from None

        return self._apply("queue_move", f"moved {self._names([eid])} in the queue ({to})", compute)

    def queue_remove(self, ids: list[str]) -> Action | None:
        def compute(tx: Transaction, now: str) -> Changes:
            queued = {e.id for e in self._queue(tx)}
            missing = [eid for eid in ids if eid not in queued]
            if missing:
                raise UsageError(f"{self._names(missing)} is not in the queue")
            return {}, q.remove(self._queue(tx), set(ids))

        return self._apply("queue_remove", f"removed {self._names(ids)} from the queue", compute)

    def queue_clear(self) -> Action | None:
        return self._apply("queue_clear", "cleared the queue", lambda tx, now: ({}, []))

    def apply_states(self, kind: str, summary: str, states: Callable[[Transaction, str], dict[str, EpisodeState]]) -> Action | None:
        """For importers of listening state (gpodder actions, tracker exports)."""
        return self._apply(kind, summary, lambda tx, now: (states(tx, now), None))

    # -- history -------------------------------------------------------------------------
    def history(self, limit: int | None = None) -> list[Action]:
        return history.actions(self.store, limit)

    def undo(self, steps: int = 1) -> list[Action]:
        """Walk back ``steps`` actions, newest first; returns those undone."""
        if steps < 1:
            raise UsageError("--steps must be 1 or more")
        undone: list[Action] = []
        while len(undone) < steps:
            with self.store.transaction("history", "state") as tx:
                while len(undone) < steps:
                    action = history.pop(tx)
                    if action is None:
                        break
                    for eid, before in action.before.items():
                        if before is None:
                            tx.delete("state", "episodes", eid)
                        else:
                            tx.put("state", "episodes", eid, before)
                    if action.queue_before is not None:
                        tx.put("state", "queue", "queue", {"items": action.queue_before})
                    undone.append(action)
            if len(undone) < steps and not history.bring_back(self.store):
                break
        return undone

    # -- internals ---------------------------------------------------------------------------
    def _apply(self, kind: str, summary: str, compute: Callable[[Transaction, str], Changes]) -> Action | None:
        """Compute the change under the lock from fresh data, write it with its history entry."""
        with self.store.transaction("history", "state") as tx:
            now = utc_now()
            states, new_queue = compute(tx, now)
            queue_before = self._queue(tx)
            queue_after = list(queue_before if new_queue is None else new_queue)
            listened = {eid for eid, st in states.items() if st.status == "listened"}
            if listened:
                queue_after = [e for e in queue_after if e.id not in listened]
            before: dict[str, Any] = {}
            after: dict[str, Any] = {}
            for eid, st in states.items():
                old = tx.get("state", "episodes", eid)
                new = st.to_doc()
                if _same(old, new):
                    continue
                before[eid], after[eid] = old, new
                tx.put("state", "episodes", eid, new)
            queue_changed = queue_after != queue_before
            if queue_changed:
                tx.put("state", "queue", "queue", {"items": [e.to_doc() for e in queue_after]})
            if not after and not queue_changed:
                return None
            seq = history.next_seq(tx)
            touched = tuple(dict.fromkeys(list(after) + [e.id for e in _diff(queue_before, queue_after)]))
            action = Action(
                seq=seq,
                at=now,
                kind=kind,
                episodes=touched,
                summary=summary,
                before=before,
                after=after,
                queue_before=[e.to_doc() for e in queue_before] if queue_changed else None,
                queue_after=[e.to_doc() for e in queue_after] if queue_changed else None,
            )
            history.record(tx, action)
        history.roll_over(self.store)
        return action

    def _state(self, tx: Transaction, eid: str) -> EpisodeState:
        return EpisodeState.from_doc(tx.get("state", "episodes", eid))

    def _queue(self, tx: Transaction) -> list[QueueEntry]:
        doc = tx.get("state", "queue", "queue") or {}
        return [QueueEntry(i, c) for i, c in doc.get("items", [])]

    def _check_chapter(self, ep: Episode, n: int) -> None:
        if not ep.chapters:
            raise UsageError(f"{self._names([ep.id])} has no chapters")
        if not 1 <= n <= len(ep.chapters):
            raise UsageError(f"{self._names([ep.id])} has chapters 1 to {len(ep.chapters)}, not {n}")

    def _names(self, ids: list[str]) -> str:
        if len(ids) == 1:
            return f"“{(self.listing(ids[0]) or {}).get('title', ids[0])}”"
        return f"{len(ids)} episodes"


def _full_doc(listing: dict[str, Any], details: dict[str, Any], shows: dict[str, Any]) -> dict[str, Any]:
    show = (shows.get(listing.get("show_id", "")) or {}).get("title", "")
    return {**listing, "show": show, **details}


def _same(old: dict[str, Any] | None, new: dict[str, Any]) -> bool:
    """Equal but for the update time, and an all-zero chapter list equals none."""
    return _norm(old) == _norm(new)


def _norm(doc: dict[str, Any] | None) -> dict[str, Any]:
    out = {k: v for k, v in (doc or EpisodeState().to_doc()).items() if k != "updated_at"}
    if all(h == 0 and m is None for h, m in out.get("chapters") or ()):
        out["chapters"] = []
    return out


def _diff(a: list[QueueEntry], b: list[QueueEntry]) -> list[QueueEntry]:
    ids_a, ids_b = {e.id for e in a}, {e.id for e in b}
    return [e for e in a if e.id not in ids_b] + [e for e in b if e.id not in ids_a]
