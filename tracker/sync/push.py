"""Upload local listening: changed episodes go to the outbox, the outbox goes up in
batches of 30, and an entry leaves the outbox only once the server has acknowledged it.

A state is "changed" when it differs from the one last agreed with the server (see
``book.py``), so local listening of any origin (the CLI, the TUI, playback, an undo)
goes up without a hook in each. Each attempt stamps its actions with the time of
sending: an action stamped earlier, uploaded late after a failure, would sit behind
the cursors other devices already hold and never reach them.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable

from ..exchange.gpodder import format_time, show_feed_url
from ..model.library import Library
from ..model.records import EpisodeState
from .api import BATCH, Api
from .book import NO_KEY, Agreed, Book, agreed_for, batches, refusals, revision_of, state_sig
from .apart import send_apart
from .merge import content_digest, representation
from .report import SyncReport

FLUSH_EVERY = 3000  # acknowledged episodes are written out at least this often during a long upload
# (what was acknowledged and not yet written is sent again after a crash: harmless, it is the same)


def pending_count(library: Library, book: Book, keeps_spans: bool = True) -> int:
    """Episodes whose listening has not reached the server yet (for ``sync status``): a
    change the actions cannot carry (a chapter marked done or skipped) or an episode
    left out (no audio URL) waits for nothing, as the next sync finds."""
    states = library.state_docs()
    outbox = book.outbox()
    listings = library.listings()
    changed = [eid for eid in book.changed(states) if eid not in outbox and eid in listings]
    if not changed:
        return len(outbox)
    agreed = book.agreed()
    shows = library.shows()
    count = len(outbox)
    for ep in library.episodes_of(changed):
        podcast = show_feed_url(shows.get(ep.show_id, {}))
        if not ep.audio_url or not podcast:
            continue
        actions = representation(ep, EpisodeState.from_doc(states.get(ep.id)), podcast, keeps_spans)
        ag = Agreed.from_doc(agreed.get(ep.id))
        count += bool(actions) and (ag is None or ag.key[2] != content_digest(actions))
    return count


def push(library: Library, book: Book, api: Api, me: str, report: SyncReport, say: Callable[[str], None]) -> None:
    _fill_outbox(library, book, api, report)
    outbox = book.outbox()
    if not outbox:
        return
    stamp_epoch = int(datetime.now(timezone.utc).timestamp())
    stamp = format_time(stamp_epoch)
    queue: list[tuple[str, dict[str, Any], bool]] = []  # (episode, action, last of its episode)
    for eid in sorted(outbox):
        actions = outbox[eid].get("actions", [])
        for i, action in enumerate(actions):
            doc = {**action, "timestamp": stamp}
            if api.names_device:
                doc["device"] = me
            queue.append((eid, doc, i == len(actions) - 1))
    if len(queue) > 2 * BATCH:
        api.open_session()
    done: list[str] = []
    sent: list[str] = []  # every episode acknowledged, refused or not
    refused: dict[str, str] = {}  # episode -> why, for every episode with an action refused
    try:
        for n, batch in enumerate(batches(queue, BATCH), start=1):
            say(f"uploading episode actions {min(n * BATCH, len(queue)):,}/{len(queue):,}")
            refused_now, left_out = _upload(api, batch)
            refused.update(refused_now)
            report.actions_up += len(batch) - left_out
            done.extend(eid for eid, _doc, last in batch if last)
            if len(done) >= FLUSH_EVERY:
                _acknowledge(book, outbox, done, stamp_epoch, me, report.actions_up > 0)
                report.episodes_up += sum(eid not in refused for eid in done)
                sent += done
                done = []
    finally:
        _acknowledge(book, outbox, done, stamp_epoch, me, report.actions_up > 0)
        report.episodes_up += sum(eid not in refused for eid in done)
        sent += done
        held_before = refusals(book.meta())
        held = {k: v for k, v in held_before.items() if not (k.startswith("episode:") and k[8:] in sent)}
        for ep in library.episodes_of([eid for eid in refused if eid in sent]):
            what = f"the listening of “{ep.title}”"
            held[f"episode:{ep.id}"] = {"what": what, "why": refused[ep.id]}
            report.notes.append(f"the sync server refused {what} ({refused[ep.id]}): "
                                "left out; it goes up again when it changes here")
        if held != held_before:
            with book.write() as w:
                w.set_meta(refused=held)


def _upload(api: Api, batch: list[tuple[str, dict[str, Any], bool]]) -> tuple[dict[str, str], int]:
    """Send one batch (``send_apart``): the episodes of the actions the server refused,
    with why, and how many actions. A refused action is left out like an acknowledged one,
    so it no longer holds back every later upload."""
    _answers, refused = send_apart(batch, lambda part: api.upload_actions([doc for _eid, doc, _last in part]))
    by_episode: dict[str, str] = {}
    for i, why in refused.items():
        by_episode.setdefault(batch[i][0], why)
    return by_episode, len(refused)


def _fill_outbox(library: Library, book: Book, api: Api, report: SyncReport) -> None:
    """Put every changed episode's actions in the outbox (one write). When nothing was
    written to the library since the last look (its revision is the same), there is
    nothing to look at: a sync with nothing to do reads no state."""
    revision = library.revision()
    outbox = book.outbox()
    if not outbox and book.meta().get("revision_seen") == revision:
        return
    states = library.state_docs()
    agreed = book.agreed()
    changed = [eid for eid in book.changed(states) if (outbox.get(eid) or {}).get("sig") != state_sig(states.get(eid))]
    book.meta_later(revision_seen=revision)
    if not changed:
        return
    listings = library.listings()
    known = [eid for eid in changed if eid in listings]
    shows = library.shows()
    with book.write(agreed=True) as w:
        for ep in library.episodes_of(known):
            doc = states.get(ep.id)
            sig = state_sig(doc)
            podcast = show_feed_url(shows.get(ep.show_id, {}))
            ag = Agreed.from_doc(agreed.get(ep.id))
            if not ep.audio_url or not podcast:
                why = "no audio URL" if not ep.audio_url else "its show has no feed URL"
                report.left_out.append(f"“{ep.title}” ({why})")
                w.put_agreed(ep.id, agreed_for(doc, ag.key if ag else NO_KEY))
                w.drop_outbox(ep.id)
                continue
            actions = representation(ep, EpisodeState.from_doc(doc), podcast, api.keeps_spans)
            dig = content_digest(actions)
            if not actions or (ag is not None and ag.key[2] == dig):
                w.put_agreed(ep.id, agreed_for(doc, ag.key if ag else (-1, "", dig)))  # nothing new to say
                w.drop_outbox(ep.id)
                continue
            w.put_outbox(ep.id, {"sig": sig, "rev": revision_of(doc), "dig": dig, "actions": actions})


def _acknowledge(book: Book, outbox: dict[str, dict[str, Any]], done: list[str], stamp: int, me: str,
                 stored: bool) -> None:
    """The server has these episodes' actions: they leave the outbox and become the agreed state."""
    if not done:
        return
    with book.write(agreed=True) as w:
        for eid in done:
            sent = outbox[eid]
            current = w.get_outbox(eid)
            if current is not None and current.get("sig") == sent.get("sig"):
                w.drop_outbox(eid)
            w.put_agreed(eid, Agreed(sent.get("sig", ""), (stamp, me, sent.get("dig", "")), int(sent.get("rev") or 0)))
        if stored:  # (not when every action was refused)
            w.set_meta(uploaded_at=stamp)  # the server has actions stamped then: see ``pull._check_kept``
