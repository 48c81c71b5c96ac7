"""Many sources at once: fetched and parsed by a bounded pool of workers, stored in batches.

At most ``connections`` downloads are open at a time (8 unless configured), each
failure is one outcome and the rest go on, conditional GET is kept, and progress
is reported after each source. The coordinator (the caller's thread) alone writes
the library: it gives each show its identity and commits what is ready about once
a second, so a Ctrl-C keeps what was done and each feed costs the same at the end of
a long import as at its start.
"""

from __future__ import annotations

import gc
import threading
import time
from typing import Any, BinaryIO

from ..model.catalog import ShowUpdate, merge_shows
from ..model.errors import ImportFailed, StoreError, TrackerError, UsageError
from ..model.library import Library
from ..model.text import clean_line
from ..model.words import plural
from .document import Draft, Prepared, Read, read_source, to_update
from .fetch import env_number, max_bytes, timeout_s
from .find_chapters import ChapterFiles, file_sources
from .identity import ShowIndex, moved_episodes
from .opml import OpmlList
from .outcomes import Interrupted, Job, OnProgress, Outcome, Progress
from .parsers import Parsers
from .records import FeedShow
from .sources import listed_target, visit_key
from .threads import Done, ThreadPool

DEFAULT_CONNECTIONS = 8
FEED_KINDS = ("rss", "atom")
_SERVED = {"opml": "an OPML list", "tracker-json": "a tracker export", "gpodder": "gpodder episode actions",
           "showpage": "a show page's text"}
MAX_CONNECTIONS = 64
COMMIT_EVERY_S = 1.0
COMMIT_SHARE = 8  # a commit waits 8 times as long as the last one took: commits take at most ~1/9 of the time


def connections_setting() -> int:
    return int(env_number("TRACKER_CONNECTIONS", DEFAULT_CONNECTIONS, MAX_CONNECTIONS))


class Runner:
    def __init__(self, library: Library, remote_chapters: bool = True, connections: int | None = None,
                 progress: OnProgress | None = None, stdin: BinaryIO | None = None, halves: bool = False) -> None:
        self.library = library
        self.progress = progress
        self.stdin = stdin
        self.halves = halves  # set for the run: its only source may be read on two cores
        self.size = connections if connections is not None else connections_setting()
        if not 1 <= self.size <= MAX_CONNECTIONS:
            raise UsageError(f"connections must be 1-{MAX_CONNECTIONS}, not {self.size}")
        self.gate = threading.Semaphore(self.size)
        self.files = ChapterFiles(remote_chapters, self.gate)
        self.parsers = Parsers()
        self.cancel = threading.Event()
        self.outcomes: dict[tuple[int, ...], Outcome] = {}
        self.batch: list[tuple[Prepared, Outcome]] = []
        self.exchange: list[tuple[Job, str, Any]] = []
        self.visited: set[str] = set()
        self.done = self.total = 0
        self.index: ShowIndex | None = None
        self.known: set[str] = set()  # the shows the library had when the run began
        self.by_show: dict[str, set[str]] | None = None  # their episodes' ids (read when first needed)
        self.left: set[str] = set()  # the shows unsubscribed from when the run began
        self.rejoined: list[tuple[str, Outcome]] = []  # of those, the ones whose feed the user named

    def run(self, jobs: list[Job]) -> list[Outcome]:
        timeout_s(), max_bytes()  # a bad setting is one line before anything is done
        self.halves = self.halves and len(jobs) == 1  # (decided before any worker starts)
        collecting = gc.isenabled()
        gc.disable()  # parsed feeds make no reference cycles: the collector only costs time here
        try:
            return self._run(jobs)
        finally:
            if collecting:
                gc.enable()

    def _run(self, jobs: list[Job]) -> list[Outcome]:
        shows = self.library.shows()
        self.index, self.known = ShowIndex(shows), set(shows)
        self.left = self.library.unsubscribed()
        pool: ThreadPool[Job] = ThreadPool(self.size)
        pending = 0

        def submit(job: Job) -> None:
            nonlocal pending
            key = visit_key(job.target)
            if key in self.visited:
                self._finish(job, Outcome(job.source, True, message="skipped: already read in this import"))
                return
            self.visited.add(key)
            self.total += 1
            pending += 1
            pool.submit(job, lambda: self._work(job))

        try:
            for job in jobs:
                submit(job)
            began = last = time.monotonic()
            cost, finished = 0.0, 0
            while pending:
                every = max(COMMIT_EVERY_S, COMMIT_SHARE * cost)
                left = every - (time.monotonic() - last)
                for done in pool.finished(max(0.05, left) if self.batch else None):
                    pending -= 1
                    finished += 1
                    for child in self._handle(done.job, done):
                        submit(child)
                now = time.monotonic()
                if self.batch and now - last >= every and not _ends_within(every, pending, finished, now - began):
                    started = now
                    self._commit()
                    last = time.monotonic()
                    cost = last - started
            self._commit()
            self._rejoin()
            self._apply_exchange()
        except KeyboardInterrupt:
            self.cancel.set()
            pool.shutdown()
            self.parsers.shutdown(wait=False)
            self._commit()  # (what waits in the batch has its outcome already: counted once below)
            saved = self._read_ok()
            raise Interrupted(f"interrupted: {saved} of {self.total} sources were read and saved; "
                              "import again for the rest", [self.outcomes[k] for k in sorted(self.outcomes)]) from None
        except StoreError as err:
            # A write failed (a full disk, say): the store's "nothing was changed" is true
            # of this write, not of the batches written before it, which are there.
            self.cancel.set()
            saved = self._read_ok() - len(self.batch)
            if saved <= 0:
                raise
            why = str(err).removesuffix("; nothing was changed")
            raise ImportFailed(f"{why}; {plural(saved, 'source')} of {self.total} {'was' if saved == 1 else 'were'} "
                               "saved before it: import again for the rest") from None
        finally:
            pool.shutdown()
            self.parsers.shutdown()
        return [self.outcomes[k] for k in sorted(self.outcomes)]

    def _read_ok(self) -> int:
        """Sources read and taken in so far (their batch saved, or waiting in ``batch``)."""
        return sum(1 for o in self.outcomes.values() if o.ok and o.kind)

    # -- on a worker --------------------------------------------------------------------------
    def _work(self, job: Job) -> tuple[str, Any, Read, Draft | None]:
        if self.cancel.is_set():
            raise ImportFailed("cancelled")
        read = read_source(job.target, job.validators, self.gate, self.stdin)
        if read.not_modified:
            return "not-modified", None, read, None
        kind, what, draft = self.parsers.understand(read, many=self.total > 1, alone=self.halves and job.depth == 0)
        if isinstance(what, FeedShow) and draft is None:  # (a draft is made only where no file is to read)
            file_sources(what, read.base_url, read.folder, self.files)
        return kind, what, read, draft

    # -- on the coordinator -------------------------------------------------------------------
    def _handle(self, job: Job, done: Done[Job]) -> list[Job]:
        try:
            kind, what, read, draft = done.result()
        except ImportFailed as err:
            return self._failed(job, str(err))
        except Exception as err:  # noqa: BLE001 - one source's surprise must not cost the others
            why = clean_line(str(err))[:200]
            return self._failed(job, f"could not be read ({type(err).__name__}: {why})")
        if kind == "not-modified":
            self._finish(job, Outcome(job.source, True, show=job.title, not_modified=True, message="not modified"))
        elif job.feed and kind not in FEED_KINDS:
            # (what a feed's address came to serve is not the user's to import: an OPML
            # list would subscribe to its feeds, episode actions rewrite what was heard)
            return self._failed(job, f"not a feed any more: it now serves {_SERVED.get(kind, kind)}")
        elif kind == "opml":
            if job.depth:
                self._finish(job, Outcome(job.source, False, "opml",
                                          message="refused: an OPML list inside an OPML list is not followed"))
                return []
            return self._expand(job, read, what)
        elif kind in ("tracker-json", "gpodder"):
            self.exchange.append((job, kind, what))
        else:
            self._add(job, read, kind, what, draft)
        return []

    def _failed(self, job: Job, message: str) -> list[Job]:
        """``job`` failed: its fallback is read in its place (one source in the count), or
        the failure is its outcome."""
        if job.fallback is not None:
            self.total -= 1
            return [job.fallback]
        self._finish(job, Outcome(job.source, False, show=job.title, message=message))
        return []

    def _add(self, job: Job, read: Read, kind: str, show: FeedShow, draft: Draft | None) -> None:
        assert self.index is not None
        sid, key = self.index.find(show, read.origin)
        # (a worker's draft is made under the id a new show gets; a show the library knows
        # by another id or key has it moved there)
        prepared = draft.under(sid, key) if draft is not None else to_update(show, sid, key, read, kind)
        if sid in self.known:
            prepared.update = self._moved(prepared.update)
        title = show.title
        known = self.index.docs.get(sid, {}).get("title")
        if show.untitled and known:
            # (a feed that lost its <title> for a while is not a show renamed to its URL)
            prepared.update.show["title"] = None
            title = str(known)
        self.index.add(sid, {k: v for k, v in prepared.update.show.items() if v is not None})
        outcome = Outcome(job.source, True, kind, title, prepared.episodes)
        self.batch.append((prepared, outcome))
        if sid in self.left and job.depth == 0 and not job.feed:
            self.rejoined.append((sid, outcome))
        self._finish(job, outcome)

    def _moved(self, update: ShowUpdate) -> ShowUpdate:
        """``update`` with the episodes the feed names under a new guid kept under the ids
        the library has them by (``moved_episodes``): read only for a show the library
        has, that the feed brings new ids for while some of its episodes are not named."""
        if self.by_show is None:
            self.by_show = {}
            for eid, listing in self.library.listings().items():
                self.by_show.setdefault(str(listing.get("show_id")), set()).add(eid)
        stored = self.by_show.get(update.show_id, set())
        new = [eid for eid in update.episodes if eid not in stored]
        orphans = [eid for eid in stored if eid not in update.episodes]
        if not new or not orphans:
            return update
        docs = {eid: self.library.episode_doc(eid) for eid in sorted(orphans)}
        return moved_episodes(update, new, {eid: doc for eid, doc in docs.items() if doc is not None})

    def _expand(self, job: Job, read: Read, listing: OpmlList) -> list[Job]:
        subs = listing.subscriptions
        if not subs:
            # (a list with no entries at all, as an export of no feeds is, asks for nothing:
            # not a failure; entries naming no feed are a list tracker cannot read)
            self._finish(job, Outcome(job.source, not listing.without_feed, "opml", message=listing.why_empty()))
            return []
        self._finish(job, Outcome(job.source, True, "opml", message=f"lists {plural(len(subs), 'feed')}"))
        children = []
        for k, sub in enumerate(subs):
            child = Job(job.order + (k,), sub.url, sub.url, depth=1)
            try:
                child.target = listed_target(sub.url, read.base_url, read.folder)
            except ImportFailed as err:
                self._finish(child, Outcome(sub.url, False, message=str(err)))
                continue
            children.append(child)
        return children

    def _commit(self) -> None:
        if not self.batch:
            return
        batch = self.batch
        with self.parsers.paused():
            merged = merge_shows(self.library, [p.update for p, _ in batch])
        self.batch = []  # only once written: a Ctrl-C mid-write leaves it for the last commit
        for (prepared, outcome), m in zip(batch, merged):
            outcome.added, outcome.updated = m.added, m.updated
            outcome.message = f"{m.added:,} new, {m.updated:,} updated, {m.unchanged:,} unchanged" + _notes(prepared)

    def _rejoin(self) -> None:
        """Follow again the shows unsubscribed from whose feed the user named to import:
        their episodes stayed hidden though the import said what it brought (an OPML list
        naming one leaves it be, as a refresh does)."""
        done: set[str] = set()
        for sid, outcome in self.rejoined:
            if sid in done:
                continue
            done.add(sid)
            try:
                self.library.resubscribe(sid)
            except TrackerError as err:
                outcome.message += f"; still unsubscribed ({err})"
            else:
                outcome.message += "; subscribed again"

    def _apply_exchange(self) -> None:
        for job, kind, payload in sorted(self.exchange, key=lambda e: e[0].order):
            try:
                self.outcomes[job.order] = _exchange(self.library, job.source, kind, payload)
            except TrackerError as err:
                self.outcomes[job.order] = Outcome(job.source, False, kind, message=str(err))

    def _finish(self, job: Job, outcome: Outcome) -> None:
        self.outcomes[job.order] = outcome
        self.done += 1
        if self.progress is not None:
            self.progress(Progress(self.done, max(self.total, self.done), job.source, outcome))


def _exchange(library: Library, source: str, kind: str, payload: Any) -> Outcome:
    if kind == "tracker-json":
        from ..exchange.tracker_json import import_export

        summary = import_export(library, payload)
        return Outcome(source, True, kind, episodes=summary.episodes, added=summary.added,
                       updated=summary.updated, message=summary.message)
    from ..exchange.gpodder import apply_actions

    applied = apply_actions(library, payload)
    return Outcome(source, True, kind, episodes=applied.matched, updated=applied.changed, message=applied.message)


def _ends_within(seconds: float, pending: int, finished: int, elapsed: float) -> bool:
    """Whether the sources still pending should all be done within ``seconds``, at the
    pace so far: a commit due then is left to the final one, which is coming (every
    commit rewrites the files it touches, so one just before the last costs nearly as
    much again). The estimate is made again at each check, so a source that stalls
    lets the pace fall and the due commit happen."""
    return finished > 0 and pending * elapsed / finished < seconds


def _notes(prepared: Prepared) -> str:
    out = ""
    if prepared.shared_guids:
        n = prepared.shared_guids
        out += f"; {plural(n, 'item')} repeat{'s' if n == 1 else ''} another item's guid (kept apart)"
    if prepared.repeated:
        out += f"; {plural(prepared.repeated, 'duplicate item')} skipped"
    if prepared.cut_short:
        out += "; the last entry was left out: the text stops inside it (paste it whole to add it)"
    return out
