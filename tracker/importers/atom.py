"""Atom 1.0 feeds (RFC 4287), with enclosure links for audio and ``xml:base`` honoured."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from ..model.errors import ImportFailed
from ..model.text import clean_line
from .records import FeedEpisode, FeedShow
from .rss import CHAPTER_TAGS, MAX_GUID, MEDIA_TAGS, Media, better_enclosure, link_ref, link_rel, read_chapters, resolve_links
from .text import one_line, plain_text
from .when import feed_date, itunes_duration
from .halves import stream_feed
from .xmlsafe import XML_BASE, Names, base_of, children, markup_of, resolve, text_of


def _entry(entry: Element, names: Names) -> FeedEpisode | None:
    """One entry; links stay relative to it until the feed's base is known."""
    base = entry.get(XML_BASE)
    ep = FeedEpisode(title="")
    content = summary = published = updated = ""
    stand_in = False  # audio_url holds an enclosure that is not audio (a cover image)
    media: Media | None = None
    for child in entry:
        tag = names(child.tag)
        if tag == "title":
            ep.title = one_line(markup_of(child))
        elif tag == "id":
            ep.guid = clean_line(child.text or "")[:MAX_GUID] or None
        elif tag in ("published", "issued"):  # (issued, modified: Atom 0.3, which old blogs still serve)
            published = published or child.text or ""
        elif tag in ("updated", "dc:date", "modified"):
            updated = updated or child.text or ""
        elif tag == "link":
            href = link_ref(child.get("href"), base, child)
            rel = link_rel(child)
            if rel == "alternate" and ep.link is None:
                ep.link = href
            elif rel == "enclosure" and (ep.audio_url is None or stand_in):
                ep.audio_url, stand_in = better_enclosure(ep.audio_url, href, child.get("type"))
        elif tag == "content":
            content = markup_of(child)
        elif tag == "summary":
            summary = markup_of(child)
        elif tag == "itunes:duration":
            ep.duration_s = itunes_duration(child.text)
        elif tag in CHAPTER_TAGS:
            read_chapters(ep, tag, child, names, base)
        elif tag in MEDIA_TAGS:
            media = media or Media()
            media.read(child, tag, names, base)
    if media is not None:
        media.fill(ep)
        summary = summary or media.description
    ep.description = plain_text(max(content, summary, key=len))
    ep.published = feed_date(published) or feed_date(updated)  # (a blank or unreadable <published>
    # hid a good <updated>)
    if not (ep.title or ep.guid or ep.audio_url or ep.link or ep.description):
        return None
    ep.title = ep.title or ep.description.split("\n", 1)[0][:80] or "Untitled episode"
    return ep


def parse_atom(raw: bytes, feed_url: str | None = None, name: str | None = None,
              base: str | None = None, alone: bool = False) -> FeedShow:
    root, _feed, names, episodes = stream_feed(raw, ("feed",), "entry", _entry, alone)
    if names(root.tag) != "feed":
        raise ImportFailed("not an Atom feed")
    parts = children(root, names)
    base = base_of(root, base or feed_url)
    resolve_links(episodes, base)
    title = one_line(markup_of(parts.get("title")))
    author = parts.get("author")
    author_name = next((c for c in author if names(c.tag) == "name"), None) if author is not None else None
    return FeedShow(
        title=title or name or "Untitled show",
        untitled=not title,
        kind="atom",
        feed_url=feed_url,
        link=_link(root, names, "alternate", base),
        author=one_line(text_of(author_name)) or None,
        description=plain_text(markup_of(parts.get("subtitle"))),
        episodes=episodes,
        language=clean_line(root.get("{http://www.w3.org/XML/1998/namespace}lang") or "").lower() or None,
        podcast_guid=clean_line(text_of(parts.get("podcast:guid")))[:MAX_GUID] or None,
        self_url=_link(root, names, "self", base),
    )


def _link(el: Element, names: Names, rel: str, base: str | None) -> str | None:
    for link in el:
        if names(link.tag) == "link" and link_rel(link) == rel and link.get("href"):
            return resolve(clean_line(link.get("href") or ""), base_of(link, base))
    return None
