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


@lru_cache(maxsize=65536)  # a sync compares the same few thousand URLs many times
def normalize_url(url: str | None) -> str:
    """The stored form of ``url`` ("" for what no server would store)."""
    if not url:
        return ""
    url = url.strip()[:MAX_URL]
    if len(url) < 8:
        return ""
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
