"""Download episode actions since the cursor and apply the winners in one undoable action.

Servers select actions by the time the device stamped them, and a phone stamps each
when it happens but uploads it when it is online again: listening done on the train
arrives stamped before the cursor of a laptop that synced in between. So a sync also
asks for the ``LATE_S`` before the cursor (every ``LOOK_BACK_EVERY_S``: the server takes
its time over a window of thousands of actions), and of those takes in only the uploads
with an action not seen before (``seen``, by digest): a late one is taken in once,
however often it comes. From the cursor on, everything is taken in as it always was.

Actions for episodes not in the catalog are kept (``unmatched``) and tried again
whenever the catalog has grown, so a phone's listening lands once its feed is imported.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any, Callable

from ..exchange.gpodder import (BadAction, EpisodeIndex, RemoteAction, format_time, parse_action, parse_time,
                                show_feed_url, tells_listening, to_item)
from ..exchange.gpodder_urls import normalize_url
from ..exchange.listening import RemoteItem, apply_remote
from ..model.library import Library
from ..model.records import EpisodeState
from ..model.words import plural
from .api import Api
from .book import NO_KEY, Agreed, Book, Key, Writer, agreed_for, digest, refusals
from .merge import Group, content_digest, groups_of, local_key, representation, winners
from .report import SyncReport

SETTLED_S = 2  # a second this far in the past gets no new actions (clients stamp "now")
AHEAD_S = 86400  # an action stamped further in the future than this is a wrong clock (a time zone is within it)
KEPT_PER_EPISODE = 50  # unmatched actions kept per unknown episode (the newest)
KEPT_TOTAL = 5000  # and in all (the newest): a server's answer must not grow sync.json without bound
LATE_S = 3 * 86400  # actions uploaded this long after they were stamped (a phone offline) still arrive
LOOK_BACK_EVERY_S = 600  # how often a sync asks for those again
SYNC_KIND = "sync"
BACK_SLACK_S = 300  # a server's clock set back this little (a time sync) is no reset


def pull(library: Library, book: Book, api: Api, me: str, report: SyncReport,
         say: Callable[[str], None]) -> None:
    meta = book.meta()
    say("downloading episode actions")
    asked_at = int(time.time())
    # The cursor is an action's timestamp, and a device with a wrong clock stamps actions in
    # the future: a cursor there would hide every action stamped before it (all real ones).
    # It never passes the time of asking; a stored one from the future is taken back.
    cursor = min(int(meta.get("actions_since", 0)), asked_at)
    window = max(0, cursor - LATE_S) if cursor else 0
    look_back = not 0 <= asked_at - int(meta.get("looked_back_at", 0)) < LOOK_BACK_EVERY_S
    since = api.since_for(window if look_back else cursor)
    docs, timestamp = api.episode_actions(since)
    _check_kept(book, meta, since, docs, timestamp, api.keeps_spans, not api.stamps_cursor_with_last_action)
    if look_back:
        book.meta_later(looked_back_at=asked_at)
    timestamp = min(timestamp, asked_at)
    if api.stamps_cursor_with_last_action and timestamp <= asked_at - SETTLED_S and docs:
        timestamp += 1  # that second was over when we asked: all of it has come, do not ask for it again
    # An upload is the actions of one device in one second, and the merge takes them as
    # one group (the last carries the resume point): one from before the cursor with any
    # action not seen before is taken in whole, one seen whole is skipped.
    # Our own uploads come back; those from before this library first synced as this
    # device were sent by another library under its name (an old computer it replaces).
    began = int(meta.get("began_at", 0))
    uploads: dict[tuple[int | None, Any], list[tuple[str, Any]]] = {}
    for doc in docs:
        who = (parse_time(doc.get("timestamp")), _device_of(doc)) if isinstance(doc, dict) else (None, None)
        if me and who[1] == me and (who[0] is None or who[0] >= began):
            continue  # our own upload coming back
        uploads.setdefault(who, []).append((digest(doc), doc))
    seen = book.seen() if uploads else {}
    taken: dict[str, int] = {}  # digest -> time of each action taken in now
    fresh: list[RemoteAction] = []
    for (ts, _device), upload in uploads.items():
        if ts is not None and ts < cursor and all(key in seen for key, _doc in upload):
            continue  # taken in before
        for key, doc in upload:
            new = key not in seen and key not in taken
            try:
                action = parse_action(doc)
            except BadAction:
                if new:
                    report.skipped_bad += 1
                    taken[key] = asked_at
                continue
            if new:
                taken[key] = action.ts
            if tells_listening(action):
                fresh.append(action)
                report.actions_down += new  # counted once, however often it comes
    stale = [key for key, doc in seen.items() if int(doc.get("ts", 0)) < window] if taken else []
    kept = book.unmatched()
    catalog_size = len(library.listings()) if kept else 0
    retry = bool(kept) and catalog_size != meta.get("catalog_size")
    if not fresh and not retry:
        book.meta_later(actions_since=max(cursor, timestamp))
        if taken:
            with book.write(seen=True) as w:
                _remember(w, taken, stale)
        return

    say(f"matching {len(fresh)} episode actions")
    index = EpisodeIndex(library)
    per_episode: dict[str, list[RemoteAction]] = {}
    still_kept: dict[str, list[dict[str, Any]]] = {}
    found_kept: list[str] = []
    for key, entry in kept.items():
        old = [_parse_quiet(d) for d in entry.get("actions", [])]
        matched = [a for a in old if a is not None]
        eid = index.find(matched[0]) if matched else None
        if eid is None:
            continue
        found_kept.append(key)
        report.applied_from_kept += len(matched)
        per_episode.setdefault(eid, []).extend(matched)
    held: dict[str, set[str]] = {}  # digests of each list's docs (a search of the list per action was quadratic)
    for action in fresh:
        eid = index.find(action)
        if eid is None:
            key = _unmatched_key(action)
            docs_for = still_kept.setdefault(key, list((kept.get(key) or {}).get("actions", [])))
            if key not in held:
                held[key] = {digest(d) for d in docs_for}
            digests = held[key]
            doc = _doc(action)
            if digest(doc) not in digests:  # the server sends the cursor's second again
                digests.add(digest(doc))
                docs_for.append(doc)
            continue
        per_episode.setdefault(eid, []).append(action)
    for key, docs in still_kept.items():
        still_kept[key] = docs[-KEPT_PER_EPISODE:]
    _cap_kept(kept, still_kept, found_kept, report)
    report.kept_for_later = sum(len(v.get("actions", [])) for k, v in kept.items()
                                if k not in found_kept and k not in still_kept)
    report.kept_for_later += sum(len(v) for v in still_kept.values())

    items, last = _decide(library, book, api, me, index, per_episode, asked_at + AHEAD_S, cursor)
    if items:
        say(f"applying {plural(len(items), 'action')} to {plural(len(last), 'episode')}")
        server, asked = api.setup.server, len(last)
        applied = apply_remote(library, items, SYNC_KIND,  # named by the episodes it changed
                               lambda changed: f"sync: listening from {server} on {plural(len(changed) or asked, 'episode')}")
        report.episodes_changed = len(applied.after) if applied else 0
    _record(library, book, api, index, last, still_kept, found_kept, max(cursor, timestamp), catalog_size,
            taken, stale)


def _decide(library: Library, book: Book, api: Api, me: str, index: EpisodeIndex,
            per_episode: dict[str, list[RemoteAction]], latest: int,
            cursor: int) -> tuple[list[RemoteItem], dict[str, Group]]:
    """Per episode: groups newer than the state here are applied whole (newest sets the
    resume point); groups older than a change made here but newer than the last
    agreement still had their spans heard, so those count as heard (never the resume
    point), unless the episode was marked new here since. So do groups that rank below
    the agreement within its very second: with one-second timestamps, a phone's action
    sent after the agreement, in the same second, can sort below it (by device name),
    and it was never seen here (spans are a union: one seen before changes nothing).
    So do groups from before the ``cursor``: they come only when never taken in before
    (a phone that uploaded them late).
    An action stamped after ``latest`` comes from a device whose clock is wrong: ranked
    by that time it would outrank every later change of the episode, on every device,
    for years, so its span counts as heard and it decides nothing."""
    states = library.state_docs()
    agreed = book.agreed()
    shows = library.shows()
    items: list[RemoteItem] = []
    last: dict[str, Group] = {}
    index.load(per_episode)
    for eid, actions in per_episode.items():
        groups = groups_of([a for a in actions if a.ts <= latest])
        doc = states.get(eid)
        ag = Agreed.from_doc(agreed.get(eid))
        ep = index.episode(eid)
        st = EpisodeState.from_doc(doc)
        current = content_digest(representation(ep, st, show_feed_url(shows.get(ep.show_id, {})), api.keeps_spans))
        local = local_key(doc, ag, me, current)
        floor = ag.key if ag else NO_KEY
        if doc is None or st.status != "new":
            items.extend(heard_only(eid, a) for a in actions if a.ts > latest and a.kind == "play")
        if st.status != "new":
            for group in groups:
                unseen = group.key[0] < cursor or (group.key < floor and group.key[0] == floor[0])
                if group.key <= local and (floor < group.key or unseen):
                    items.extend(heard_only(eid, a) for a in group.actions if a.kind == "play")
        won = winners(groups, local)
        if not won:
            continue
        for group in won:
            items.extend(to_item(eid, a) for a in group.actions)
        last[eid] = won[-1]
    return items, last


class ServerLost(Exception):
    """The server no longer has what it acknowledged (its database was reset): the
    cursors and agreements here describe a server that is gone."""


def _check_kept(book: Book, meta: dict[str, Any], since: int, docs: list[Any], timestamp: int,
                keeps_all: bool, server_clock: bool) -> None:
    """Raise ``ServerLost`` when the answer shows, honestly, that the server went back:
    its timestamp well before the ``since`` it was asked for, where that ``since`` is a
    time of its own clock (``server_clock``: a server stamping "now", never earlier), or no
    action at all where an upload it acknowledged (``uploaded_at``) stands (every server
    sends a device's own uploads back). Elsewhere the cursor is an action's time, stamped
    by a device's clock, and a server whose clock is behind it answers an empty "now"
    before it: no reset. Once per start over: a server that keeps nothing it is sent would
    start over on every sync."""
    if docs:
        if meta.get("started_over"):
            book.meta_later(started_over=False)  # it keeps what it is sent: watch it again
        return
    if meta.get("started_over"):
        return
    uploaded = int(meta.get("uploaded_at", 0))
    if (server_clock and timestamp < since - BACK_SLACK_S) or (keeps_all and uploaded and uploaded >= since):
        raise ServerLost("the sync server no longer has the listening it acknowledged (was it reset?): "
                         "reading it all again from the start and sending everything here again")


def heard_only(eid: str, action: RemoteAction) -> RemoteItem:
    return replace(to_item(eid, action), kind="heard")


def _record(library: Library, book: Book, api: Api, index: EpisodeIndex, last: dict[str, Group],
            still_kept: dict[str, list[dict[str, Any]]], found_kept: list[str], cursor: int, catalog_size: int,
            taken: dict[str, int], stale: list[str]) -> None:
    """Remember what each episode now agrees with: when the state here says exactly what the
    winning group said, nothing needs uploading; when it says more (heard here as well),
    it is left pending, so the merged state goes back up."""
    states = library.state_docs()
    shows = library.shows()
    with book.write(agreed=bool(last), seen=bool(taken)) as w:
        _remember(w, taken, stale)
        for eid, group in last.items():
            ep = index.episode(eid)
            doc = states.get(eid)
            mine = content_digest(representation(ep, EpisodeState.from_doc(doc), show_feed_url(shows.get(ep.show_id, {})), api.keeps_spans))
            key: Key = group.key
            same = mine == key[2]
            w.put_agreed(eid, agreed_for(doc, key, same=same))
            if not same:
                w.set_meta(revision_seen=-1)  # it says more than the server has: push must look
        for name in found_kept:
            w.drop_unmatched(name)
        for name, docs in still_kept.items():
            if docs:
                w.put_unmatched(name, docs)
            else:
                w.drop_unmatched(name)
        held = refusals(w.meta())  # a refused episode that took a newer state from the server is settled
        if any(f"episode:{eid}" in held for eid in last):
            w.set_meta(refused={k: v for k, v in held.items() if not (k.startswith("episode:") and k[8:] in last)})
        w.set_meta(actions_since=cursor, catalog_size=catalog_size)


def _cap_kept(kept: dict[str, dict[str, Any]], still_kept: dict[str, list[dict[str, Any]]],
              found_kept: list[str], report: SyncReport) -> None:
    """Keep at most ``KEPT_TOTAL`` actions for unknown episodes, the newest: lists that
    lose actions join ``still_kept`` (written as they are, dropped when emptied)."""
    lists = {k: list(v.get("actions", [])) for k, v in kept.items() if k not in found_kept and k not in still_kept}
    lists.update(still_kept)
    over = sum(len(v) for v in lists.values()) - KEPT_TOTAL
    if over <= 0:
        return
    stamped = sorted((parse_time(d.get("timestamp")) or 0, key, i) for key, docs in lists.items()
                     for i, d in enumerate(docs))
    gone: dict[str, set[int]] = {}
    for _ts, key, i in stamped[:over]:
        gone.setdefault(key, set()).add(i)
    for key, indexes in gone.items():
        still_kept[key] = [d for i, d in enumerate(lists[key]) if i not in indexes]
    report.notes.append(f"dropped the {over:,} oldest of the actions kept for episodes not in the catalog yet "
                        f"(at most {KEPT_TOTAL:,} are kept)")


def _remember(w: Writer, taken: dict[str, int], stale: list[str]) -> None:
    """The actions taken in now are not taken in again; those older than the window
    asked for are never sent again, so they are forgotten."""
    for key in stale:
        w.drop_seen(key)
    for key, ts in taken.items():
        w.put_seen(key, ts)


def _device_of(doc: dict[str, Any]) -> str:
    """The device an action names, as ``parse_action`` reads it: a server may send any JSON
    there, and the grouping key must be hashable."""
    device = doc.get("device")
    return device[:200] if isinstance(device, str) else ""


def _unmatched_key(action: RemoteAction) -> str:
    return digest([normalize_url(action.episode), action.guid or ""])


def _doc(action: RemoteAction) -> dict[str, Any]:
    doc: dict[str, Any] = {"podcast": action.podcast, "episode": action.episode, "action": action.kind,
                           "timestamp": format_time(action.ts), "device": action.device}
    for name in ("guid", "started", "position", "total", "title"):
        value = getattr(action, name)
        if value is not None:
            doc[name] = value
    return doc


def _parse_quiet(doc: Any) -> RemoteAction | None:
    try:
        return parse_action(doc)
    except BadAction:
        return None
