"""Podlove Simple Chapters inside a feed item."""

from __future__ import annotations

from typing import Callable
from xml.etree.ElementTree import Element

from .npt import parse_npt
from .records import MAX_CHAPTERS, ChapterIn, chapter

PSC_NS = "{http://podlove.org/simple-chapters}"


def psc_chapters(block: Element, name: Callable[[str], str] | None = None) -> list[ChapterIn]:
    """The chapters of one ``<psc:chapters>`` element, in time order (at most 500).
    ``name`` gives an element's canonical name (any spelling of the namespace)."""
    out: list[ChapterIn] = []
    for node in block:
        tag = name(node.tag) if name else node.tag
        if not (tag == f"{PSC_NS}chapter" or tag.endswith(":chapter") or tag == "chapter"):
            continue
        found = chapter(node.get("title") or "", parse_npt(node.get("start")))
        if found is not None:
            out.append(found)
            if len(out) >= MAX_CHAPTERS:
                break
    out.sort(key=lambda c: c.start_s)
    return out
