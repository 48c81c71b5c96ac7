"""Generated libraries and feeds for the benchmarks (deterministic, realistic sizes).

An episode is about 1 KB: a 600-byte description and five chapters. One show per
100 episodes; one episode in ten has listening state, as a long-time listener's would.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path
from typing import Any

from tracker.model.catalog import merge_show
from tracker.model.files import (CATALOG_FILE, DETAIL_NAMES, DETAILS, EPISODES, LISTING_NAMES, NOTE_NAMES, NOTES,
                                 SHOWS, STATE_FILE, ACTIONS, SEQ, details_file, listing_file, notes_file, split)
from tracker.model.library import Library
from tracker.model.records import EpisodeState

WORDS = ("kernel latency queue storage network compiler thread memory cache index page disk "
         "socket protocol schema backup replica shard vector tensor lambda closure").split()


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def episode_doc(rng: random.Random, show: str, sid: str, i: int) -> dict[str, Any]:
    duration = rng.randint(900, 7200)
    starts = sorted({0, *(rng.randint(60, duration - 60) for _ in range(4))})
    chapters = [
        {"title": sentence(rng, 3), "start_s": s, "end_s": starts[k + 1] if k + 1 < len(starts) else duration}
        for k, s in enumerate(starts)
    ]
    return {
        "show_id": sid, "show": show, "title": f"{sentence(rng, 6)} #{i}",
        "published": f"20{10 + i % 15:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00+00:00",
        "duration_s": duration, "guid": f"guid-{sid}-{i}", "audio_url": f"https://cdn.example/{sid}/{i}.mp3",
        "link": f"https://example.com/{sid}/{i}", "season": None, "number": i,
        "chapters": chapters, "chapters_source": "psc",
    }


def eid_for(i: int) -> str:
    return hashlib.sha1(f"episode {i}".encode()).hexdigest()[:12]


def make_library(folder: Path, n: int, seed: int = 7) -> Library:
    rng = random.Random(seed)
    library = Library(folder)
    per_show = 100
    for start in range(0, n, per_show * 50):  # a few transactions keep memory flat at 100k
        with library.store.transaction(CATALOG_FILE, *LISTING_NAMES, *DETAIL_NAMES, *NOTE_NAMES) as tx:
            for i in range(start, min(n, start + per_show * 50)):
                sid = f"show{i // per_show:05d}"
                show = f"Show number {i // per_show}"
                if i % per_show == 0:
                    tx.put(CATALOG_FILE, SHOWS, sid, {"title": show, "kind": "rss"})
                eid = eid_for(i)
                listing, details = split(episode_doc(rng, show, sid, i))
                tx.put(listing_file(eid), EPISODES, eid, listing)
                tx.put(details_file(eid), DETAILS, eid, details)
                tx.put(notes_file(eid), NOTES, eid, {"text": sentence(rng, 80)})
    with library.store.transaction(STATE_FILE) as tx:
        for i in range(0, n, 10):
            position = float(rng.randint(1, 900))
            st = EpisodeState("listened" if i % 20 == 0 else "in_progress", position, ((0.0, position),),
                              updated_at="2026-01-01T00:00:00+00:00")
            tx.put(STATE_FILE, EPISODES, eid_for(i), {**st.to_doc(), "heard_s": position})
    return library


def make_feed(n: int, seed: int = 11) -> bytes:
    """An RSS feed of ``n`` items, about 1.6 KB each, with psc chapters on every fifth item."""
    rng = random.Random(seed)
    items = []
    for i in range(n):
        chapters = ""
        if i % 5 == 0:
            chapters = ('<psc:chapters version="1.2">'
                        + "".join(f'<psc:chapter start="{m}:00" title="{sentence(rng, 3)}"/>' for m in (0, 5, 12, 20))
                        + "</psc:chapters>")
        items.append(
            f"<item><title>{sentence(rng, 7)} #{i}</title><guid isPermaLink=\"false\">item-{i}</guid>"
            f"<pubDate>Tue, 07 May 2024 14:{i % 60:02d}:00 +0000</pubDate>"
            f'<enclosure url="https://cdn.example/{i}.mp3" length="123456" type="audio/mpeg"/>'
            f"<itunes:duration>{rng.randint(10, 120)}:{rng.randint(0, 59):02d}</itunes:duration>"
            f"<link>https://example.com/ep/{i}</link>"
            f"<description><![CDATA[<p>{sentence(rng, 100)}</p><p>{sentence(rng, 64)} &amp; more.</p>]]></description>"
            f"{chapters}</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:psc="http://podlove.org/simple-chapters">'
        "<channel><title>Generated Show</title><link>https://example.com/</link><description>Bench</description>"
        + "\n".join(items) + "</channel></rss>"
    ).encode()


def merge(library: Library, sid: str, show: dict[str, Any], episodes: dict[str, dict[str, Any]]) -> None:
    merge_show(library, sid, show, episodes, {k: "" for k in episodes})


def add_history(library: Library, actions: int) -> None:
    """``actions`` past changes, laid out as the model keeps them: the newest in the
    recent file, the rest in the archive (what years of daily listening leave)."""
    from tracker.model import history

    eids = list(library.listings())
    library.report_progress(eids[0], 30.0)  # one real action, copied with other numbers
    template = library.history(1)[0].to_doc()
    keep = history.RECENT_KEEP
    with library.store.transaction(history.RECENT, history.ARCHIVE) as tx:
        for seq in range(1, actions + 1):
            doc = {**template, "at": f"2025-01-01T00:00:{seq % 60:02d}+00:00"}
            tx.put(history.RECENT if seq > actions - keep else history.ARCHIVE, ACTIONS, str(seq), doc)
        tx.put(history.RECENT, SEQ, "next", {"n": actions + 1})


def add_listening(library: Library, actions: int, days: int = 730, seed: int = 5) -> None:
    """``actions`` past progress reports spread over the last ``days`` days, written as
    the model keeps them: each episode's state (heard spans, stats numbers), the day
    log, and every action in the history (the newest in the recent file within its
    budget, the rest in the archive). Computed with the model's own rules, written in
    a few transactions (real reports would take hours at 100k)."""
    from datetime import datetime, timedelta, timezone

    from tracker.model import daylog, history
    from tracker.model import progress as prog
    from tracker.model.files import DAYS, QUEUE, QUEUE_KEY, REVISION
    from tracker.model.records import Action

    rng = random.Random(seed)
    ids = sorted(library.listings())
    episodes = {ep.id: ep for ep in library.episodes_of(ids)}
    states: dict[str, EpisodeState] = {eid: EpisodeState.from_doc(doc) for eid, doc in library.state_docs().items()}
    log: dict[str, dict[str, float]] = {}
    docs: dict[str, dict[str, Any]] = {}
    start = datetime.now(timezone.utc) - timedelta(days=days)
    for seq in range(1, actions + 1):
        ep = episodes[ids[rng.randrange(len(ids))]]
        when = (start + timedelta(seconds=seq * days * 86400 / actions)).isoformat(timespec="seconds")
        st = states.get(ep.id, EpisodeState())
        position = min(float(ep.duration_s or 3600), st.position_s + rng.randint(60, 1800))
        new = prog.report_position(ep, st, position, when)
        gained = round(new.heard_s - st.heard_s, 3)
        day = daylog.local_day(when)
        credit = {day: {ep.show_id: gained}} if gained > 0 else {}
        if gained > 0:
            shows = log.setdefault(day, {})
            shows[ep.show_id] = round(shows.get(ep.show_id, 0.0) + gained, 3)
        before = {**st.to_doc(), **prog.tally(ep, st)} if ep.id in states else None
        after = {**new.with_(rev=seq).to_doc(), **prog.tally(ep, new)}
        states[ep.id] = new.with_(rev=seq)
        action = Action(seq, when, "progress", (ep.id,), f"“{ep.title}”: listened up to {position:g}",
                        {ep.id: before}, {ep.id: after}, credit=credit)
        docs[str(seq)] = action.to_doc()
    with library.store.transaction(STATE_FILE) as tx:
        for eid, st in states.items():
            tx.put(STATE_FILE, EPISODES, eid, {**st.to_doc(), **prog.tally(episodes[eid], st)})
        for day, shows in log.items():
            tx.put(STATE_FILE, DAYS, day, shows)
        tx.put(STATE_FILE, REVISION, "rev", {"n": actions})
        queued = [eid for eid in rng.sample(ids, min(len(ids), 60)) if states.get(eid, EpisodeState()).status != "listened"]
        tx.put(STATE_FILE, QUEUE, QUEUE_KEY, {"items": [[eid, None] for eid in queued[:20]]})  # a queue of 20
    keep = history.RECENT_KEEP
    with library.store.transaction(history.RECENT, history.ARCHIVE) as tx:
        for seq, doc in docs.items():
            tx.put(history.RECENT if int(seq) > actions - keep else history.ARCHIVE, ACTIONS, seq, doc)
        tx.put(history.RECENT, SEQ, "next", {"n": actions + 1})
