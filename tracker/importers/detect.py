"""Tell a source's format from its content, not its name."""

from __future__ import annotations

import re
from typing import Any

import orjson

from ..model.errors import ImportFailed
from .showpage import looks_like_show_page

_ROOT = re.compile(rb"<(?![?!])([A-Za-z_][\w:.-]*)")
_SKIP = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>|\s)*", re.DOTALL)


def detect(raw: bytes) -> tuple[str, Any]:
    """``(kind, payload)``: rss/atom/opml with bytes, showpage with text,
    tracker-json with the export dict, gpodder with a list of actions."""
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    head = body.lstrip()[:1]
    if not head:
        raise ImportFailed("the source is empty")
    if head == b"<":
        return _xml_kind(body), raw
    if head in (b"{", b"["):
        return _json_kind(body)
    if b"\x00" in body[:4096]:
        raise ImportFailed("not a feed, OPML file or show page (binary content)")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ImportFailed(f"the text is not UTF-8 (bad byte at position {err.start})") from None
    if looks_like_show_page(text):
        return "showpage", text
    raise ImportFailed("unrecognised format: not RSS, Atom, OPML, a tracker export or a show page")


def _xml_kind(body: bytes) -> str:
    start = _SKIP.match(body[:65536])
    m = _ROOT.match(body, start.end() if start else 0)
    if not m:
        raise ImportFailed("malformed XML: no root element")
    name = m.group(1).decode("ascii", "replace").rsplit(":", 1)[-1].lower()
    if name == "rss":
        return "rss"
    if name == "feed":
        return "atom"
    if name == "opml":
        return "opml"
    if name == "html":
        raise ImportFailed("this is a web page, not a feed: look for the RSS link on it")
    if name == "rdf":
        raise ImportFailed("RSS 1.0 (RDF) feeds are not supported")
    raise ImportFailed(f"unrecognised XML document <{name}>")


def _json_kind(body: bytes) -> tuple[str, Any]:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as err:
        raise ImportFailed(f"malformed JSON ({err.msg})") from None
    if isinstance(data, dict) and data.get("format") == "tracker-export":
        return "tracker-json", data
    if isinstance(data, dict) and isinstance(data.get("actions"), list):
        data = data["actions"]
    if isinstance(data, list) and all(isinstance(a, dict) and "action" in a for a in data):
        return "gpodder", data
    raise ImportFailed("unrecognised JSON: not a tracker export or gpodder episode actions")
