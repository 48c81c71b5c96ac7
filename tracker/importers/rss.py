"""RSS 2.0 feeds with the iTunes, content, Podlove and Podcasting 2.0 extensions."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from ..chapters.podcast_json import NAMESPACES as PODCAST_NS
from ..chapters.psc import PSC_NS, psc_chapters
from ..model.errors import ImportFailed
from .records import FeedEpisode, FeedShow
from .text import one_line, plain_text
from .when import itunes_duration, rfc822
from .xmlsafe import collect, local, text_of

ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
PODCAST_CHAPTERS = {f"{{{ns}}}chapters" for ns in PODCAST_NS}


def parse_rss(raw: bytes, feed_url: str | None = None) -> FeedShow:
    root, episodes = collect(raw, "item", _item)
    if root is None or local(root.tag) != "rss":
        raise ImportFailed("not an RSS feed")
    channel = root.find("channel")
    if channel is None:
        raise ImportFailed("RSS feed without a <channel>")
    title = one_line(text_of(channel.find("title")))
    if not title:
        raise ImportFailed("RSS feed without a title")
    return FeedShow(
        title=title,
        kind="rss",
        feed_url=feed_url,
        link=text_of(channel.find("link")) or None,
        author=one_line(text_of(channel.find(f"{ITUNES}author"))) or None,
        description=plain_text(text_of(channel.find("description"))),
        episodes=episodes,
    )


def _item(item: Element) -> FeedEpisode:
    ep = FeedEpisode(title="")
    description = content = summary = ""
    for child in item:
        tag = child.tag
        if tag == "title":
            ep.title = one_line(child.text or "")
        elif tag == "guid":
            ep.guid = (child.text or "").strip() or None
        elif tag == "pubDate":
            ep.published = rfc822(child.text or "")
        elif tag == "link":
            ep.link = (child.text or "").strip() or None
        elif tag == "enclosure":
            if ep.audio_url is None:
                ep.audio_url = (child.get("url") or "").strip() or None
        elif tag == "description":
            description = child.text or ""
        elif tag == f"{CONTENT}encoded":
            content = child.text or ""
        elif tag == f"{ITUNES}summary":
            summary = child.text or ""
        elif tag == f"{ITUNES}duration":
            ep.duration_s = itunes_duration(child.text)
        elif tag == f"{ITUNES}season":
            ep.season = _int(child.text)
        elif tag == f"{ITUNES}episode":
            ep.number = _int(child.text)
        elif tag == f"{ITUNES}title" and not ep.title:
            ep.title = one_line(child.text or "")
        elif tag in PODCAST_CHAPTERS:
            ep.chapters_url = (child.get("url") or "").strip() or None
        elif tag == f"{PSC_NS}chapters":
            found = psc_chapters(item)
            if found:
                ep.chapter_sources["psc"] = found
    richest = max((content, description, summary), key=len)
    ep.description = plain_text(richest)
    if not ep.title:
        ep.title = ep.description.split("\n", 1)[0][:80] or "Untitled episode"
    return ep


def _int(text: str | None) -> int | None:
    try:
        return int((text or "").strip())
    except ValueError:
        return None
