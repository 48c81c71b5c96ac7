"""One sync, start to end: subscriptions, then episode actions down, then up.

Down before up, as AntennaPod does: the newest-wins decision is made here before
anything is sent, so what goes up is already merged. Any failure stops the sync with
one ``SyncError`` line; whatever was acknowledged or applied stays, the rest waits in
the outbox and the cursors, and the next sync resumes from there.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any, Callable

from store import LibraryBusy
from store.lock import WriterLock

from ..model.errors import ImportInterrupted, SyncError
from ..model.library import Library
from .api import Api, api_class, make_api
from .book import Book, refusals
from .config import SyncSetup
from .pull import ServerLost, pull
from .push import pending_count, push
from .report import SyncReport
from .subs import RETRY_S, Importer, failing, sync_subscriptions

Progress = Callable[[str], None]
LOCK_NAME = ".sync.lock"


def run_sync(library: Library, setup: SyncSetup, progress: Progress | None = None,
             api: Api | None = None, importer: Importer | None = None) -> SyncReport:
    say = progress or (lambda _message: None)
    api = api or make_api(setup)
    me = setup.device if api.names_device else ""
    book = Book(library)
    report = SyncReport(server=setup.server)
    began = int(time.time())
    if not library.folder.is_dir():  # a first sync's library: its folder, where the lock lives
        _start(book, setup)
    lock = WriterLock(library.folder / LOCK_NAME, timeout=0.05)
    syncing = False
    try:
        with lock.held():
            syncing = True  # from here a busy library is another tracker writing, not another sync
            # Under the lock: a sync still running as the old setup would write its
            # cursors into the bookkeeping of the new one.
            _start(book, setup)
            try:
                sync_subscriptions(library, book, api, report, say, importer)
                try:
                    pull(library, book, api, me, report, say)
                except ServerLost as lost:  # as a first sync: everything read, and sent, again
                    report.notes.append(str(lost))
                    # Feeds that failed moments ago (said, and fetched) wait their day
                    # as before: the start over would fetch and say each again.
                    tried = {url: doc for url, doc in failing(book.meta()).items() if doc["at"] >= began}
                    _start(book, setup, over=True, failed=tried)
                    sync_subscriptions(library, book, api, report, say, importer)
                    pull(library, book, api, me, report, say)
                push(library, book, api, me, report, say)
            except SyncError as err:
                _finish(book, f"failed: {err}")
                err.said = tuple(report.said_once())
                raise
            except ImportInterrupted:  # Ctrl-C while a feed the phone added was fetched
                raise ImportInterrupted("interrupted: what the sync brought so far is kept; "
                                        "run `tracker sync` again to finish") from None
            finally:
                api.close()
            report.at = _finish(book, "ok")
    except LibraryBusy:
        if syncing:
            raise
        raise SyncError("another sync of this library is running; try again when it ends") from None
    return report


def _start(book: Book, setup: SyncSetup, over: bool = False, failed: dict[str, Any] | None = None) -> None:
    """A new setup (server, user or device) starts over: its cursors mean nothing here.
    So does a server that lost what it had (``over``), but this library's device stays
    the one it was (``began_at`` kept), and the feeds ``failed`` stay failing."""
    meta = book.meta()
    if over or meta.get("setup") != setup.identity:
        began = int(meta.get("began_at", 0)) if over else int(time.time())
        with book.write(agreed=True, seen=True) as w:
            w.clear()
            w.set_meta(setup=setup.identity, began_at=began, started_over=over,
                       **({"subs_failed": failed} if failed else {}))


def _finish(book: Book, result: str) -> str:
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with book.write() as w:
        w.set_meta(last_attempt=now, last_result=result, **({"last_sync": now} if result == "ok" else {}))
    return now


def synced_as(library: Library, setup: SyncSetup) -> bool:
    """Whether this library has synced as ``setup``'s device (a setup forgotten since
    included): setting it up again is that device coming back, not another one."""
    return Book(library).meta().get("setup") == setup.identity


def status(library: Library, setup: SyncSetup | None) -> dict[str, Any]:
    """What ``sync status`` shows: the setup (never the password), last sync, pending."""
    book = Book(library)
    meta = book.meta()
    same = setup is not None and meta.get("setup") == setup.identity
    return {
        "set_up": setup is not None,
        **(setup.public() if setup else {}),
        "last_sync": meta.get("last_sync") if same else None,
        "last_attempt": meta.get("last_attempt") if same else None,
        "last_result": meta.get("last_result") if same else None,
        "pending_uploads": pending_count(library, book, api_class(setup).keeps_spans) if same and setup
        else len(library.state_docs()),
        "kept_for_later": sum(len(v.get("actions", [])) for v in book.unmatched().values()) if same else 0,
        "feeds_failing": [{"url": url, "why": doc["why"], "since": _iso(doc["since"]),
                           "retry_at": _iso(doc["at"] and doc["at"] + RETRY_S)}
                          for url, doc in failing(meta).items()] if same else [],
        "refused": [{"what": str(doc.get("what", "")), "why": str(doc.get("why", ""))}
                    for _key, doc in sorted(refusals(meta).items())] if same else [],
    }


def _iso(epoch: int) -> str | None:
    """A stored time for ``sync status`` (none: an older library did not keep it)."""
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat(timespec="seconds") if epoch else None
