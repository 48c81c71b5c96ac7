"""Text from outside is data: control characters go at import, and what reaches a
terminal is escaped again on the way out (old libraries may hold raw text).

Everything here is one ``str.translate`` pass (after a scan that finds nothing to
change in most text): linear in the input, no backtracking.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, and the bidi overrides and isolates
# that reorder what a terminal shows (a "Trojan Source" title).
_C0 = [c for c in range(0x20) if c not in (0x09, 0x0A)]
_C1 = list(range(0x7F, 0xA0))
_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_DROP = dict.fromkeys([*_C0, *_C1, *_BIDI])

# A quick scan for anything the tables change: most text has nothing to drop, and a
# search without a match is much cheaper than translating every character.
_ANY_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

_BLOCK = {**_DROP, 0x0D: 0x0A}  # a lone CR is a line break; CRLF is folded below
_LINE = {**_DROP, 0x09: 0x20, 0x0A: 0x20, 0x0D: 0x20}

# On output: each control character still present is shown as a visible stand-in.
_VISIBLE_LINE = {c: f"\\x{c:02x}" for c in [*_C0, *_C1, 0x09, 0x0A]} | {c: f"\\u{c:04x}" for c in _BIDI}
_VISIBLE_BLOCK = {c: v for c, v in _VISIBLE_LINE.items() if c not in (0x09, 0x0A)}


def clean_line(text: str) -> str:
    """One line of text from outside (a title, a name, a URL): controls dropped,
    tabs and line breaks become spaces, runs of spaces and the ends trimmed."""
    if not text:
        return ""
    return " ".join((text.translate(_LINE) if _ANY_CONTROL.search(text) else text).split())


def clean_block(text: str) -> str:
    """Multi-line text from outside (a description): controls dropped, tabs and line
    breaks kept, CRLF folded to LF."""
    if not text:
        return ""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    return text.translate(_BLOCK) if _ANY_CONTROL.search(text) else text


def terminal_safe(text: str, multiline: bool = False) -> str:
    """Any control character left in ``text`` spelled out (``\\x1b``), so printing it
    cannot drive the terminal. With ``multiline``, tabs and line breaks stay."""
    return text.translate(_VISIBLE_BLOCK if multiline else _VISIBLE_LINE)
