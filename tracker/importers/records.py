"""What an importer reads from a source, before it reaches the catalog."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hashlib import sha1
else:
    try:  # the built-in SHA-1: ``hashlib`` loads OpenSSL first (~5 ms of every start) for the same digest
        from _sha1 import sha1
    except ImportError:  # a Python built without it
        from hashlib import sha1

from ..chapters.records import ChapterIn
from ..model.text import capped_title, usable_url


@dataclass
class FeedEpisode:
    title: str
    published: str | None = None
    duration_s: float | None = None
    description: str = ""
    audio_url: str | None = None
    link: str | None = None
    guid: str | None = None
    season: int | None = None
    number: int | None = None
    chapter_sources: dict[str, list[ChapterIn]] = field(default_factory=dict)
    chapters_url: str | None = None  # Podcasting 2.0 JSON chapters, fetched later
    date_text: str | None = None  # a numeric date (08/02/2013), read once the feed's language is known
    chapters_unread: bool = False  # its chapters file could not be read this time (set after parsing)


Row = tuple[Any, ...]


def episodes_to_rows(episodes: list[FeedEpisode]) -> list[Row]:
    """Episodes as tuples of plain values (in field order), cheap to send to another
    process; ``episodes_from_rows`` makes them again. Chapters go as plain tuples: pickle
    makes a Python call for each named tuple, which doubled the cost of sending a feed."""
    return [(e.title, e.published, e.duration_s, e.description, e.audio_url, e.link, e.guid, e.season,
             e.number, {k: [tuple(c) for c in v] for k, v in e.chapter_sources.items()} if e.chapter_sources else {},
             e.chapters_url, e.date_text, e.chapters_unread) for e in episodes]


def episodes_from_rows(rows: list[Row]) -> list[FeedEpisode]:
    out = [FeedEpisode(*row) for row in rows]
    make = ChapterIn._make
    for ep in out:
        if ep.chapter_sources:
            ep.chapter_sources = {k: [make(c) for c in v] for k, v in ep.chapter_sources.items()}
    return out


@dataclass
class FeedShow:
    title: str
    kind: str  # rss, atom, showpage
    feed_url: str | None = None
    link: str | None = None
    author: str | None = None
    description: str = ""
    episodes: list[FeedEpisode] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    language: str | None = None
    podcast_guid: str | None = None  # <podcast:guid>: the show's identity wherever it moves
    self_url: str | None = None  # where the feed says it lives (atom:link rel=self)
    new_feed_url: str | None = None  # where it says it moved (itunes:new-feed-url)
    untitled: bool = False  # the source had no title: ``title`` names the URL or file
    chapters_later: bool = False  # a chapters file could not be read for now (server down, turned off)
    cut_short: int = 0  # entries of a pasted show page whose text stops inside them: left out


def cap_lengths(show: FeedShow) -> FeedShow:
    """Titles and names cut to ``MAX_TITLE``, over-long URLs dropped, before anything is
    keyed, stored or printed (descriptions have their own cap where they are made)."""
    show.title = capped_title(show.title)
    show.author = capped_title(show.author) if show.author else show.author
    show.link = usable_url(show.link)
    show.self_url = usable_url(show.self_url)
    show.new_feed_url = usable_url(show.new_feed_url)
    for ep in show.episodes:
        ep.title = capped_title(ep.title)
        ep.audio_url = usable_url(ep.audio_url)
        ep.link = usable_url(ep.link)
        ep.chapters_url = usable_url(ep.chapters_url)
    return show


def short_hash(text: str) -> str:
    return sha1(text.encode("utf-8")).hexdigest()[:12]


def title_key(title: str) -> str:
    return " ".join(title.casefold().split())


def show_id(title: str) -> str:
    """The id a show named ``title`` had before shows were known by their feed URL
    (and still has where nothing else names it: a pasted show page)."""
    return short_hash("show:" + title_key(title))


def episode_key(ep: FeedEpisode) -> str:
    """What names an episode inside its show: the guid, else the enclosure URL, else title and date."""
    if ep.guid:
        return "guid:" + ep.guid.strip()
    if ep.audio_url:
        return "url:" + ep.audio_url.strip()
    return "t:" + "\x00".join([" ".join(ep.title.split()), ep.published or ""])


def episode_id(sid: str, ep: FeedEpisode, key: str | None = None) -> str:
    """Stable across re-imports: a hash of the show's id and the episode's key."""
    return episode_id_of(sid, key or episode_key(ep))


def episode_id_of(sid: str, key: str) -> str:
    """``episode_id`` from the episode's key (``episode_keys``)."""
    return short_hash(f"{sid}\x00{key}")


def _guids_held(episodes: list[FeedEpisode], base: list[str]) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """How many distinct items hold each guid key, and each guid key with an enclosure
    (counted apart only where a guid is held twice: most feeds have none). ``base``: each
    episode's ``episode_key``."""
    held: dict[str, int] = {}
    for ep, key in zip(episodes, base):
        if ep.guid:
            held[key] = held.get(key, 0) + 1
    pairs: dict[tuple[str, str], int] = {}
    if len(held) == sum(held.values()):
        return held, pairs
    distinct = {(ep.guid, ep.audio_url, " ".join(ep.title.split()), ep.published): (ep, key)
                for ep, key in zip(episodes, base)}
    held = {}
    for ep, key in distinct.values():
        if ep.guid:
            held[key] = held.get(key, 0) + 1
            pairs[key, ep.audio_url or ""] = pairs.get((key, ep.audio_url or ""), 0) + 1
    return held, pairs


def episode_keys(episodes: list[FeedEpisode]) -> tuple[list[str | None], int, int]:
    """What names each episode inside its show (its id is made from this and the show's
    id: ``episode_id_of``; ``None``: it repeats another item whole, and is not stored
    twice), how many items repeated another's guid (kept apart by what differs: the
    enclosure, else title and date), and how many repeated another item whole.

    Every item of a guid that several hold is keyed by what differs, the first as the
    others: keyed by the guid alone, the newest item's id passed to the next episode
    published (with what was heard of it)."""
    base = [episode_key(ep) for ep in episodes]
    held, pairs = _guids_held(episodes, base)
    out: list[str | None] = []
    keys: set[str] = set()
    seen_guids: set[str] = set()
    whole: set[tuple[str | None, ...]] = set()
    shared = repeated = 0
    for ep, key in zip(episodes, base):
        same = (ep.guid, ep.audio_url, " ".join(ep.title.split()), ep.published)
        if same in whole:
            out.append(None)
            repeated += 1
            continue
        whole.add(same)
        if ep.guid and held[key] > 1:
            if key in seen_guids:
                shared += 1
            seen_guids.add(key)
            url_key = f"{key}\x00url:{ep.audio_url or ''}"
            key = url_key if pairs[key, ep.audio_url or ""] == 1 else f"{url_key}\x00t:{same[2]}\x00{ep.published or ''}"
        if key in keys:  # no guid, and the same enclosure: one episode
            out.append(None)
            repeated += 1
            continue
        keys.add(key)
        out.append(key)
    return out, shared, repeated
