"""OPML subscription lists: every outline with a feed URL."""

from __future__ import annotations

from dataclasses import dataclass

from ..model.errors import ImportFailed
from .xmlsafe import iter_elements, local


@dataclass(frozen=True)
class Subscription:
    title: str
    url: str


def parse_opml(raw: bytes) -> list[Subscription]:
    subs: list[Subscription] = []
    seen: set[str] = set()
    root = None
    for _event, el in iter_elements(raw, events=("end",)):
        if local(el.tag) == "outline":
            url = (el.get("xmlUrl") or el.get("xmlurl") or el.get("url") or "").strip()
            if url and url not in seen and (el.get("type") or "rss").lower() in ("rss", "atom", "link"):
                seen.add(url)
                subs.append(Subscription((el.get("title") or el.get("text") or url).strip(), url))
        root = el
    if root is None or local(root.tag) != "opml":
        raise ImportFailed("not an OPML file")
    return subs
