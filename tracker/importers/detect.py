"""Tell a source's format from its content, not its name."""

from __future__ import annotations

from typing import Any

import orjson

from ..model.errors import ImportFailed
from .showpage import looks_like_show_page
from .xmlsafe import root_name, to_utf8

_WIDE = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"\x00\x00\x00<", b"\x00<", b"<\x00")
FORMATS = "RSS, Atom, OPML, a show page, a tracker export or gpodder episode actions"


def detect(raw: bytes) -> tuple[str, Any]:
    """``(kind, payload)``: rss/atom/opml with UTF-8 bytes, showpage with text,
    tracker-json with the export dict, gpodder with a list of actions."""
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    stripped = body.lstrip()
    if not stripped:
        raise ImportFailed("the source is empty")
    if raw.startswith(_WIDE):  # UTF-16 or UTF-32, with or without a BOM
        wide = _wide_text(raw)
        if wide is not None:  # saved as UTF-16 (PowerShell's '>', Notepad): JSON or a show page, not XML
            if not wide.strip():
                raise ImportFailed("the source is empty")
            if wide.lstrip()[:1] in ("{", "["):
                return _json_kind(wide.encode("utf-8"))
            return _text_kind(wide)
        data = to_utf8(raw)
        return _xml_kind(data), data
    if stripped[:1] == b"<":
        data = to_utf8(stripped)
        try:
            return _xml_kind(data), data
        except ImportFailed as err:
            if _named_root(data):
                raise
            return _page_or(body, err)  # a show page of "<Code> Radio" or "<3 Letters"
    if stripped[:1] in (b"{", b"["):
        try:
            return _json_kind(stripped)
        except ImportFailed as err:
            return _page_or(body, err)  # a show page of "[BONUS] Daily Brief" or "{Dev} Talk"
    if b"\x00" in body[:4096]:
        raise ImportFailed(f"not {FORMATS} (binary content)")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ImportFailed(f"the text is not UTF-8 (bad byte at position {err.start})") from None
    return _text_kind(text)


def _page_or(body: bytes, err: ImportFailed) -> tuple[str, Any]:
    """A show page whose show's name begins like XML or JSON (which it was taken for),
    else the error that reading it as such raised."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    if text and looks_like_show_page(text):
        return "showpage", text
    raise err


def _named_root(data: bytes) -> bool:
    """Whether the XML's root names a kind of document (a web page, RSS 1.0) whose own
    refusal says more than a show page's would."""
    found = root_name(data)
    return found is not None and found[1] in ("html", "rdf")


def _text_kind(text: str) -> tuple[str, Any]:
    if looks_like_show_page(text):
        return "showpage", text
    raise ImportFailed(f"unrecognised format: not {FORMATS}")


def _wide_text(raw: bytes) -> str | None:
    """A document other than XML written in UTF-16 or UTF-32 with a byte order mark
    (JSON, a show page), decoded; None for anything else (XML in those encodings is
    read as XML)."""
    encoding = ("utf-32" if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"))
                else "utf-16" if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else None)
    if encoding is None or raw[:400].decode(encoding, "ignore").lstrip()[:1] == "<":
        return None  # (a feed is not decoded twice)
    try:
        text = raw.decode(encoding)
    except UnicodeError:
        return None
    return None if text.lstrip()[:1] == "<" else text


def _xml_kind(data: bytes) -> str:
    found = root_name(data)
    if found is None:
        raise ImportFailed("malformed XML: no root element")
    name = found[1]
    if name in ("rss", "feed", "opml", "rdf"):
        return {"feed": "atom", "rdf": "rss"}.get(name, name)  # (RSS 1.0 is read as RSS)
    if name == "html":
        raise ImportFailed("this is a web page, not a feed: look for the RSS link on it")
    raise ImportFailed(f"unrecognised XML document <{name[:40]}>")


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
