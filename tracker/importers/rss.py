"""RSS 2.0 feeds with the iTunes, content, Dublin Core, Podlove and Podcasting 2.0 extensions,
and RSS 1.0 (RDF) feeds with Dublin Core dates and mod_enclosure's enclosures.

Only the items of the first ``<channel>`` are episodes (in RSS 1.0, the items beside it:
children of the root, each named by its ``rdf:about``). Links resolve against
``xml:base``, else the feed's URL; in a local file without a base they stay as
written. Dates are read once the whole feed is known, so that ``<language>``
decides how ``08/02/2013`` reads.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from ..chapters.psc import psc_chapters
from ..model.errors import ImportFailed
from ..model.text import clean_line
from .records import FeedEpisode, FeedShow
from .text import one_line, plain_text
from .when import feed_date, itunes_duration, language_free
from .halves import stream_feed
from .xmlsafe import XML_BASE, Names, base_of, children, markup_of, resolve, root_name, text_of

MAX_GUID = 1_000
RDF_ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"
RDF_RESOURCE = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}resource"
ENC_TYPE = "{http://purl.oclc.org/net/rss_2.0/enc#}type"


def _item(item: Element, names: Names) -> FeedEpisode | None:
    """Reads one item. Links stay relative to the item until the feed's base is known
    (``xml:base`` on the channel comes with the channel, after its items); a numeric
    date waits in ``date_text`` for the feed's language (``parse_rss`` reads it)."""
    own = item.get(XML_BASE)
    ep = FeedEpisode(title="")
    description = content = summary = itunes_title = date = ""
    stand_in = False  # audio_url holds an enclosure that is not audio (a cover image)
    permalink = False  # the guid is the item's address (RSS 2.0: unless isPermaLink="false")
    atom_page: str | None = None  # an atom:link rel="alternate": the page where <link> gives none
    media: Media | None = None
    known = names.known
    for child in item:
        tag = known.get(child.tag) or names(child.tag)
        if tag == "title":
            ep.title = one_line(markup_of(child))
        elif tag == "description":
            description = markup_of(child)
        elif tag == "enclosure":
            if ep.audio_url is None or stand_in:
                ep.audio_url, stand_in = better_enclosure(ep.audio_url, link_ref(_enclosure_url(child), own, child),
                                                          child.get("type"))
        elif tag == "enc:enclosure":  # (RSS 1.0)
            if ep.audio_url is None or stand_in:
                ep.audio_url, stand_in = better_enclosure(
                    ep.audio_url, link_ref(child.get(RDF_RESOURCE), own, child), child.get(ENC_TYPE))
        elif tag == "atom:link":  # (Atom's links in an RSS item: an enclosure feedparser plays, a page)
            rel = link_rel(child)
            if rel == "enclosure" and (ep.audio_url is None or stand_in):
                ep.audio_url, stand_in = better_enclosure(ep.audio_url, link_ref(child.get("href"), own, child),
                                                          child.get("type"))
            elif rel == "alternate" and atom_page is None:
                atom_page = link_ref(child.get("href"), own, child)
        elif tag == "guid":
            ep.guid = clean_line(child.text or "")[:MAX_GUID] or None
            permalink = (child.get("isPermaLink") or "").strip().lower() != "false"
        elif (tag == "pubDate" or (tag == "dc:date" and not date)) and (child.text or "").strip():
            date = child.text or ""  # (a blank <pubDate/> after a dc:date does not hide it)
        elif tag == "link":
            ep.link = link_ref(child.text, own, child)
        elif tag == "itunes:duration":
            ep.duration_s = itunes_duration(child.text)
        elif tag == "content:encoded":
            content = markup_of(child)
        elif tag == "itunes:summary":
            summary = markup_of(child)
        elif tag == "itunes:season":
            ep.season = _int(child.text)
        elif tag == "itunes:episode":
            ep.number = _int(child.text)
        elif tag == "itunes:title":
            itunes_title = markup_of(child)
        elif tag in CHAPTER_TAGS:
            read_chapters(ep, tag, child, names, own)
        elif tag in MEDIA_TAGS:
            media = media or Media()
            media.read(child, tag, names, own)
    if media is not None:
        media.fill(ep)
        description = description or media.description
    if ep.link is None:
        ep.link = atom_page
    if ep.guid is None and item.get(RDF_ABOUT):  # RSS 1.0 names each item by its address or URN
        ep.guid = clean_line(item.get(RDF_ABOUT) or "")[:MAX_GUID] or None
    if ep.link is None and permalink and ep.guid and ep.guid[:8].lower().startswith(("http://", "https://")):
        ep.link = ep.guid  # (a guid that is no web address stays no link)
    richest = max((content, description, summary), key=len)
    ep.description = plain_text(richest)
    if not ep.title:
        ep.title = one_line(itunes_title)
    if not (ep.title or ep.guid or ep.audio_url or ep.link or ep.description):
        return None  # an empty <item/>: nothing to track
    if not ep.title:
        ep.title = ep.description.split("\n", 1)[0][:80] or "Untitled episode"
    if date and language_free(date):
        ep.published = feed_date(date)
    else:
        ep.date_text = date or None  # (read once the feed's language is known)
    return ep


def _enclosure_url(el: Element) -> str | None:
    """An enclosure's address: ``url``, else as some generators spell it (``URL``, ``href``,
    which feedparser reads too; the episode had no audio)."""
    url = el.get("url")
    if url is None:
        url = el.get("URL") or el.get("Url") or el.get("href")
    return url


CHAPTER_TAGS = ("podcast:chapters", "psc:chapters")
MEDIA_TAGS = ("media:content", "media:group", "media:description")


class Media:
    """What Media RSS says of an item or entry, used where the feed's own elements are
    silent: its first audio or video content (feeds of public radio and video sites
    give no enclosure) with its length, and its description (YouTube's channel feeds
    keep the whole show notes, timestamps and all, in ``media:group``)."""

    __slots__ = ("url", "duration_s", "description")

    def __init__(self) -> None:
        self.url: str | None = None
        self.duration_s: float | None = None
        self.description = ""

    def read(self, el: Element, tag: str, names: Names, base: str | None) -> None:
        if tag == "media:group":  # (one level: a group holds contents, not groups)
            for child in el:
                inner = names(child.tag)
                if inner in ("media:content", "media:description"):
                    self.read(child, inner, names, base)
        elif tag == "media:content":
            if self.url is None and _audio_or_video(el):
                self.url = link_ref(el.get("url"), base, el)
                self.duration_s = itunes_duration(el.get("duration")) if self.url else None
        elif not self.description:
            self.description = el.text or ""

    def fill(self, ep: FeedEpisode) -> None:
        """The episode's audio and length where its own elements gave none."""
        if ep.audio_url is None:
            ep.audio_url = self.url
        if ep.duration_s is None and self.url is not None:
            ep.duration_s = self.duration_s


def _audio_or_video(el: Element) -> bool:
    """A ``media:content`` one can listen to (not a thumbnail, nor YouTube's Flash player)."""
    medium = (el.get("medium") or "").strip().lower()
    if medium:
        return medium in ("audio", "video")
    kind = (el.get("type") or "").strip().lower()
    return not kind or kind.startswith(("audio/", "video/"))


def read_chapters(ep: FeedEpisode, tag: str, child: Element, names: Names, base: str | None) -> None:
    """An item's or entry's chapters element: a link to a JSON chapters file (fetched
    later), or Podlove Simple Chapters written in place."""
    if tag == "podcast:chapters":
        ep.chapters_url = link_ref(child.get("url"), base, child)
        return
    found = psc_chapters(child, names)
    if found:
        ep.chapter_sources["psc"] = found


def playable(kind: str | None) -> bool:
    """Whether an enclosure of this MIME type can be the episode: a cover image, a
    transcript or a PDF enclosed beside the audio cannot (mpv would show a picture)."""
    kind = (kind or "").strip().lower()
    return not kind.startswith(("image/", "text/")) and kind != "application/pdf"


def better_enclosure(current: str | None, url: str | None, kind: str | None) -> tuple[str | None, bool]:
    """The episode's audio after one more enclosure (only called while there is none,
    or only a stand-in), and whether it is still a stand-in: the first playable
    enclosure wins; the first of any kind is kept if none is playable."""
    if url is None:
        return current, current is not None
    if playable(kind):
        return url, False
    return (url, True) if current is None else (current, True)


IANA_RELATION = "http://www.iana.org/assignments/relation/"


def link_rel(el: Element) -> str:
    """An Atom link's relation as a registered name: RFC 4287 makes ``enclosure`` and
    ``http://www.iana.org/assignments/relation/enclosure`` the same relation, and feeds
    write ``ENCLOSURE`` or `` enclosure `` too (feedparser reads them all); none is ``alternate``."""
    rel = (el.get("rel") or "").strip().lower()
    if rel.startswith(IANA_RELATION):
        rel = rel[len(IANA_RELATION):]
    return rel or "alternate"


def link_ref(text: str | None, item_base: str | None, el: Element) -> str | None:
    """A link as written, against the item's and the element's own ``xml:base``."""
    ref = clean_line(text or "")
    if not ref:
        return None
    own = el.get(XML_BASE)
    if item_base or own:
        ref = resolve(ref, base_of(el, item_base.strip() if item_base else None)) or ref
    return ref


def resolve_links(episodes: list[FeedEpisode], base: str | None) -> None:
    """Every episode's links against the feed's base (None: a local file; left as written)."""
    if base is None:
        return
    for ep in episodes:
        ep.link = resolve(ep.link, base)
        ep.audio_url = resolve(ep.audio_url, base)
        ep.chapters_url = resolve(ep.chapters_url, base)


def parse_rss(raw: bytes, feed_url: str | None = None, name: str | None = None,
              base: str | None = None, alone: bool = False) -> FeedShow:
    """The show and its episodes; a feed without a title is named ``name`` (its URL or file).
    ``base`` is where the feed was fetched from after redirects (else ``feed_url``);
    ``alone``: the only document of an import, which may be read in halves (``halves.py``)."""
    found = root_name(raw)
    if found is not None and found[1] == "rdf":  # RSS 1.0: the items are the root's children
        root, box, names, episodes = stream_feed(raw, ("rdf:RDF",), "item", _item, alone)
        channel = next((child for child in box if names(child.tag) == "channel"), None) if box is not None else None
        if channel is None:
            raise ImportFailed("not an RSS 1.0 feed: its RDF holds no <channel>")
    else:
        root, channel, names, episodes = stream_feed(raw, ("rss", "channel"), "item", _item, alone)
    if names(root.tag) not in ("rss", "rdf:RDF"):
        raise ImportFailed("not an RSS feed")
    if channel is None:
        raise ImportFailed("RSS feed without a <channel>")
    parts = children(channel, names)
    language = (clean_line(text_of(parts.get("language"))) or clean_line(text_of(parts.get("dc:language")))).lower() or None
    month_first = language == "en-us"
    for ep in episodes:
        if ep.date_text is not None:
            ep.published, ep.date_text = feed_date(ep.date_text, month_first), None
    base = base_of(channel, base_of(root, base or feed_url))
    resolve_links(episodes, base)
    # (a channel with only <itunes:title> is named by it, as its items are: not after the file)
    title = one_line(markup_of(parts.get("title"))) or one_line(markup_of(parts.get("itunes:title")))
    author = next((one_line(text_of(parts.get(t))) for t in ("itunes:author", "dc:creator", "managingEditor")
                   if text_of(parts.get(t))), None)
    return FeedShow(
        title=title or name or "Untitled show",
        untitled=not title,
        kind="rss",
        feed_url=feed_url,
        link=resolve(clean_line(text_of(parts.get("link"))), base),
        author=author,
        description=plain_text(markup_of(parts.get("description")).strip() or markup_of(parts.get("itunes:summary"))),
        episodes=episodes,
        language=language,
        podcast_guid=clean_line(text_of(parts.get("podcast:guid")))[:MAX_GUID] or None,
        self_url=_self_url(channel, names, base),
        new_feed_url=_new_feed_url(channel, names, base),
    )


def _new_feed_url(channel: Element, names: Names, base: str | None) -> str | None:
    known = names.known
    for child in channel:
        if (known.get(child.tag) or names(child.tag)) == "itunes:new-feed-url" and text_of(child):
            return resolve(clean_line(text_of(child)), base)
    return None


def _self_url(channel: Element, names: Names, base: str | None) -> str | None:
    """Where the feed says it lives: its atom:link rel=self."""
    known = names.known
    for child in channel:
        if (known.get(child.tag) or names(child.tag)) == "atom:link" and link_rel(child) == "self" \
                and child.get("href"):
            return resolve(clean_line(child.get("href") or ""), base)
    return None


def _int(text: str | None) -> int | None:
    raw = (text or "").strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6:  # (int() refuses some digits: "²")
        return None
    return int(raw)
