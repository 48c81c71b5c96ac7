"""Subscriptions both ways, with ``since``.

The subscriptions last agreed with the server are kept (``subs``: server URL -> local
URL). Local changes are the difference between them and the shows subscribed here;
remote changes come from the server since the cursor. A change made here and not yet
uploaded wins over an older remote one. A feed added elsewhere is fetched and imported;
one removed elsewhere is unsubscribed here (its episodes and history stay). The
server's ``update_urls`` rewrites are honoured: the server's form is what we agree on.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Sequence

from ..exchange.gpodder import show_feed_url
from ..exchange.gpodder_urls import normalize_url
from ..importers.fetch import is_url
from ..importers.service import import_each
from ..model.library import Library
from ..model.words import plural
from .api import Api, Uploaded
from .book import Book, refusals
from .apart import send_apart
from .report import SyncReport

Importer = Callable[[Library, list[str]], list[list[Any]]]  # each URL's outcomes
RETRY_S = 86400  # a feed the server names that could not be fetched is tried again after this


def failing(meta: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The feeds the server names that could not be imported: URL -> why, first and last
    try (epoch seconds). An older library kept only their URLs: those are due now."""
    stored = meta.get("subs_failed") or {}
    if isinstance(stored, list):
        return {url: {"why": "", "since": 0, "at": 0} for url in stored if isinstance(url, str)}
    return {url: {"why": str(doc.get("why", "")), "since": int(doc.get("since", 0)), "at": int(doc.get("at", 0))}
            for url, doc in stored.items() if isinstance(doc, dict)}


def _local(library: Library, agreed: dict[str, dict[str, Any]],
           subscribed: bool | None = True) -> dict[str, tuple[str, str]]:
    """Server form of each show's feed URL -> (show id, the URL as stored here). The
    server's form is the one it answered with (``update_urls``, kept in ``agreed``) when
    it rewrote the URL by rules of its own, else the URL normalised as every server does."""
    rewritten = {normalize_url(doc.get("local", url)): url for url, doc in agreed.items()}
    out: dict[str, tuple[str, str]] = {}
    hidden = library.unsubscribed()
    for sid, show in library.shows().items():
        url = show_feed_url(show)
        if url and (subscribed is None or (sid not in hidden) == subscribed):
            normal = normalize_url(url)
            out.setdefault(rewritten.get(normal, normal), (sid, url))
    return out


def sync_subscriptions(library: Library, book: Book, api: Api, report: SyncReport,
                       say: Callable[[str], None], importer: Importer | None = None) -> None:
    load = importer or (lambda lib, urls: import_each(lib, urls, lambda p: say(f"importing {p.line()}")))
    meta = book.meta()
    # A server whose clock was once wrong answers a timestamp in the future: kept as the
    # cursor, it would hide every change until then. The cursor never passes the time of
    # asking (changes asked for again are harmless: each is matched to the state here).
    asked_at = int(time.time())
    since = min(int(meta.get("subs_since", 0)), asked_at)
    say("downloading subscription changes")
    changes = api.subscription_changes(max(0, since - 1) if since else 0)  # added in the cursor's second
    changes.timestamp = min(changes.timestamp, asked_at)
    agreed = dict(book.subs())
    removed = dict.fromkeys(normalize_url(u) for u in changes.remove)
    added = [normalize_url(u) for u in changes.add]
    before = failing(meta)
    # Removed elsewhere: given up (added again later, it is new); else tried again once a
    # day, however often the server names it (it sends the cursor's second again).
    failed = {url: doc for url, doc in before.items() if url not in removed}
    retry = [url for url, doc in failed.items() if not 0 <= asked_at - doc["at"] < RETRY_S]
    here = _local(library, agreed)
    everywhere = _local(library, agreed, None)
    fresh: list[str] = []  # new here: imported below, all at once
    for url in dict.fromkeys([*retry, *(url for url in added if url not in failed)]):
        if not url:
            continue
        if url in here:
            agreed[url] = {"local": here[url][1]}
            continue
        if url in agreed and url not in retry:
            continue  # unsubscribed here since the last sync: that change goes up below
        if url in everywhere:
            sid, local_url = everywhere[url]
            library.resubscribe(sid)
            report.feeds_resubscribed.append(library.show_title(sid) or local_url)
            agreed[url] = {"local": local_url}
            continue
        fresh.append(url)
    # Feeds added elsewhere (150 on a first sync from a phone) go in one import: fetched
    # in parallel and saved in batches, each URL's outcomes then booked as its own.
    wanted = [url for url in fresh if is_url(url)]
    if wanted:
        say(f"importing {plural(len(wanted), 'feed')}")
    loaded = dict(zip(wanted, load(library, wanted) if wanted else []))
    for url in fresh:
        if url not in loaded:  # file:// (or ftp://) names nothing the server may make this computer read
            report.failures.append(f"{url}: refused: a sync server may name only http(s) feeds, not files or other schemes")
            continue
        outcomes = loaded[url]
        if outcomes and all(getattr(o, "ok", False) for o in outcomes):
            report.feeds_imported.append(str(next((o.show for o in outcomes if getattr(o, "show", None)), url)))
            agreed[url] = {"local": url}
            failed.pop(url, None)
        else:
            why = str(next((o.message for o in outcomes if not getattr(o, "ok", True)), "no answer"))
            last = failed.get(url)
            if last is None or last["why"] != why:  # the same failure is said once
                report.failures.append(f"{url}: {why}")
            failed[url] = {"why": why, "since": last["since"] if last else asked_at, "at": asked_at}
    # A feed that moved comes as its new URL added and the old one removed, and importing
    # the new URL moved the show there (same podcast:guid): the old URL's removal must not
    # unsubscribe it, so a removal applies to a show still known by that URL.
    still = _local(library, agreed)
    for url in removed:
        if url in here and url in still and url in agreed:
            sid = here[url][0]
            library.unsubscribe(sid)
            report.feeds_unsubscribed.append(library.show_title(sid) or url)
        agreed.pop(url, None)

    here = _local(library, agreed)
    adds = {url: local for url, (_sid, local) in here.items() if url not in agreed}
    removes = {url: doc.get("local", url) for url, doc in agreed.items() if url not in here}
    # A refusal is listed until the server takes a change of that feed, or names it.
    held_before = refusals(meta)
    settled = {*adds, *removes, *added, *removed}
    held = {k: v for k, v in held_before.items() if not (k.startswith("sub:") and k[4:] in settled)}
    if adds or removes:
        say("uploading subscription changes")
        rewritten, refused = _upload(api, adds, removes)
        for url, local in adds.items():
            agreed[rewritten.get(url, url)] = {"local": local}
        for url in removes:
            agreed.pop(url, None)
        report.subscriptions_up = len(adds) + len(removes) - len(refused)
        for url, why in refused.items():
            what = f"the subscription {'to' if url in adds else 'removal of'} {adds.get(url) or removes[url]}"
            held[f"sub:{url}"] = {"what": what, "why": why}
            note = f"the sync server refused {what} ({why}): left out"
            if note not in report.notes:  # a start over (server reset) sends it again in the same sync
                report.notes.append(note)
    for url in [u for u in failed if u in agreed]:  # imported by hand, or subscribed here meanwhile
        failed.pop(url)
    current = book.subs()
    if agreed == current and failed == before and held == held_before:
        book.meta_later(subs_since=changes.timestamp)
        return
    with book.write() as w:
        for url in current:
            if url not in agreed:
                w.drop_sub(url)
        for url, doc in agreed.items():
            if current.get(url) != doc:
                w.put_sub(url, doc.get("local", url))
        w.set_meta(subs_since=changes.timestamp, subs_failed=failed, refused=held)


def _upload(api: Api, adds: dict[str, str], removes: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Send the changes (``send_apart``): the server's rewrites, and the changes it refused
    and why. A refused change is left out (taken as agreed)."""
    changes = [(url, local, True) for url, local in adds.items()] + [(url, local, False) for url, local in removes.items()]

    def send(part: Sequence[tuple[str, str, bool]]) -> Uploaded:
        return api.upload_subscriptions([local for _, local, add in part if add], [local for _, local, add in part if not add])

    answers, refused = send_apart(changes, send)
    rewritten = {normalize_url(old): normalize_url(new) for one in answers for old, new in one.update_urls if new}
    return rewritten, {changes[i][0]: why for i, why in refused.items()}
