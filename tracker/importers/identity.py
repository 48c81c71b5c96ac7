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
from typing import Any
from urllib.parse import urlsplit, urlunsplit

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
    """A show page names no feed: the same page pasted or saved to any file is one show."""
    if show.kind == "showpage":
        return "title:" + title_key(show.title)
    if origin.url:
        return "url:" + normal_url(origin.url)
    if origin.path:
        return "file:" + origin.path
    return "title:" + title_key(show.title)


def _doc_key(doc: dict[str, Any]) -> str | None:
    """The key of a stored show, derived for shows stored before keys were."""
    if doc.get("key"):
        return str(doc["key"])
    if doc.get("feed_url"):
        return "url:" + normal_url(str(doc["feed_url"]))
    if doc.get("path"):
        return "file:" + str(doc["path"])
    if doc.get("kind") == "showpage":
        return "title:" + title_key(str(doc.get("title", "")))
    return None


class ShowIndex:
    """The library's shows by key and by ``podcast:guid``; kept current as an import
    adds shows, so a batch sees the shows added before it is committed."""

    def __init__(self, shows: dict[str, dict[str, Any]]) -> None:
        self.docs: dict[str, dict[str, Any]] = {}
        self.by_key: dict[str, str] = {}
        self.by_guid: dict[str, str] = {}
        for sid in sorted(shows):
            self.add(sid, shows[sid])

    def add(self, sid: str, doc: dict[str, Any]) -> None:
        self.docs[sid] = {**self.docs.get(sid, {}), **doc}
        key = _doc_key(self.docs[sid])
        if key:
            self.by_key.setdefault(key, sid)
        guid = self.docs[sid].get("podcast_guid")
        if guid:
            self.by_guid.setdefault(str(guid), sid)

    def find(self, show: FeedShow, origin: Origin) -> tuple[str, str]:
        """``(show id, key)`` for ``show`` read from ``origin``."""
        key = key_of(show, origin)
        if key in self.by_key:
            return self.by_key[key], key
        if show.podcast_guid and show.podcast_guid in self.by_guid:
            return self.by_guid[show.podcast_guid], key  # the feed moved; it is the same show
        legacy = show_id(show.title)
        doc = self.docs.get(legacy)
        if doc is not None and not show.untitled and self._adoptable(doc, origin):
            return legacy, key
        if key.startswith("title:"):
            return legacy, key
        return short_hash("show:" + key), key

    @staticmethod
    def _adoptable(doc: dict[str, Any], origin: Origin) -> bool:
        """A show stored under its title before keys existed, that nothing says is another."""
        if doc.get("key") or doc.get("kind") == "showpage":
            return False
        stored = doc.get("feed_url")
        if stored:
            return origin.url is not None and normal_url(str(stored)) == normal_url(origin.url)
        return True
