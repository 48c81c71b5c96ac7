"""What each stored document must look like, checked only once a command has failed
unexpectedly.

A library file edited by hand can be valid JSON and still wrong (a title that is a
number, a date that is not text): every reader trusts the files it wrote, so such a
file ended commands in a traceback. Checking every document on every command would
cost a 100,000-episode library about 100 ms; here only a command that failed pays, and
the user gets one line naming the file, the document and the field instead.
"""

from __future__ import annotations

from typing import Any, Callable

from store import Store

from .files import (ACTIONS, ARCHIVE_FILE, ARCHIVE_SEGMENTS, CATALOG_FILE, DAYS, DETAIL_NAMES, DETAILS, EPISODES,
                    HISTORY_FILE, LISTING_NAMES, QUEUE, QUEUE_KEY, SHOWS, STATE_FILE)
from .vocabulary import STATUSES

Check = Callable[[Any], bool]


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _text_or_none(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number_or_none(value: Any) -> bool:
    return value is None or _number(value)


def _whole_or_none(value: Any) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool))


def _chapters(value: Any) -> bool:
    return value is None or (isinstance(value, list) and all(
        isinstance(c, dict) and _text(c.get("title")) and _number(c.get("start_s")) and _number_or_none(c.get("end_s"))
        for c in value))


def _texts_or_none(value: Any) -> bool:
    return value is None or (isinstance(value, list) and all(_text(v) for v in value))


def _document_or_none(value: Any) -> bool:
    return value is None or isinstance(value, dict)


def _status(value: Any) -> bool:
    return value is None or value in STATUSES


def _queue_items(value: Any) -> bool:
    return value is None or (isinstance(value, list) and all(
        isinstance(item, list) and len(item) == 2 and _text(item[0]) and _whole_or_none(item[1]) for item in value))


# Per file kind and table: each field a reader relies on, and what it must hold.
LISTING: dict[str, Check] = {"show_id": _text_or_none, "title": _text_or_none, "published": _text_or_none,
                             "duration_s": _number_or_none}
DETAILS_DOC: dict[str, Check] = {"guid": _text_or_none, "audio_url": _text_or_none, "link": _text_or_none,
                                 "season": _whole_or_none, "number": _whole_or_none, "chapters": _chapters,
                                 "chapters_source": _text_or_none}
SHOW: dict[str, Check] = {"title": _text_or_none, "feed_url": _text_or_none, "link": _text_or_none,
                          "author": _text_or_none}
STATE: dict[str, Check] = {"status": _status, "position_s": _number_or_none, "listened_at": _text_or_none,
                           "updated_at": _text_or_none, "before_listened": _number_or_none,
                           "done": _whole_or_none, "skipped": _whole_or_none}  # (the counts stats add up)
QUEUE_DOC: dict[str, Check] = {"items": _queue_items}
ACTION: dict[str, Check] = {"at": _text, "kind": _text, "summary": _text_or_none, "episodes": _texts_or_none,
                            "before": _document_or_none, "after": _document_or_none, "queue_before": _queue_items,
                            "queue_after": _queue_items, "credit": _document_or_none}
EVERY = "*"  # a table whose fields are ids, not names: every field is checked alike
DAY: dict[str, Check] = {EVERY: _number}  # the day log: heard seconds per show id


def misshapen(store: Store) -> str | None:
    """The first stored document a reader cannot take, as ``file: table "key": field ...``,
    or None when every document checked has the shape the readers expect. Never raises:
    it runs on the way to reporting another error."""
    wanted: list[tuple[str, str, dict[str, Check]]] = [(CATALOG_FILE, SHOWS, SHOW)]
    wanted += [(name, EPISODES, LISTING) for name in LISTING_NAMES]
    wanted += [(name, DETAILS, DETAILS_DOC) for name in DETAIL_NAMES]
    wanted += [(STATE_FILE, EPISODES, STATE), (STATE_FILE, QUEUE, QUEUE_DOC), (STATE_FILE, DAYS, DAY)]
    wanted += [(name, ACTIONS, ACTION) for name in (HISTORY_FILE, ARCHIVE_FILE, *ARCHIVE_SEGMENTS)]
    for name, table, fields in wanted:
        try:
            docs = store.table(name, table)
            filename = store.specs[name].filename
        except Exception:  # noqa: BLE001 - a file that cannot be read is another error's to tell
            continue
        for key, doc in docs.items():
            if table == QUEUE and key != QUEUE_KEY:
                continue
            if not isinstance(doc, dict):
                return f"{filename}: {table} “{key}” is not a document but {_kind(doc)}"
            checks = [(field, fields[EVERY]) for field in doc] if EVERY in fields else fields.items()
            for field, fits in checks:
                if not fits(doc.get(field)):
                    return f"{filename}: {table} “{key}” has a {field} that is {_kind(doc.get(field))}"
    return None


def _kind(value: Any) -> str:
    """What a value is, in a user's words, with a short sample."""
    sample = repr(value)
    if len(sample) > 40:
        sample = sample[:39] + "…"
    names = {bool: "true or false", int: "a number", float: "a number", str: "text", list: "a list",
             dict: "a document", type(None): "missing"}
    return f"{names.get(type(value), type(value).__name__)} ({sample})"


def misshapen_line(store: Store) -> str | None:
    """``misshapen`` as the one line a face shows the user (the CLI and the TUI alike)."""
    why = misshapen(store)
    if why is None:
        return None
    return (f"{why}: the file was edited or damaged; put back its copy from the library's backups folder, "
            "or mend that field")
