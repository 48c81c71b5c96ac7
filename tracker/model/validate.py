"""Checking an imported tracker export against the record types, whole, before writing.

Anything malformed refuses the whole document with one line naming the first problem
(``ImportFailed``); nothing is written. Text is cleaned as at any import
(``text.py``); numbers must be finite and in range, dates between 1900 and 2200,
statuses and marks known, queue items and history entries well formed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import spans as sp
from .errors import ImportFailed
from .library import SPEEDS
from .migrate import state_v1_doc
from .records import MAX_CHAPTERS, STATUSES, Episode, EpisodeState, portable_state
from .text import capped_title, clean_block, clean_line, usable_url

MAX_SECONDS = 1e7
MAX_TEXT = 1_000_000
MAX_ID = 200
YEARS = (1900, 2200)
# A show's fields that the importers write as text (or null): refresh and playback read
# them as strings (a number as ``feed_url`` or ``etag`` would crash them).
SHOW_TEXT = ("title", "kind", "key", "feed_url", "path", "link", "author", "description", "source",
             "language", "podcast_guid", "self_url", "new_feed_url", "etag", "last_modified", "fetched_at")


class Invalid(Exception):
    pass


@dataclass
class ExportDoc:
    version: int
    shows: dict[str, dict[str, Any]]
    episodes: dict[str, dict[str, Any]]
    state_docs: dict[str, dict[str, Any]]
    queue: list[str]
    history: dict[str, dict[str, Any]]
    days: dict[str, dict[str, float]]
    unsubscribed: list[str]
    speeds: dict[str, float]  # show id -> the playback speed chosen for it

    def states(self) -> dict[str, EpisodeState]:
        return {eid: EpisodeState.from_doc(doc) for eid, doc in self.state_docs.items()}


def check_export(data: Any) -> ExportDoc:
    try:
        return _check(data)
    except Invalid as err:
        raise ImportFailed(f"not a usable tracker export, nothing imported: {err}") from None


def _check(data: Any) -> ExportDoc:
    _type(data, dict, "the document")
    version = data.get("version")
    if version not in (1, 2) or isinstance(version, bool):
        raise Invalid(f"version {version!r} is not supported (this tracker reads 1 and 2)")
    shows = {_id(k, "a show id"): _show(v, k) for k, v in _type(data.get("shows") or {}, dict, "shows").items()}
    episodes = {_id(k, "an episode id"): _episode(v, k)
                for k, v in _type(data.get("episodes") or {}, dict, "episodes").items()}
    known = {eid: Episode.from_doc(eid, {**doc, "show": ""}) for eid, doc in episodes.items()}
    states = {}
    for eid, doc in _type(data.get("state") or {}, dict, "state").items():
        states[_id(eid, "an episode id")] = _state(doc, f"state of {eid!r}", version, known.get(eid))
    queue = []
    for item in _type(data.get("queue") if data.get("queue") is not None else [], list, "queue"):
        eid = item[0] if isinstance(item, list) and len(item) == 2 and _chapter_n(item[1]) else item
        queue.append(_id(eid, "a queue item"))
    history = {}
    for seq, doc in _type(data.get("history") or {}, dict, "history").items():
        if not isinstance(seq, str) or not seq.isdecimal() or not 0 < int(seq) < 10**9:
            raise Invalid(f"history key {seq!r} is not a sequence number")
        history[str(int(seq))] = _action(doc, f"history action {seq}", version, known)
    days = _credit(data.get("days") or {}, "days")
    unsubscribed = [_id(sid, "an unsubscribed show") for sid in _type(data.get("unsubscribed") or [], list, "unsubscribed")]
    speeds = {_id(sid, "a show with a speed"): float(_number(v, f"the speed of show {sid!r}", *SPEEDS))
              for sid, v in _type(data.get("speeds") or {}, dict, "speeds").items()}
    return ExportDoc(version, shows, episodes, states, list(dict.fromkeys(queue)), history, days,
                     list(dict.fromkeys(unsubscribed)), speeds)


def _credit(raw: Any, where: str) -> dict[str, dict[str, float]]:
    """Heard seconds per local day and show (the day log, or an action's share of it)."""
    credit = {}
    for day, shows in _type(raw, dict, where).items():
        _date(day, f"{where}: a day", optional=False)
        credit[day] = {_id(k, f"{where}: a show"): _number(v, f"{where}: seconds of {day}")
                       for k, v in _type(shows, dict, f"{where}: {day}").items()}
    return credit


# -- pieces ---------------------------------------------------------------------------------
def _type(value: Any, kind: type, what: str) -> Any:
    if not isinstance(value, kind):
        raise Invalid(f"{what} must be a{'n' if _names[kind][0] in 'aeiou' else ''} "
                      f"{_names[kind]}, not {_what(value)}")
    return value


_names: dict[type, str] = {dict: "object", list: "list", str: "string"}


def _what(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _id(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_ID:
        raise Invalid(f"{what} must be a short non-empty string, not {_what(value)}")
    cleaned = clean_line(value)
    if cleaned != value:
        raise Invalid(f"{what} {cleaned!r} holds control characters or spaces at its ends")
    return value


def _number(value: Any, what: str, lo: float = 0.0, hi: float = MAX_SECONDS) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Invalid(f"{what} must be a number, not {_what(value)}")
    try:
        number = float(value)
    except OverflowError:
        raise Invalid(f"{what} is far out of range") from None
    if not math.isfinite(number) or not lo <= number <= hi:
        raise Invalid(f"{what} is out of range ({lo:g} to {hi:g})")
    return value if isinstance(value, int) else number


def _optional_number(value: Any, what: str, hi: float = MAX_SECONDS) -> float | None:
    return None if value is None else _number(value, what, 0.0, hi)


def _int(value: Any, what: str, hi: int = 10**6) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= hi:
        raise Invalid(f"{what} must be a whole number from 0 to {hi:,}")
    return value


def _chapter_n(value: Any) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_CHAPTERS)


def _text(value: Any, what: str, block: bool = False) -> str:
    if not isinstance(value, str):
        raise Invalid(f"{what} must be a string, not {_what(value)}")
    if len(value) > MAX_TEXT:
        raise Invalid(f"{what} is longer than {MAX_TEXT:,} characters")
    return clean_block(value) if block else clean_line(value)


def _optional_text(value: Any, what: str) -> str | None:
    return None if value is None else _text(value, what)


def _date(value: Any, what: str, optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    text = _text(value, what)
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(f"{what} {text[:40]!r} is not an ISO date") from None
    if not YEARS[0] <= when.year <= YEARS[1]:
        raise Invalid(f"{what} {text[:40]!r} is outside the years {YEARS[0]} to {YEARS[1]}")
    if when.tzinfo is None and "T" in text:
        raise Invalid(f"{what} {text[:40]!r} has no time zone")
    return text


def _show(doc: Any, sid: str) -> dict[str, Any]:
    _type(doc, dict, f"show {sid!r}")
    out: dict[str, Any] = {}
    for key, value in doc.items():
        if isinstance(value, str):
            out[key] = clean_line(value)[:MAX_TEXT]
        elif value is None:
            out[key] = value
        elif key in SHOW_TEXT:
            raise Invalid(f"show {sid!r}: {key} must be text, not {_what(value)}")
        elif isinstance(value, bool):
            out[key] = value
        elif isinstance(value, (int, float)):
            out[key] = _number(value, f"show {sid!r}: {key}", -1e12, 1e12)
        else:
            raise Invalid(f"show {sid!r}: {key} must be text or a number, not {_what(value)}")
    out["title"] = capped_title(_text(doc.get("title", ""), f"show {sid!r}: title"))
    for key in ("link", "self_url", "new_feed_url"):  # the feed URL is the show's identity: kept
        if isinstance(out.get(key), str):
            out[key] = usable_url(out[key])
    return out


def _in_order(chapters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """By start, one per start, none running into the next, as every chapter source gives
    them: the listening rules (resume, marks following their chapter) read them so."""
    out: list[dict[str, Any]] = []
    for ch in sorted(chapters, key=lambda c: c["start_s"]):
        if out and out[-1]["start_s"] == ch["start_s"]:
            continue
        if out and (out[-1]["end_s"] is None or out[-1]["end_s"] > ch["start_s"]):
            out[-1] = {**out[-1], "end_s": ch["start_s"]}
        out.append(ch)
    return out


def _episode(doc: Any, eid: str) -> dict[str, Any]:
    where = f"episode {eid!r}"
    _type(doc, dict, where)
    chapters = []
    for i, ch in enumerate(_type(doc.get("chapters") or [], list, f"{where}: chapters"), start=1):
        if i > MAX_CHAPTERS:
            raise Invalid(f"{where} has more than {MAX_CHAPTERS} chapters")
        _type(ch, dict, f"{where}: chapter {i}")
        if "start_s" not in ch:
            raise Invalid(f"{where}: chapter {i} has no start_s")
        start = _number(ch["start_s"], f"{where}: chapter {i} start_s")
        end = _optional_number(ch.get("end_s"), f"{where}: chapter {i} end_s")
        if end is not None and end < start:
            raise Invalid(f"{where}: chapter {i} ends before it starts")
        chapters.append({"title": _text(ch.get("title", ""), f"{where}: chapter {i} title"), "start_s": start,
                         "end_s": end})
    return {
        "show_id": _id(doc.get("show_id"), f"{where}: show_id"),
        "show": capped_title(_text(doc.get("show", ""), f"{where}: show")),
        "title": capped_title(_text(doc.get("title", ""), f"{where}: title")),
        "published": _date(doc.get("published"), f"{where}: published"),
        "duration_s": _optional_number(doc.get("duration_s"), f"{where}: duration_s"),
        "guid": _optional_text(doc.get("guid"), f"{where}: guid"),
        "audio_url": usable_url(_optional_text(doc.get("audio_url"), f"{where}: audio_url")),
        "link": usable_url(_optional_text(doc.get("link"), f"{where}: link")),
        "season": _int(doc.get("season"), f"{where}: season"),
        "number": _int(doc.get("number"), f"{where}: number"),
        "chapters": _in_order(chapters),
        "chapters_source": _optional_text(doc.get("chapters_source"), f"{where}: chapters_source"),
        "description": _text(doc.get("description", ""), f"{where}: description", block=True),
    }


def _state(doc: Any, where: str, version: int, episode: Episode | None) -> dict[str, Any]:
    _type(doc, dict, where)
    status = doc.get("status", "new")
    if status not in STATUSES:
        raise Invalid(f"{where}: status {str(status)[:40]!r} is not one of {', '.join(STATUSES)}")
    position = _number(doc.get("position_s", 0), f"{where}: position_s")
    listened_at = _date(doc.get("listened_at"), f"{where}: listened_at")
    updated_at = _date(doc.get("updated_at"), f"{where}: updated_at")
    if version == 1 or "chapters" in doc and "spans" not in doc:
        for i, item in enumerate(_type(doc.get("chapters") or [], list, f"{where}: chapters"), start=1):
            if not isinstance(item, list) or len(item) != 2 or item[1] not in (None, "done", "skipped"):
                raise Invalid(f"{where}: chapter {i} must be [heard seconds, null/done/skipped]")
            _number(item[0], f"{where}: chapter {i} heard seconds")
        base = {"status": status, "position_s": position, "chapters": doc.get("chapters") or [],
                "listened_at": listened_at, "updated_at": updated_at}
        return portable_state(state_v1_doc(base, episode)) or {}
    raw_spans = _type(doc.get("spans") or [], list, f"{where}: spans")
    if len(raw_spans) > sp.MAX_SPANS:
        raise Invalid(f"{where} has more than {sp.MAX_SPANS} spans")
    for i, pair in enumerate(raw_spans, start=1):
        if not isinstance(pair, list) or len(pair) != 2:
            raise Invalid(f"{where}: span {i} must be [start, end]")
        a, b = _number(pair[0], f"{where}: span {i} start"), _number(pair[1], f"{where}: span {i} end")
        if b < a:
            raise Invalid(f"{where}: span {i} ends before it starts")
    marks = []
    for i, m in enumerate(_type(doc.get("marks") or [], list, f"{where}: marks"), start=1):
        if not isinstance(m, list) or len(m) != 4 or m[3] not in ("done", "skipped"):
            raise Invalid(f"{where}: mark {i} must be [start, end, title, done/skipped]")
        start = _number(m[0], f"{where}: mark {i} start")
        end = _optional_number(m[1], f"{where}: mark {i} end")
        marks.append([start, end, _text(m[2], f"{where}: mark {i} title"), m[3]])
    before = _optional_number(doc.get("before_listened"), f"{where}: before_listened")
    doc = {"status": status, "position_s": position, "spans": raw_spans, "marks": marks,
           "listened_at": listened_at, "updated_at": updated_at, "before_listened": before}
    return portable_state(doc) or {}


def _action(doc: Any, where: str, version: int, known: dict[str, Episode]) -> dict[str, Any]:
    _type(doc, dict, where)
    if "at" not in doc:
        raise Invalid(f"{where} has no time (at)")
    out: dict[str, Any] = {
        "at": _date(doc["at"], f"{where}: at", optional=False),
        "kind": _id(doc.get("kind"), f"{where}: kind"),
        "episodes": [_id(e, f"{where}: an episode") for e in _type(doc.get("episodes") or [], list, f"{where}: episodes")],
        "summary": _text(doc.get("summary", ""), f"{where}: summary"),
    }
    for side in ("before", "after"):
        docs = {}
        for eid, st in _type(doc.get(side) or {}, dict, f"{where}: {side}").items():
            docs[_id(eid, f"{where}: an episode")] = None if st is None else _state(
                st, f"{where}: {side} {eid!r}", version, known.get(eid))
        out[side] = docs
    for side in ("queue_before", "queue_after"):
        value = doc.get(side)
        if value is not None:
            items = []
            for item in _type(value, list, f"{where}: {side}"):
                if not isinstance(item, list) or len(item) != 2 or not _chapter_n(item[1]):
                    raise Invalid(f"{where}: {side} items must be [episode id, chapter or null]")
                items.append([_id(item[0], f"{where}: {side} item"), item[1]])
            value = items
        out[side] = value
    for side in ("shows_before", "shows_after"):
        shows = _type(doc.get(side) or {}, dict, f"{where}: {side}")
        out[side] = {_id(k, f"{where}: a show"): {"unsubscribed": bool(_type(v, dict, f"{where}: {side}").get("unsubscribed"))}
                     for k, v in shows.items()}
    out["credit"] = _credit(doc.get("credit") or {}, f"{where}: credit")
    return out
