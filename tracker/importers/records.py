"""What an importer reads from a source, before it reaches the catalog."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ..chapters.records import ChapterIn


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


def short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def show_id(title: str) -> str:
    """A show is known by its name: the same show from a file or a URL is one show."""
    return short_hash("show:" + " ".join(title.casefold().split()))


def episode_id(sid: str, ep: FeedEpisode) -> str:
    """Stable across re-imports: the guid, else the enclosure URL, else show, title and date."""
    if ep.guid:
        key = "guid:" + ep.guid.strip()
    elif ep.audio_url:
        key = "url:" + ep.audio_url.strip()
    else:
        key = "t:" + "\x00".join([" ".join(ep.title.split()), ep.published or ""])
    return short_hash(sid + "\x00" + key)
