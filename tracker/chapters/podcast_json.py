"""Podcasting 2.0 JSON chapters (``application/json+chapters``, spec v1.2)."""

from __future__ import annotations

from typing import Any

import orjson

from ..model.errors import ChapterFileError
from .records import ChapterIn

NAMESPACES = (
    "https://podcastindex.org/namespace/1.0",
    "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
)


def parse_json_chapters(raw: bytes) -> list[ChapterIn]:
    """Visible chapters (``toc: false`` ones are hidden), in time order."""
    try:
        data: Any = orjson.loads(raw)
    except orjson.JSONDecodeError as err:
        raise ChapterFileError(f"chapters file is not JSON ({err.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("chapters"), list):
        raise ChapterFileError("chapters file has no 'chapters' list")
    out = []
    for entry in data["chapters"]:
        if not isinstance(entry, dict) or entry.get("toc") is False:
            continue
        start = entry.get("startTime")
        if isinstance(start, bool) or not isinstance(start, (int, float)):
            continue
        end = entry.get("endTime")
        end_s = float(end) if isinstance(end, (int, float)) and not isinstance(end, bool) else None
        title = entry.get("title")
        out.append(ChapterIn(title.strip() if isinstance(title, str) else "", float(start), end_s))
    out.sort(key=lambda c: c.start_s)
    return out
