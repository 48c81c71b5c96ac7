"""Feed HTML to plain text: tags stripped, entities decoded, paragraphs kept."""

from __future__ import annotations

import html
import re

_BLOCK = re.compile(r"<\s*(?:br|/p|/div|/li|/h[1-6]|/tr|/blockquote|hr)\b[^>]*>", re.IGNORECASE)
_LI = re.compile(r"<\s*li\b[^>]*>", re.IGNORECASE)
_DROP = re.compile(r"<\s*(script|style)\b.*?</\s*\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[ \t\f\v\u00a0]{2,}|[\t\f\v\u00a0]")  # single spaces need no change
_BLANKS = re.compile(r"\n\s*\n\s*\n+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain_text(markup: str) -> str:
    if not markup:
        return ""
    text = markup
    if "<" in text:
        lower = text.lower()
        if "<script" in lower or "<style" in lower:
            text = _DROP.sub("", text)
        if "<li" in lower:
            text = _LI.sub("\n• ", text)
        text = _BLOCK.sub("\n", text)
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "  " in text or "\t" in text or "\xa0" in text or "\f" in text or "\v" in text:
        text = _SPACES.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = _BLANKS.sub("\n\n", text)
    # Control characters other than newline and tab never reach the screen.
    return _CONTROL.sub("", text).strip()


def one_line(text: str) -> str:
    return " ".join(plain_text(text).split())
