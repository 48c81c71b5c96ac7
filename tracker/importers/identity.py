"""Which show a source is: its feed URL (or ``podcast:guid``), a file's path, and the
title only where nothing else exists (a show page, pasted or saved to a file).

Two feeds that are both titled "Podcast" stay two shows, and a show that renames
itself keeps its id (so its episodes keep theirs, and their progress). Libraries
written before shows were known this way keep their ids: an existing show is
looked up by its feed URL first, and a show whose id was made from its title is
adopted (and given its key) when nothing contradicts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import urlsplit, urlunsplit

from ..model.catalog import ShowUpdate
from .records import FeedShow, short_hash, show_id, title_key


@dataclass(frozen=True)
class Origin:
    """Where a show was read from: a feed URL, a file's absolute path, or neither."""

    url: str | None = None
    path: str | None = None


def normal_url(url: str) -> str:
    """The URL with its scheme and host in lower case, no default port, no fragment."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return url.strip()
    if port and not ((parts.scheme.lower(), port) in (("http", 80), ("https", 443))):
        host = f"{host}:{port}"
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", parts.query, ""))


def key_of(show: FeedShow, origin: Origin) -> str:
    """The key a new show is stored under, and its id is made from: the feed's own
    ``podcast:guid`` (the same wherever the feed lives), else its URL, else the file's
    path, else (read from standard input) the address the feed says it lives at; a show
    page names no feed, so the same page pasted or saved is one show."""
    if show.kind == "showpage":
        return "title:" + title_key(show.title)
    if show.podcast_guid:
        return "guid:" + show.podcast_guid
    if origin.url:
        return "url:" + normal_url(origin.url)
    if origin.path:
        return "file:" + origin.path
    own = own_address(show, origin)
    if own is not None:
        return "url:" + normal_url(own)
    return "title:" + title_key(show.title)


def own_address(show: FeedShow, origin: Origin) -> str | None:
    """For a feed read from neither a URL nor a file (standard input: ``curl URL |
    tracker import -``), the http(s) address its ``atom:link rel="self"`` gives: that is
    the show, where it is refreshed. Anything else (a ``file:`` address) is not followed."""
    if origin.url or origin.path or show.kind == "showpage" or not show.self_url:
        return None
    return show.self_url if urlsplit(show.self_url).scheme.lower() in ("http", "https") else None


def new_show_id(key: str) -> str:
    """The id of a show first stored under ``key``."""
    return short_hash("show:" + key)


def _wanted(show: FeedShow, origin: Origin) -> list[str]:
    """Every key that names ``show`` read from ``origin``, the most telling first."""
    keys = []
    if origin.url:
        keys.append("url:" + normal_url(origin.url))
    if origin.path:
        keys.append("file:" + origin.path)
    if show.podcast_guid:
        keys.append("guid:" + show.podcast_guid)
    keys.append(key_of(show, origin))
    return keys


def _doc_keys(doc: dict[str, Any]) -> list[str]:
    """The keys of a stored show (derived for shows stored before keys were)."""
    keys = [str(doc["key"])] if doc.get("key") else []
    if doc.get("feed_url"):
        keys.append("url:" + normal_url(str(doc["feed_url"])))
    if doc.get("path"):
        keys.append("file:" + str(doc["path"]))
    if doc.get("podcast_guid"):
        keys.append("guid:" + str(doc["podcast_guid"]))
    if doc.get("kind") == "showpage":
        keys.append("title:" + title_key(str(doc.get("title", ""))))
    return keys


class ShowIndex:
    """The library's shows by every key that names them; kept current as an import
    adds shows, so a batch sees the shows added before it is committed."""

    def __init__(self, shows: dict[str, dict[str, Any]]) -> None:
        self.docs: dict[str, dict[str, Any]] = {}
        self.by_key: dict[str, str] = {}
        self.moved: dict[str, str] = {}  # a URL a show's feed said it moved to (itunes:new-feed-url)
        for sid in sorted(shows):
            self.add(sid, shows[sid])

    def add(self, sid: str, doc: dict[str, Any]) -> None:
        self.docs[sid] = {**self.docs.get(sid, {}), **doc}
        for key in _doc_keys(self.docs[sid]):
            self.by_key.setdefault(key, sid)
        if self.docs[sid].get("new_feed_url"):
            self.moved.setdefault(normal_url(str(self.docs[sid]["new_feed_url"])), sid)

    def find(self, show: FeedShow, origin: Origin) -> tuple[str, str]:
        """``(show id, key)`` for ``show`` read from ``origin``: an existing show that
        anything names (its URL, its path, its guid, the URL its feed said it moved to), else a
        new id from the key."""
        key = key_of(show, origin)
        for wanted in _wanted(show, origin):
            if wanted in self.by_key:
                return self.by_key[wanted], self.docs[self.by_key[wanted]].get("key") or key
        # The address a show said it was moving to is that show, unless a show lives there
        # already (asked after every key: a show is first what names it as it is now).
        moved = self.moved.get(normal_url(origin.url)) if origin.url else None
        if moved is not None:
            return moved, self.docs[moved].get("key") or key
        legacy = show_id(show.title)
        doc = self.docs.get(legacy)
        if doc is not None and not show.untitled and self._adoptable(doc, origin):
            return legacy, key
        if key.startswith("title:"):
            return legacy, key
        return new_show_id(key), key

    @staticmethod
    def _adoptable(doc: dict[str, Any], origin: Origin) -> bool:
        """A show stored under its title before keys existed, that nothing says is another."""
        if doc.get("key") or doc.get("kind") == "showpage":
            return False
        stored = doc.get("feed_url")
        if stored:
            return origin.url is not None and normal_url(str(stored)) == normal_url(origin.url)
        return True


def _audio_key(listing: dict[str, Any], audio: str, kind: str) -> tuple[str, Any, Any] | None:
    """The key under which a stored episode is this listing's item: the same audio and
    the same title (``kind`` "title"), or the same audio and the same date ("date")."""
    if not audio:
        return None
    if kind == "title":
        title = title_key(str(listing.get("title") or ""))
        return (audio, "title", title) if title else None
    return (audio, "date", listing["published"]) if listing.get("published") is not None else None


def _first_free(index: dict[tuple[str, Any, Any], list[str]], key: tuple[str, Any, Any] | None,
                taken: set[str]) -> str | None:
    """The first orphan (in the orphans' order) under ``key`` not taken yet; taken ones
    are dropped on the way, so each is passed over once in the whole matching."""
    stack = index.get(key) if key is not None else None
    while stack and stack[-1] in taken:
        stack.pop()
    return stack[-1] if stack else None


def moved_episodes(update: ShowUpdate, new: list[str], orphans: dict[str, dict[str, Any]]) -> ShowUpdate:
    """``update`` with each of its ``new`` episodes (ids the library does not have) that
    is one of the show's ``orphans`` (its stored episodes, full documents, that the feed
    no longer names by their id) under that episode's id, so that what was heard of it
    stays. It is when it has the item's guid (moved here before), or the item's audio
    and its title or date (a host migration, or guids added: a new guid, the same file),
    or else its title and date both (a new address as well: a measurement prefix added,
    a host that changed both). Each orphan is taken once; a re-post of an old file under
    a new title stays new."""
    details = update.details or {}
    # (a guid several items or orphans hold names none of them alone)
    held: dict[str, int] = {}
    for doc in [*orphans.values(), *(details.get(eid, d) for eid, d in update.episodes.items())]:
        if doc.get("guid"):
            held[str(doc["guid"])] = held.get(str(doc["guid"]), 0) + 1
    by_guid = {str(doc["guid"]): eid for eid, doc in orphans.items() if doc.get("guid")}
    # The same audio and title, or the same audio and date: looked up, not searched, so a
    # feed whose items all give one enclosure costs no pass over the orphans per item.
    # Each list is in the orphans' order, reversed: a taken orphan is popped off its end.
    by_audio: dict[tuple[str, Any, Any], list[str]] = {}
    for eid, doc in orphans.items():
        audio = str(doc.get("audio_url") or "")
        if audio:
            title = title_key(str(doc.get("title") or ""))
            if title:
                by_audio.setdefault((audio, "title", title), []).append(eid)
            if doc.get("published") is not None:
                by_audio.setdefault((audio, "date", doc["published"]), []).append(eid)
    for stack in by_audio.values():
        stack.reverse()
    by_day: dict[tuple[str, Any], str | None] = {}
    for eid, doc in orphans.items():
        day = (title_key(str(doc.get("title") or "")), doc.get("published"))
        by_day[day] = None if day in by_day else eid  # (two orphans alike name neither)
    renamed: dict[str, str] = {}
    taken: set[str] = set()

    def match(find: Callable[[dict[str, Any], dict[str, Any]], str | None]) -> None:
        for eid in new:
            if eid in renamed:
                continue
            listing = update.episodes[eid]
            old = find(listing, details.get(eid, listing))
            if old is not None and old not in taken:
                renamed[eid] = old
                taken.add(old)

    def by_guid_alone(listing: dict[str, Any], mine: dict[str, Any]) -> str | None:
        guid = str(mine.get("guid") or "")
        return by_guid.get(guid) if guid and held[guid] == 2 else None

    def by_audio_and(kind: str) -> Callable[[dict[str, Any], dict[str, Any]], str | None]:
        def find(listing: dict[str, Any], mine: dict[str, Any]) -> str | None:
            return _first_free(by_audio, _audio_key(listing, str(mine.get("audio_url") or ""), kind), taken)
        return find

    def by_title_and_date(listing: dict[str, Any], mine: dict[str, Any]) -> str | None:
        # (address and guid changed at once: the same title on the same date)
        day = (title_key(str(listing.get("title") or "")), listing.get("published"))
        return by_day.get(day) if day[0] and day[1] is not None else None

    # The strongest evidence first, for every item, then the weaker for those left: an
    # item matched by its audio and date alone must not take the episode another item
    # names by its audio and title.
    for find in (by_guid_alone, by_audio_and("title"), by_audio_and("date"), by_title_and_date):
        match(find)
    if not renamed:
        return update

    def moved(docs: dict[str, Any]) -> dict[str, Any]:
        return {renamed.get(eid, eid): doc for eid, doc in docs.items()}

    return ShowUpdate(update.show_id, update.show, moved(update.episodes), moved(update.notes),
                      None if update.details is None else moved(update.details), partial=update.partial)
