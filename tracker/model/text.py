"""Text from outside is data: control characters go at import, and what reaches a
terminal is escaped again on the way out (old libraries may hold raw text).

Everything here is one ``str.translate`` pass: linear in the input, no regex.
"""

from __future__ import annotations

# C0 controls but tab and newline, DEL, C1 controls, and the bidi overrides and isolates
# that reorder what a terminal shows (a "Trojan Source" title).
_C0 = [c for c in range(0x20) if c not in (0x09, 0x0A)]
_C1 = list(range(0x7F, 0xA0))
_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_DROP = dict.fromkeys([*_C0, *_C1, *_BIDI])

_BLOCK = {**_DROP, 0x0D: 0x0A}  # a lone CR is a line break; CRLF is folded below
_LINE = {**_DROP, 0x09: 0x20, 0x0A: 0x20, 0x0D: 0x20}

# On output: each control character still present is shown as a visible stand-in.
_VISIBLE_LINE = {c: f"\\x{c:02x}" for c in [*_C0, *_C1, 0x09, 0x0A]} | {c: f"\\u{c:04x}" for c in _BIDI}
_VISIBLE_BLOCK = {c: v for c, v in _VISIBLE_LINE.items() if c not in (0x09, 0x0A)}


def clean_line(text: str) -> str:
    """One line of text from outside (a title, a name, a URL): controls dropped,
    tabs and line breaks become spaces, runs of spaces and the ends trimmed."""
    return " ".join(text.translate(_LINE).split()) if text else ""


def clean_block(text: str) -> str:
    """Multi-line text from outside (a description): controls dropped, tabs and line
    breaks kept, CRLF folded to LF."""
    if not text:
        return ""
    return text.replace("\r\n", "\n").translate(_BLOCK)


def terminal_safe(text: str, multiline: bool = False) -> str:
    """Any control character left in ``text`` spelled out (``\\x1b``), so printing it
    cannot drive the terminal. With ``multiline``, tabs and line breaks stay."""
    return text.translate(_VISIBLE_BLOCK if multiline else _VISIBLE_LINE)
