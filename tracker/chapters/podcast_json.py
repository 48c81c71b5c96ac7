"""Podcasting 2.0 JSON chapters (``application/json+chapters``, spec v1.2)."""

from __future__ import annotations

import heapq
import json
from typing import Any

import orjson

from ..model.errors import ChapterFileError
from .npt import parse_npt
from .records import MAX_CHAPTERS, ChapterIn, chapter

NAMESPACES = (
    "https://podcastindex.org/namespace/1.0",
    "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
)


def parse_json_chapters(raw: bytes) -> list[ChapterIn]:
    """Visible chapters (``toc: false`` ones are hidden), in time order; the earliest 500 at most,
    and a start out of range (``1e20``, negative, not a time) drops its chapter."""
    try:
        data: Any = orjson.loads(raw)
    except orjson.JSONDecodeError as err:
        data = _lenient(raw, err.msg)
    if not isinstance(data, dict) or not isinstance(data.get("chapters"), list):
        raise ChapterFileError("chapters file has no 'chapters' list")
    out = []
    for entry in data["chapters"]:
        if not isinstance(entry, dict) or entry.get("toc") is False:
            continue
        found = chapter(entry.get("title"), _time(entry.get("startTime")), _time(entry.get("endTime")))
        if found is not None:
            out.append(found)
    if len(out) > MAX_CHAPTERS:  # the earliest, not the first written (a file may list them in any order)
        return heapq.nsmallest(MAX_CHAPTERS, out, key=_start)
    out.sort(key=_start)
    return out


def _start(c: ChapterIn) -> float:
    return c.start_s


def _time(value: object) -> object:
    """A time as the file gives it, where a number written as text is a number: "300"
    and "60.5" (the spec asks for a number, but AntennaPod's JSON reader takes a numeric
    text as one) and a clock such as "05:00" are seconds; other text is no time."""
    return parse_npt(value) if isinstance(value, str) else value


def _lenient(raw: bytes, why: str) -> Any:
    """The file as Python reads JSON: ``NaN``, ``Infinity`` (Python's own json.dumps
    writes them) and ``1e400`` are numbers there, so one such start drops its chapter
    rather than the whole file. Bytes that are not UTF-8 are read as windows-1252, as
    such feeds are (a Windows tool's "Café"). Anything else the strict parser refused stays refused."""
    try:
        try:
            return json.loads(raw)
        except UnicodeDecodeError:
            return json.loads(raw.decode("windows-1252", errors="replace"))
    except (ValueError, RecursionError):
        raise ChapterFileError(f"chapters file is not JSON ({why})") from None
