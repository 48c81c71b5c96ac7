"""Text from outside is data: control characters go at import, and what reaches a
terminal is escaped again on the way out (old libraries may hold raw text).

Everything here is one ``str.translate`` pass: linear in the input, no regex. Most
text from feeds is ASCII, and for it the same is done on bytes (a table lookup per
byte, several times faster than ``str.translate``'s dictionary), with the same result.
"""

from __future__ import annotations

import unicodedata

# C0 controls but tab and newline, DEL, C1 controls, and the bidi overrides and isolates
# that reorder what a terminal shows (a "Trojan Source" title); and lone surrogates (half an
# emoji, as JSON's "\ud83d" escape writes it), which no file can store or terminal show.
_C0 = [c for c in range(0x20) if c not in (0x09, 0x0A)]
_C1 = list(range(0x7F, 0xA0))
_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_SURROGATES = range(0xD800, 0xE000)
_DROP = dict.fromkeys([*_C0, *_C1, *_BIDI, *_SURROGATES])

_BLOCK = {**_DROP, 0x0D: 0x0A}  # a lone CR is a line break; CRLF is folded below
_LINE = {**_DROP, 0x09: 0x20, 0x0A: 0x20, 0x0D: 0x20}

# The same tables for ASCII text, on bytes: what is dropped (CR is not: it is a line
# break in a block and a space on a line), and CR as a line break.
_ASCII_DROP = bytes(c for c in _DROP if c < 0x80 and c != 0x0D)
_ASCII_BLOCK = bytes.maketrans(b"\r", b"\n")

# On output: each control character still present is shown as a visible stand-in.
_VISIBLE_LINE = {c: f"\\x{c:02x}" for c in [*_C0, *_C1, 0x09, 0x0A]} | {c: f"\\u{c:04x}" for c in _BIDI}
_VISIBLE_BLOCK = {c: v for c, v in _VISIBLE_LINE.items() if c not in (0x09, 0x0A)}


def clean_line(text: str) -> str:
    """One line of text from outside (a title, a name, a URL): controls dropped,
    tabs and line breaks become spaces, runs of spaces and the ends trimmed."""
    if not text:
        return ""
    if text.isprintable():
        # No control, line break, tab, bidi control or space other than " " (each is
        # unprintable): only runs of spaces and the ends can change, and most titles,
        # URLs and guids have neither (one C pass, not an encode, a translate and a split).
        if "  " not in text and text[0] != " " and text[-1] != " ":
            return text
        return " ".join(text.split())
    if text.isascii():  # tab, CR and LF are spaces to split() already
        raw = text.encode("ascii")
        kept = raw.translate(None, _ASCII_DROP)
        return " ".join((text if len(kept) == len(raw) else kept.decode("ascii")).split())
    return " ".join(text.translate(_LINE).split())


def clean_block(text: str) -> str:
    """Multi-line text from outside (a description): controls dropped, tabs and line
    breaks kept, CRLF folded to LF."""
    if not text:
        return ""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if text.isascii():
        raw = text.encode("ascii")
        kept = raw.translate(_ASCII_BLOCK, _ASCII_DROP)
        return text if kept == raw else kept.decode("ascii")
    return text.translate(_BLOCK)


def terminal_safe(text: str, multiline: bool = False) -> str:
    """Any control character left in ``text`` spelled out (``\\x1b``), so printing it
    cannot drive the terminal. With ``multiline``, tabs and line breaks stay."""
    return text.translate(_VISIBLE_BLOCK if multiline else _VISIBLE_LINE)


# Lengths kept at import: a title longer than any real one is cut (a 900 KB title was
# stored whole and printed whole by the import summary); a URL that long is no address
# a player or browser takes, so it is dropped as unusable rather than cut into a wrong one.
MAX_TITLE = 1_000
MAX_URL = 4_096


def capped_title(text: str) -> str:
    """A title, name or author of at most ``MAX_TITLE`` characters, an ellipsis marking a cut."""
    if len(text) <= MAX_TITLE:
        return text
    return text[: MAX_TITLE - 1].rstrip() + "…"


def usable_url(text: str | None) -> str | None:
    """The URL, or ``None`` when it is longer than ``MAX_URL`` (unusable, so not kept)."""
    return text if text is not None and len(text) <= MAX_URL else None


def fold(text: str) -> str:
    """``text`` as searches, filters and title sorts compare it: case-folded, and with
    'é' one character however it was written (precomposed from a keyboard, 'e' plus a
    combining accent from some feeds and macOS file names), so what looks the same matches."""
    return unicodedata.normalize("NFC", text.casefold())
