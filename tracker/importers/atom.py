"""Atom 1.0 feeds (RFC 4287), with enclosure links for audio."""

from __future__ import annotations

from xml.etree.ElementTree import Element, tostring

from ..chapters.podcast_json import NAMESPACES as PODCAST_NS
from ..chapters.psc import PSC_NS, psc_chapters
from ..model.errors import ImportFailed
from .records import FeedEpisode, FeedShow
from .rss import ITUNES
from .text import one_line, plain_text
from .when import iso, itunes_duration
from .xmlsafe import collect

ATOM = "{http://www.w3.org/2005/Atom}"
PODCAST_CHAPTERS = {f"{{{ns}}}chapters" for ns in PODCAST_NS}


def parse_atom(raw: bytes, feed_url: str | None = None) -> FeedShow:
    root, episodes = collect(raw, f"{ATOM}entry", _entry)
    if root is None or root.tag != f"{ATOM}feed":
        raise ImportFailed("not an Atom feed")
    title = one_line(_text(root.find(f"{ATOM}title")))
    if not title:
        raise ImportFailed("Atom feed without a title")
    author = root.find(f"{ATOM}author/{ATOM}name")
    return FeedShow(
        title=title,
        kind="atom",
        feed_url=feed_url,
        link=_link(root, "alternate"),
        author=one_line(author.text or "") if author is not None else None,
        description=plain_text(_text(root.find(f"{ATOM}subtitle"))),
        episodes=episodes,
    )


def _entry(entry: Element) -> FeedEpisode:
    ep = FeedEpisode(title=one_line(_text(entry.find(f"{ATOM}title"))) or "Untitled episode")
    ep.guid = (entry.findtext(f"{ATOM}id") or "").strip() or None
    ep.published = iso(entry.findtext(f"{ATOM}published") or entry.findtext(f"{ATOM}updated") or "")
    ep.link = _link(entry, "alternate")
    ep.audio_url = _link(entry, "enclosure")
    content = _text(entry.find(f"{ATOM}content"))
    summary = _text(entry.find(f"{ATOM}summary"))
    ep.description = plain_text(max(content, summary, key=len))
    ep.duration_s = itunes_duration(entry.findtext(f"{ITUNES}duration"))
    for child in entry:
        if child.tag in PODCAST_CHAPTERS:
            ep.chapters_url = (child.get("url") or "").strip() or None
        elif child.tag == f"{PSC_NS}chapters":
            found = psc_chapters(entry)
            if found:
                ep.chapter_sources["psc"] = found
    return ep


def _text(el: Element | None) -> str:
    """An Atom text construct as markup: xhtml content is serialised, then stripped."""
    if el is None:
        return ""
    if el.get("type") == "xhtml":
        return "".join(tostring(child, encoding="unicode") for child in el)
    return el.text or ""


def _link(el: Element, rel: str) -> str | None:
    for link in el.findall(f"{ATOM}link"):
        if (link.get("rel") or "alternate") == rel and link.get("href"):
            return link.get("href", "").strip()
    return None
