"""Text columns measured in terminal cells, not characters.

A CJK character takes two cells and a combining accent none, so cutting a show name
at 28 *characters* pushes the next column out; these cut and pad by display width.
One pass over the text, no regex.
"""

from __future__ import annotations

import unicodedata

ELLIPSIS = "…"


def char_width(ch: str) -> int:
    """Cells one character takes: 0 for marks (Mn, Me) and zero-width, 2 for wide."""
    code = ord(ch)
    if code < 0x300:  # Latin, the common case: skip the table lookups
        return 1 if code >= 0x20 else 0
    if code in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF):
        return 0
    # Marks drawn on the letter before them: accents, and Thai and Indic vowel signs,
    # many of which have combining class 0. U+FE0F (emoji presentation) is not one:
    # it turns a narrow symbol (❤) into a two-cell emoji, so it keeps its cell.
    if code != 0xFE0F and (unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me")):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


def cut(text: str, cells: int) -> str:
    """``text`` fitted into ``cells``: cut with an ellipsis when it is wider."""
    if cells <= 0:
        return ""
    if len(text) <= cells and text.isascii():
        return text
    total = 0
    for i, ch in enumerate(text):
        total += char_width(ch)
        if total > cells:
            break
    else:
        return text
    kept: list[str] = []
    used = 0
    for ch in text[:i]:
        w = char_width(ch)
        if used + w > cells - 1:
            break
        kept.append(ch)
        used += w
    return "".join(kept) + ELLIPSIS


def fit(text: str, cells: int, right: bool = False) -> str:
    """``text`` cut and padded to exactly ``cells`` cells."""
    text = cut(text, cells)
    pad = " " * (cells - width(text))
    return pad + text if right else text + pad
