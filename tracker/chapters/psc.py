"""Podlove Simple Chapters inside a feed item."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from .npt import parse_npt
from .records import ChapterIn

PSC_NS = "{http://podlove.org/simple-chapters}"


def psc_chapters(item: Element) -> list[ChapterIn]:
    out: list[ChapterIn] = []
    for block in item.iter(f"{PSC_NS}chapters"):
        for node in block.iter(f"{PSC_NS}chapter"):
            start = parse_npt(node.get("start"))
            if start is None:
                continue
            out.append(ChapterIn((node.get("title") or "").strip(), start))
    out.sort(key=lambda c: c.start_s)
    return out
