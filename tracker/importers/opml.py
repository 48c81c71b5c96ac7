"""OPML subscription lists, read and written (OPML 2.0, which every podcast app reads).

Reading gives every outline that names a feed, and counts the ones that name none so a
list with no usable feed can say why. Writing escapes every title and drops what XML
cannot hold, so the file stays well-formed whatever the titles contain.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from xml.etree.ElementTree import Element, ParseError, iterparse

from ..model.errors import ImportFailed
from ..model.text import capped_title, clean_line, usable_url
from .xmlsafe import Names, local, mend, refuse_entities, to_utf8

MAX_OUTLINES = 10_000
# What XML cannot hold; compiled on the first export (its ranges take milliseconds to
# compile, which every import would pay at start-up).
_NOT_XML = "[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"


@dataclass(frozen=True)
class Subscription:
    title: str
    url: str


@dataclass
class OpmlList:
    subscriptions: list[Subscription] = field(default_factory=list)
    without_feed: int = 0  # outlines that name no feed (folders and links do not count)

    def why_empty(self) -> str:
        if self.without_feed:
            return ("lists no feeds: its entry has no xmlUrl" if self.without_feed == 1
                    else f"lists no feeds: its {self.without_feed:,} entries have no xmlUrl")
        return "lists no feeds: it has no <outline> entries"


def parse_opml(raw: bytes) -> OpmlList:
    data = to_utf8(raw)
    refuse_entities(data)
    try:
        try:
            return _parse(data)
        except ParseError:
            fixed = mend(data)  # a bare '&', '&eacute;': the slips a feed is forgiven, so a list is too
            if fixed is None:
                raise
            return _parse(fixed)
    except ParseError as err:
        raise ImportFailed(f"malformed XML: {err}") from None


def _parse(data: bytes) -> OpmlList:
    out = OpmlList()
    seen: set[str] = set()
    names = Names()
    root = None
    for _event, el in iterparse(io.BytesIO(data), events=("end",)):
        root = el
        if local(names(el.tag)) != "outline":  # (in any namespace: some lists put OPML in one)
            continue
        url = _feed_url(el)
        if not url:
            if len(el) == 0:  # a folder holds outlines; an empty one names nothing
                out.without_feed += 1
            continue
        if url in seen:
            continue
        if len(out.subscriptions) == MAX_OUTLINES:  # this is one more
            raise ImportFailed(f"lists more than {MAX_OUTLINES:,} feeds")
        seen.add(url)
        name = el.get("title") or el.get("text") or el.get("TITLE") or el.get("TEXT") or ""
        out.subscriptions.append(Subscription(capped_title(clean_line(name)) or url, url))
    if root is None or local(names(root.tag)).rsplit(":", 1)[-1] != "opml":
        raise ImportFailed("not an OPML file")
    return out


_FEED_TYPES = ("rss", "atom", "link", "podcast")


def _feed_url(el: Element) -> str:
    """The feed an outline names, or "". ``xmlUrl`` names a feed whatever the outline's
    type says (lists write ``type="feed"``, ``type=" rss"``, ``xmlURL``: each was skipped,
    and a list of them said it had no entries); a plain ``url`` only with a feed's type
    (``type="include"`` names another list). An address too long to be one is none."""
    attrs = {k.lower(): v for k, v in el.attrib.items()}
    url = usable_url(clean_line(attrs.get("xmlurl") or "")) or ""
    if not url and (attrs.get("type") or "rss").strip().lower() in _FEED_TYPES:
        url = usable_url(clean_line(attrs.get("url") or "")) or ""
    return url


@dataclass(frozen=True)
class OpmlExport:
    text: str
    left_out: list[str]  # the titles of the shows with no feed address


def export_opml(shows: dict[str, dict[str, Any]]) -> OpmlExport:
    """The library's shows as OPML, each by the web address of its feed (the one other apps
    know it by: a relative self link of a file is none). A show with none (read from a file
    or a show page) is left out: an entry without ``xmlUrl`` is one no app, tracker
    included, can subscribe to, and a list of only those would not import back."""
    from ..exchange.gpodder import show_feed_url

    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<opml version="2.0">',
        "  <head>",
        "    <title>tracker subscriptions</title>",
        f"    <dateCreated>{datetime.now(timezone.utc).strftime('%a, %d %b %Y %H:%M:%S GMT')}</dateCreated>",
        "  </head>",
        "  <body>",
    ]
    left_out = []
    for show in sorted(shows.values(), key=lambda s: str(s.get("title", "")).casefold()):
        url = show_feed_url(show)
        if not url:
            left_out.append(str(show.get("title") or ""))
            continue
        title = _attr(show.get("title"))
        attrs = f'type="rss" text={title} title={title} xmlUrl={_attr(url)}'
        if show.get("link"):
            attrs += f" htmlUrl={_attr(show['link'])}"
        lines.append(f"    <outline {attrs}/>")
    lines += ["  </body>", "</opml>", ""]
    return OpmlExport("\n".join(lines), left_out)


def _attr(value: object) -> str:
    from xml.sax.saxutils import quoteattr  # (loads urllib.request: only an export needs it)

    return quoteattr(re.sub(_NOT_XML, "", clean_line(str(value or ""))))
