"""URLs as gpodder.net servers store them, so an action matches whatever form a client sent.

mygpo (and the servers modelled on it) rewrite every feed and episode URL before
storing it: scheme and host lower case, credentials dropped, the path and query
percent-encoded, an empty path made ``/``, ``feed://``/``itpc://`` read as http.
Matching compares both sides in that form. One pass over the string, no regex.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote, quote_plus, urlsplit, urlunsplit

_ALIASES = ("feed", "itpc", "itms")
MAX_URL = 4000
_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-~")
_PATH_KEPT = _WORD | frozenset("/%")  # what quote(path, "/%") leaves as it is
_QUERY_KEPT = _WORD | frozenset(":&=")  # what quote_plus(query, ":&=") leaves as it is


@lru_cache(maxsize=65536)  # a sync compares the same few thousand URLs many times
def normalize_url(url: str | None) -> str:
    """The stored form of ``url`` ("" for what no server would store)."""
    if not url:
        return ""
    url = url.strip()[:MAX_URL]
    if len(url) < 8:
        return ""
    return url if _already_normal(url) else full_form(url)


def full_form(url: str) -> str:
    """The stored form by the whole rule (``normalize_url`` skips it when nothing would change)."""
    if "://" not in url:
        url = "http://" + url
    try:
        scheme, netloc, path, query, fragment = urlsplit(url)
    except ValueError:
        return ""
    scheme = scheme.lower()
    if scheme in _ALIASES:
        scheme = "http"
    if scheme not in ("http", "https", "ftp", "file"):
        return ""
    netloc = netloc.lower().rsplit("@", 1)[-1]
    path = quote(path, "/%") or "/"
    query = quote_plus(query, ":&=")
    return urlunsplit((scheme, netloc, path, query, fragment))


def _already_normal(url: str) -> bool:
    """True for the usual feed or audio URL, which normalising would not change (most of
    them: the split and quoting are then skipped)."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme not in ("http", "https"):
        return False
    if "#" in rest:
        return False
    netloc, slash, tail = rest.partition("/")
    if not slash or not netloc or netloc != netloc.lower() or "@" in netloc or "?" in netloc:
        return False
    path, mark, query = tail.partition("?")
    if mark and not query:
        return False  # a bare "?" is dropped by the full form
    return set(path) <= _PATH_KEPT and set(query) <= _QUERY_KEPT
