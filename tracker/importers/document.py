"""One source, read and understood: bytes from a URL, a file or standard input, their
format, the show they hold with its chapters, and the catalog update they make.

Everything here runs on a worker thread except ``to_update``, which needs the show's
identity (the coordinator's index of the library's shows).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from ..chapters.choose import choose
from ..chapters.records import finish, past_end
from ..model.catalog import KEEP_FILE_CHAPTERS, ShowUpdate
from ..model.daylog import utc_now
from .detect import detect
from .fetch import fetch
from .find_chapters import ChapterFiles, file_sources, notes_sources
from .identity import Origin, key_of, new_show_id, own_address
from .records import FeedShow, cap_lengths, episode_id_of, episode_keys
from .sources import kind_of, local_path, read_file, read_stdin, text_path

STRUCTURED = ("json", "psc", "id3")  # chapter sources the publisher wrote, not guessed from notes


@dataclass
class Read:
    """A source's bytes and where they came from."""

    source: str
    raw: bytes = b""
    origin: Origin = field(default_factory=Origin)
    base_url: str | None = None  # the address after redirects: where relative links resolve
    moved_to: str | None = None  # the same, when every redirect was permanent: where the feed now lives
    folder: Path | None = None  # a local file's folder
    name: str = ""  # what an untitled show is called: its URL or file name
    validators: dict[str, str | None] = field(default_factory=dict)
    not_modified: bool = False


def read_source(target: str, validators: dict[str, str | None] | None = None,
                gate: threading.Semaphore | None = None, stdin: BinaryIO | None = None) -> Read:
    """Fetch or read ``target`` (a URL, a path, or ``-`` for standard input)."""
    kind = kind_of(target)
    if kind == "url":
        known = validators or {}
        got = fetch(target, etag=known.get("etag"), last_modified=known.get("last_modified"), gate=gate)
        return Read(target, got.body, Origin(url=target), base_url=got.url, name=target,
                    validators={"etag": got.etag, "last_modified": got.last_modified},
                    not_modified=got.not_modified, moved_to=got.moved_to)
    if kind == "stdin":
        return Read(target, read_stdin(stream=stdin), name="standard input")
    path = local_path(target)
    raw = read_file(path)
    absolute = path.resolve()
    return Read(target, raw, Origin(path=str(absolute)), folder=absolute.parent, name=absolute.name)


def parse(read: Read, files: ChapterFiles) -> tuple[str, Any]:
    """``(kind, what)``: a ``FeedShow`` with its chapter sources for feeds and show
    pages, the subscriptions for OPML, the document for tracker exports and gpodder actions."""
    kind, what = understand(read)
    if isinstance(what, FeedShow):
        file_sources(what, read.base_url, read.folder, files)
    return kind, what


def understand(read: Read, alone: bool = False) -> tuple[str, Any]:
    """The CPU-bound part of ``parse`` (format, feed, show-notes chapters): no I/O, so
    it may run in another process; chapter files are read afterwards. ``alone``: the
    import's only document (a large feed may then be read on two cores)."""
    kind, payload = detect(read.raw)
    if kind == "opml":
        from .opml import parse_opml

        return kind, parse_opml(payload)
    if kind in ("tracker-json", "gpodder"):
        return kind, payload
    if read.origin.path is not None:  # a feed's file is its show's identity, kept as text
        text_path(read.origin.path)
    show = cap_lengths(_parse_feed(kind, payload, read, alone))
    notes_sources(show)
    show.feed_url = show.feed_url or own_address(show, read.origin)
    # A permanent redirect says what itunes:new-feed-url says (the feed's own word first):
    # the show is found there when imported by that address, and refreshed there.
    show.new_feed_url = show.new_feed_url or read.moved_to
    return kind, show


def _parse_feed(kind: str, payload: Any, read: Read, alone: bool) -> FeedShow:
    feed_url = read.origin.url
    if kind == "rss":
        from .rss import parse_rss

        return parse_rss(payload, feed_url, read.name, read.base_url, alone)
    if kind == "atom":
        from .atom import parse_atom

        return parse_atom(payload, feed_url, read.name, read.base_url, alone)
    from .showpage import parse_show_page

    return parse_show_page(payload)


@dataclass
class Prepared:
    update: ShowUpdate
    episodes: int
    shared_guids: int = 0
    repeated: int = 0
    cut_short: int = 0  # (``FeedShow.cut_short``)


@dataclass
class Draft:
    """A catalog update made where the feed was parsed, under the id a new show gets;
    ``keys`` name its episodes inside the show, in order, so that the update can be
    given another show's id and key (``under``) without the episodes."""

    show_id: str
    key: str
    prepared: Prepared
    keys: list[str]

    def under(self, sid: str, key: str) -> Prepared:
        """The update as ``to_update`` makes it for the show ``sid`` stored under ``key``."""
        if (sid, key) == (self.show_id, self.key):
            return self.prepared
        old = self.prepared
        update = old.update
        ids = dict(zip(update.episodes, (episode_id_of(sid, k) for k in self.keys)))
        details = update.details or {}
        moved = ShowUpdate(sid, {**update.show, "key": key},
                           {ids[e]: {**doc, "show_id": sid} for e, doc in update.episodes.items()},
                           {ids[e]: text for e, text in update.notes.items()},
                           {ids[e]: doc for e, doc in details.items()}, partial=update.partial)
        return Prepared(moved, old.episodes, old.shared_guids, old.repeated, old.cut_short)


def draft(show: FeedShow, read: Read, kind: str) -> Draft:
    """``to_update`` under the id a new show with this show's key gets, with its keys."""
    key = key_of(show, read.origin)
    sid = new_show_id(key)
    named = episode_keys(show.episodes)  # (once: the update and the draft both need them)
    keys = [k for k in named[0] if k is not None]
    return Draft(sid, key, to_update(show, sid, key, read, kind, named), keys)


def to_update(show: FeedShow, sid: str, key: str, read: Read, kind: str,
              named: tuple[list[str | None], int, int] | None = None) -> Prepared:
    """The catalog update for ``show`` under the id its identity gave it (``named``: its
    ``episode_keys``, when known already)."""
    show_doc: dict[str, Any] = {
        "title": show.title,
        "kind": kind,
        "key": key,
        "feed_url": show.feed_url,
        "path": read.origin.path,
        "link": show.link,
        "author": show.author,
        "description": show.description,
        "source": read.source,
        "language": show.language,
        "podcast_guid": show.podcast_guid,
        "self_url": show.self_url,
        "new_feed_url": show.new_feed_url,
    }
    if read.origin.url:
        show_doc.update(read.validators)
        show_doc["fetched_at"] = utc_now()  # the TUI's Shows screen
    keys, shared, repeated = named or episode_keys(show.episodes)
    ids = [None if k is None else episode_id_of(sid, k) for k in keys]
    listings: dict[str, dict[str, Any]] = {}
    details: dict[str, dict[str, Any]] = {}
    notes: dict[str, str] = {}
    for eid, ep in zip(ids, show.episodes):
        if eid is None:
            continue
        duration = ep.duration_s
        source_name: str | None = None
        chapters: list[dict[str, Any]] = []
        if ep.chapter_sources:
            source_name, found = choose(ep.chapter_sources)
            if source_name in STRUCTURED and past_end(found, duration):
                duration = None  # the publisher's chapters run past it: the declared length is wrong
            chapters = finish(found, duration)
        # (the listing and the details as the catalog keeps them: ``files.split``'s halves)
        listings[eid] = {"show_id": sid, "title": ep.title, "published": ep.published, "duration_s": duration}
        details[eid] = {
            "guid": ep.guid,
            "audio_url": ep.audio_url,
            "link": ep.link,
            "season": ep.season,
            "number": ep.number,
            "chapters": chapters,
            "chapters_source": source_name,
        }
        if ep.chapters_unread:
            details[eid][KEEP_FILE_CHAPTERS] = True
        notes[eid] = ep.description
    if read.origin.url and show.chapters_later:
        # A chapters file not read for now is tried again by the next refresh: without the
        # feed's validators it reads the feed whole ("not modified" would leave it unread).
        show_doc.update(etag="", last_modified="")
    update = ShowUpdate(sid, show_doc, listings, notes, details, partial=kind == "showpage")
    return Prepared(update, len(listings), shared, repeated, show.cut_short)
