"""A library file's bytes built table by table, so that a commit that only adds is a splice.

orjson writes a dict compactly and in insertion order, and a commit merges new
documents at the end of their table. So when a commit only adds keys, each grown
table's new bytes are its old bytes without the closing ``}``, a ``,``, and the
encoding of the added entries without its opening ``{``; an untouched table's
bytes are its old bytes. The file put together from those pieces is byte for byte
``orjson.dumps`` of the merged data, at a cost in proportion to what was added
rather than to the file: a bulk import's later commits no longer re-encode the
whole library each time.

Where the old bytes come from is the storage's business (see ``storage.py``):
here they are given, with the span of each table's value in them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import orjson

Span = tuple[int, int]  # where a table's value lies in a file's bytes: [start, end)
Piece = bytes | memoryview


@dataclass(frozen=True)
class Encoded:
    """A file's bytes, as pieces written one after another (joining a 100 MB file's
    pieces first would copy it once more), and per table the span of its value in them."""

    parts: tuple[Piece, ...]
    spans: dict[str, Span]

    @property
    def raw(self) -> bytes:
        return b"".join(self.parts)


def encode(
    tables: Mapping[str, Any],
    old: bytes = b"",
    reuse: Mapping[str, Span] | None = None,
    grown: Mapping[str, Mapping[str, Any]] | None = None,
) -> Encoded:
    """``orjson.dumps(tables)``, with the spans of its tables.

    A table named in ``reuse`` is taken from ``old`` at that span rather than encoded:
    as it is, or, when it is also in ``grown``, with those entries (keys it did not
    hold, in the order they were merged) appended. Every other table is encoded.
    """
    reuse = reuse or {}
    grown = grown or {}
    view = memoryview(old)
    parts: list[Piece] = [b"{"]
    spans: dict[str, Span] = {}
    at = 1
    for name, table in tables.items():
        if type(name) is not str:
            return Encoded((orjson.dumps(tables),), {})  # raises as encoding the whole would
        if spans:
            parts.append(b",")
            at += 1
        key = orjson.dumps(name) + b":"
        parts.append(key)
        at += len(key)
        span = reuse.get(name)
        pieces = [orjson.dumps(table)] if span is None else _reused(view, span, table, grown.get(name))
        start = at
        for piece in pieces:
            parts.append(piece)
            at += len(piece)
        spans[name] = (start, at)
    parts.append(b"}")
    return Encoded(tuple(parts), spans)


def _reused(view: memoryview, span: Span, table: Any, added: Mapping[str, Any] | None) -> list[Piece]:
    """A table's old bytes, grown by ``added``; encoded afresh when the span does not
    hold an object (bytes that are not the ones the span was taken from)."""
    start, end = span
    if not (0 <= start < end <= len(view) and view[start] == 0x7B and view[end - 1] == 0x7D):  # { ... }
        return [orjson.dumps(table)]
    if not added:
        return [view[start:end]]
    new = orjson.dumps(added)
    if end - start == 2:  # the table was empty: its new bytes are the added entries alone
        return [new]
    return [view[start : end - 1], b",", memoryview(new)[1:]]
