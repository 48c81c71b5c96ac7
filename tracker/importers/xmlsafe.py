"""XML as feeds really write it, parsed safely and fast.

Before parsing, a document becomes UTF-8 whatever it was (a BOM for UTF-16/32, the
encoding named in its declaration: big5, euc-kr, windows-1251...), and a document
that declares entities is refused outright (billion laughs, quadratic blowup,
external entities): the check is a byte search of the document's head, done
before any expansion, so an attack costs milliseconds. What remains cannot expand
anything, and is parsed by the C parser. A feed that uses the well-known podcast
prefixes without declaring them (``<itunes:duration>`` with no ``xmlns:itunes``) is
parsed again with them bound; one with HTML entities, bare ampersands or control
characters (hand-written feeds) is parsed again with them mended.
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass, field
from html.entities import html5
from typing import Callable, TypeVar
from urllib.parse import urljoin
from xml.etree.ElementTree import Element, ParseError, iterparse, tostring

from ..model.errors import ImportFailed

T = TypeVar("T")

XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"

# Canonical short names for the extension namespaces a podcast feed uses; each
# URI is matched without regard to case (the iTunes DTD is also spelled
# ``http://www.itunes.com/DTDs/Podcast-1.0.dtd``) or a trailing slash.
NAMESPACES: dict[str, str] = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "psc": "http://podlove.org/simple-chapters",
    "media": "http://search.yahoo.com/mrss/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "atom": "http://www.w3.org/2005/Atom",
    "googleplay": "http://www.google.com/schemas/play-podcasts/1.0",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",  # RSS 1.0's root, its items' names
    "enc": "http://purl.oclc.org/net/rss_2.0/enc#",  # RSS 1.0's enclosures (mod_enclosure)
}
# RSS 1.0's own elements (channel, item, title...) read as RSS 2.0's, whatever their prefix.
RSS1_NS = "http://purl.org/rss/1.0/"
_ALIASES: dict[str, str] = {uri.lower().rstrip("/"): prefix for prefix, uri in NAMESPACES.items()}
_ALIASES.update({
    "https://github.com/podcastindex-org/podcast-namespace/blob/main/docs/1.0.md": "podcast",
    "http://podcastindex.org/namespace/1.0": "podcast",
    "https://www.itunes.com/dtds/podcast-1.0.dtd": "itunes",
    "http://search.yahoo.com/mrss": "media",
    "http://www.rssboard.org/media-rss": "media",  # (the RSS Advisory Board's copy of the spec; Squarespace)
})

_DECLARATION = re.compile(rb"<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']")
_DECLARED_TEXT = re.compile(r"<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([^\"']{0,40})[\"']")
_ROOT = re.compile(rb"<(?![?!])([A-Za-z_][\w:.-]{0,100})")
_SKIP = re.compile(
    rb"(?:<\?[^>]{0,4096}\?>|<!--(?:[^-]|-(?!->)){0,4096}-->|<!DOCTYPE[^>\[]{0,4096}(?:\[[^\]]{0,65536}\])?\s{0,256}>|\s)*",
    re.IGNORECASE,
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_NO_BOM = (
    (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"), (b"<\x00?\x00", "utf-16-le"),
)


def to_utf8(raw: bytes) -> bytes:
    """The document as UTF-8 bytes, its declaration saying so."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return _transcode(raw[len(bom):], encoding)
    for head, encoding in _NO_BOM:
        if raw.startswith(head):
            return _transcode(raw, encoding)
    m = _DECLARATION.match(raw, 0, 256)
    declared = m.group(1).decode("ascii").lower().replace("_", "-") if m else "utf-8"
    if declared in ("utf-8", "utf8", "us-ascii", "ascii") or declared.startswith(("utf-16", "utf-32", "ucs")):
        # (a UTF-16 declaration on bytes that read as ASCII is a wrong declaration)
        if declared.startswith(("utf-16", "utf-32", "ucs")):
            return _transcode(raw, "utf-8")
        if raw.isascii():
            return raw
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            # Windows-1252, what such bytes turn out to be; in a feed that also holds UTF-8,
            # only the bytes that are not UTF-8 (one pasted "Na\xefve" no longer turns every
            # "é" of the feed into "Ã©"). A feed with no UTF-8 at all is decoded whole: a
            # call per byte would make a long one ten times slower.
            if _UTF8_SEQUENCE.search(raw) is None:
                return _transcode(raw, "windows-1252")
            return _transcode(raw, "utf-8", _WINDOWS_1252_BYTES)
        return raw
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        raise ImportFailed(f"the feed declares an unknown text encoding ({declared})") from None
    if name in _WESTERN and not raw.isascii() and _is_utf8(raw):
        # Bytes that read as UTF-8 are UTF-8 (Western text almost never does by chance):
        # the declaration is a wrong setting, and believing it turns "Café" into "CafÃ©".
        return _transcode(raw, "utf-8")
    return _transcode(raw, declared)


_WESTERN = frozenset(("iso8859-1", "cp1252", "iso8859-15"))  # (codecs.lookup names)


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _bytes_as_windows_1252(err: UnicodeError) -> tuple[str, int]:
    """A decoding error handler: the bytes UTF-8 refused, read as windows-1252."""
    assert isinstance(err, UnicodeDecodeError)
    return err.object[err.start:err.end].decode("windows-1252", "replace"), err.end


_WINDOWS_1252_BYTES = "tracker-windows-1252-bytes"
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")  # (the start of one: a cheap look, not a proof)
codecs.register_error(_WINDOWS_1252_BYTES, _bytes_as_windows_1252)


def _transcode(raw: bytes, encoding: str, errors: str = "replace") -> bytes:
    text = raw.decode(encoding, errors=errors)
    m = _DECLARED_TEXT.match(text, 0, 300)
    if m:
        text = text[: m.start(1)] + "utf-8" + text[m.end(1):]
    return text.encode("utf-8")


def root_name(data: bytes) -> tuple[int, str] | None:
    """Where the root element starts and its name (prefix dropped, lower case)."""
    start = _SKIP.match(data, 0, 262144)
    m = _ROOT.match(data, start.end() if start else 0)
    if not m:
        return None
    return m.start(), m.group(1).decode("ascii", "replace").rsplit(":", 1)[-1].lower()


def refuse_entities(data: bytes) -> None:
    """Entity declarations exist only inside a DOCTYPE: a document with both is refused.
    A DOCTYPE counts only before the root element (the parser stops at one anywhere
    else, before reading what it declares), so only that head is searched for one,
    not the 8 MB of a large feed; where the root cannot be found, the whole is."""
    found = root_name(data)
    if data.find(b"<!DOCTYPE", 0, found[0] if found is not None else len(data)) >= 0 and b"<!ENTITY" in data:
        raise ImportFailed("refused: the XML declares entities, a known attack (billion laughs and kin)")


def _bind_prefixes(data: bytes) -> bytes:
    """The root start tag with every well-known prefix it does not declare bound."""
    found = root_name(data)
    if found is None:
        return data
    at = found[0]
    name_end = _ROOT.match(data, at)
    assert name_end is not None
    tag_end = data.find(b">", at)
    head = data[at:tag_end]
    extra = b"".join(b' xmlns:%s="%s"' % (p.encode(), uri.encode())
                     for p, uri in NAMESPACES.items() if b"xmlns:" + p.encode() not in head)
    return data[: name_end.end()] + extra + data[name_end.end():]


@dataclass
class Names:
    """Canonical element names: ``itunes:duration`` for every spelling of the iTunes
    namespace, plain ``title`` for elements of the root's own (default) namespace and
    of RSS 1.0's."""

    root_ns: str = ""
    known: dict[str, str] = field(default_factory=dict)  # tags already named (read it directly in loops)

    def __call__(self, tag: str) -> str:
        name = self.known.get(tag)
        if name is None:
            name = self.known[tag] = self._canonical(tag)
        return name

    def _canonical(self, tag: str) -> str:
        if not isinstance(tag, str) or not tag.startswith("{"):
            return tag if isinstance(tag, str) else ""
        ns, _, local = tag[1:].partition("}")
        prefix = _ALIASES.get(ns.lower().rstrip("/"))
        if ns == self.root_ns or ns == RSS1_NS:
            return local
        if prefix:
            return f"{prefix}:{local}"
        return tag


Reader = Callable[[Element, Names], T | None]


def stream(raw: bytes, container: tuple[str, ...], item: str, read: Reader[T]
           ) -> tuple[Element, Element | None, Names, list[T]]:
    """Parse ``raw``, calling ``read`` on each element named ``item`` as it ends and
    freeing it, so a 5,000-item feed never sits in memory whole. Only the items that
    are children of the first element at ``container`` (canonical names from the root)
    are kept, or where it holds none, the root's own: an item in a second channel or
    nested in an unknown element is not an episode. Returns the root, the container, the names and the items read."""
    data = to_utf8(raw)
    refuse_entities(data)
    return stream_utf8(data, container, item, read)


def stream_utf8(data: bytes, container: tuple[str, ...], item: str, read: Reader[T]
                ) -> tuple[Element, Element | None, Names, list[T]]:
    """``stream`` of a document already made UTF-8 and checked for entities. A document
    the parser refuses is parsed again with its well-known prefixes bound, without what
    follows its root's end tag, and with the slips of home-made feeds mended (``mend``),
    as feedparser reads them."""
    bound = mended = trimmed = False
    while True:
        try:
            return stream_part(data, container, item, read)
        except ParseError as err:
            if "unbound prefix" in str(err) and not bound:
                data, bound = _bind_prefixes(data), True
                continue
            end = None if trimmed else _root_end(data, err)
            if end is not None:  # what follows the root's end tag is left out
                data, trimmed = data[:end], True
                continue
            fixed = None if mended else mend(data)
            if fixed is None:
                raise ImportFailed(f"malformed XML: {err}") from None
            data, mended = fixed, True


def _root_end(data: bytes, err: ParseError) -> int | None:
    """Where the document ends when ``err`` is text after its root's end tag (a tracking
    script, a PHP warning, a second copy that the server appended: feedparser reads the
    feed, which was refused whole), else None."""
    line, column = getattr(err, "position", (0, 0))
    at = 0
    for _ in range(line - 1):
        at = data.find(b"\n", at) + 1
        if at == 0:
            return None
    at += column
    found = root_name(data)
    if found is None or not 0 < at < len(data):
        return None
    closing = re.compile(rb"</(?:[\w.-]{1,100}:)?" + re.escape(found[1].encode("ascii", "replace")) + rb"\s*>\s*\Z",
                         re.IGNORECASE)
    return at if closing.search(data, max(0, at - 300), at) else None


_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")
_VOID = re.compile(rb"<(br|hr|img|wbr)(\s[^<>]*?)?(?<!/)>", re.IGNORECASE)
_BARE_LT = re.compile(rb"<(?![A-Za-z_:/!?\x80-\xff])")  # "Q < A", "<3": no tag can start so
_BARE_AMP = re.compile(rb"&(?!#[0-9]{1,10};|#[xX][0-9a-fA-F]{1,8};|[A-Za-z][A-Za-z0-9]{0,31};)")
_REFERENCE = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos);)(?:#([0-9]{1,10})|#[xX]([0-9a-fA-F]{1,8})|([A-Za-z][A-Za-z0-9]{0,31}));")


def mend(data: bytes) -> bytes | None:
    """The document with what hand-written feeds get wrong put right, or None if it has
    none of it: HTML entities XML does not define (``&eacute;``, ``&nbsp;``) become
    character references, a bare ``&`` (``Tom & Jerry``, ``?a=1&b=2``) becomes ``&amp;``
    and a ``<`` that can start no tag (``Q < A``, ``<3``) ``&lt;``,
    characters XML forbids (control characters, ``&#27;``) go, and HTML's empty elements
    written unclosed in raw HTML (``<br>``, ``<img ...>``) are closed. CDATA sections are
    left as written but for forbidden characters (a guid there keeps its ``&``). An
    entity no HTML defines stays, and the document is refused as before. Linear in the
    document: five substitutions over the text between CDATA sections, found by ``find``."""
    out: list[bytes] = []
    i, n = 0, len(data)
    while i < n:
        start = data.find(b"<![CDATA[", i)
        plain_end = start if start >= 0 else n
        text = _VOID.sub(rb"<\1\2/>", _BARE_LT.sub(b"&lt;", _CONTROL.sub(b"", data[i:plain_end])))
        out.append(_REFERENCE.sub(_mended, _BARE_AMP.sub(b"&amp;", text)))
        if start < 0:
            break
        close = data.find(b"]]>", start + 9)
        i = close + 3 if close >= 0 else n
        out.append(_CONTROL.sub(b"", data[start:i]))
    fixed = b"".join(out)
    return None if fixed == data else fixed


def _mended(m: re.Match[bytes]) -> bytes:
    """A character or entity reference XML refuses, as it should have been written."""
    decimal, hexadecimal, name = m.groups()
    if name is None:
        code = int(decimal) if decimal is not None else int(hexadecimal, 16)
        allowed = code in (9, 10, 13) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF
        return m.group() if allowed else b""
    text = html5.get(name.decode("ascii") + ";")
    return m.group() if text is None else "".join(f"&#{ord(c)};" for c in text).encode("ascii")


_DEFAULT_NS = re.compile(rb"""\sxmlns\s*=\s*["']([^"']{0,500})["']""")


def stream_part(data: bytes, container: tuple[str, ...], item: str, read: Reader[T]
            ) -> tuple[Element, Element | None, Names, list[T]]:
    found = root_name(data)
    names = Names()
    if found is not None:  # the root's default namespace, known before any item ends
        head = data[found[0] : data.find(b">", found[0]) + 1]
        m = _DEFAULT_NS.search(head)
        names.root_ns = m.group(1).decode("utf-8", "replace") if m else ""
    read_items: list[tuple[Element, T]] = []
    root: Element | None = None
    known = names.known  # (a dictionary lookup per element, a call only for a new tag)
    for _event, el in iterparse(io.BytesIO(data), events=("end",)):
        root = el
        tag = el.tag
        if (known.get(tag) or names(tag)) == item:
            got = read(el, names)
            if got is not None:
                read_items.append((el, got))
            el.clear()
    if root is None:
        raise ImportFailed("malformed XML: no root element")
    box: Element | None = root if names(root.tag) == container[0] else None
    for name in container[1:]:
        box = next((child for child in box if names(child.tag) == name), None) if box is not None else None
    kept = {id(child) for child in box} if box is not None else set()
    out = [got for el, got in read_items if id(el) in kept]
    if not out and read_items and box is not None and box is not root:
        # A channel closed before its items (``<channel>...</channel><item>...``, which
        # feedparser reads): the items beside it are its own.
        beside = {id(child) for child in root}
        out = [got for el, got in read_items if id(el) in beside]
    return root, box, names, out


def children(el: Element, names: Names) -> dict[str, Element]:
    """The first child of each canonical name."""
    out: dict[str, Element] = {}
    known = names.known
    for child in el:
        tag = child.tag
        name = known.get(tag) or names(tag)
        if name not in out:
            out[name] = child
    return out


def text_of(el: Element | None) -> str:
    return (el.text or "").strip() if el is not None else ""


def markup_of(el: Element | None) -> str:
    """A text element's content as written, for the plain-text step: with any markup the
    feed left unescaped (``<title>Episode <b>one</b></title>``, ``<description><p>``)
    serialised rather than cut off at the first tag (the element's own text ends there).
    Namespaces go first (the elements are read once, then freed), so ``<p>`` stays ``<p>``."""
    if el is None:
        return ""
    if not len(el):
        return el.text or ""
    for sub in el.iter():
        if isinstance(sub.tag, str) and sub.tag.startswith("{"):
            sub.tag = local(sub.tag)
    return (el.text or "") + "".join(tostring(child, encoding="unicode") for child in el)


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def base_of(el: Element, parent: str | None) -> str | None:
    """The base URL inside ``el``: its ``xml:base`` against the parent's base."""
    own = (el.get(XML_BASE) or "").strip()
    if not own:
        return parent
    return urljoin(parent, own) if parent else own


def resolve(ref: str | None, base: str | None) -> str | None:
    """A link as written, resolved against the base where there is one."""
    ref = (ref or "").strip()
    if not ref:
        return None
    if base is None or "://" in ref[:12]:
        return ref
    return urljoin(base, ref)
