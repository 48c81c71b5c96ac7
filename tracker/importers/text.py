"""Feed HTML to plain text: tags stripped, entities decoded, paragraphs kept.

Every step is linear in its input: tag patterns never cross a ``<`` (so a run of
``<<<<`` costs one pass, not one pass per ``<``), comments and scripts are cut by
``str.find``, and a field is cut to ``MAX_MARKUP`` characters before any of it.
Only ``<`` followed by a letter, ``/`` or ``!`` starts a tag, so a title such as
``RSS <<< Title >>>`` keeps its brackets.
"""

from __future__ import annotations

import html
import re
import string

from ..model.text import clean_block, clean_line

MAX_MARKUP = 1_000_000  # characters of one field's markup that are read at all
MAX_TEXT = 100_000  # characters of plain text kept for a description

_BREAK = re.compile(r"<(?:br|hr|/p|/div|/ul|/ol|/h[1-6]|/tr|/blockquote|/dd)\b[^<>]*>", re.IGNORECASE)
# A table's cells and a definition list's terms end in a space: "<td>0:00</td><td>Intro</td>"
# is "0:00 Intro", not "0:00Intro" (a chapter list in a table was lost, and a header row
# read "TimeTopic").
_CELL_END = re.compile(r"</(?:t[dh]|dt)\b[^<>]*>", re.IGNORECASE)
_CELL_HINT = re.compile("</(?:[tT][dDhH]|[dD][tT])")  # (not every "</div>": the pass only where a cell ends)
_LI = re.compile(r"<li\b[^<>]*>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<![^<>]*>")
_HIDDEN_START = re.compile(r"<(?:!--|script|style)", re.IGNORECASE)
# Cheap looks before the costlier ones. A search for a two-character text is not the
# C scan a one-character one is: CPython's substring search stops at each space or
# "s" of a description, so one compiled pattern (whose scan skips to each "<") does
# the three looks for a hidden block's start in a sixth of the time, and finding a
# double space by pattern takes half as long as by ``in`` (~1.2 KB of show notes:
# 0.5 µs instead of 2.9, and 0.6 instead of 1.2).
_HIDDEN_HINT = re.compile(r"<(?:!--|[sS])")
_DOUBLE_SPACE = re.compile("  ")
_THREE_BREAKS = re.compile("\n\n\n")
_BLANKS = re.compile(r"\n{3,}")
# Spaces that ``str.split`` splits on and ``clean_block`` keeps, other than " " and "\n".
_ODD_SPACE = re.compile("[\t\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_HIDDEN = {"<!--": "-->", "<script": "</script", "<style": "</style"}
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


# In a title, only the tags HTML formats text with are markup: a title is text, and one
# about code keeps its "List<String>", "Map<K, V>" or "the <dialog> element".
_TITLE_TAG = re.compile(
    r"</?(?:a|abbr|b|big|br|cite|code|del|div|em|font|h[1-6]|i|ins|mark|p|q|s|small|span|strike|strong|"
    r"sub|sup|tt|u)\b[^<>]*>|<![^<>]*>",
    re.IGNORECASE,
)


def plain_text(markup: str, tag: re.Pattern[str] = _TAG) -> str:
    """A description's markup as plain text: paragraphs kept, controls gone. ``tag``:
    what counts as a tag besides line breaks and list items (every tag, in a description)."""
    if not markup:
        return ""
    text = markup[:MAX_MARKUP]
    if "<" in text:
        if "<![CDATA[" in text:  # (escaped twice by its generator: "&lt;![CDATA[Title]]&gt;")
            text = text.replace("<![CDATA[", "").replace("]]>", "")
        if _HIDDEN_HINT.search(text) and _HIDDEN_START.search(text):  # (a rare "<!--", "<s" or "<S"
            # first: several times cheaper than the case-blind pattern over the text)
            text = _drop_hidden(text)
        if tag is _TAG and _CELL_HINT.search(text):  # (a description's table: rare, a pass of its own)
            text = _CELL_END.sub(" ", text)
        # Three passes with fixed replacements (no Python call per tag): breaks, list
        # items, then every other tag; none of the patterns crosses a "<".
        text = tag.sub("", _LI.sub("\n• ", _BREAK.sub("\n", text)))
    if "&" in text:
        text = html.unescape(text)
    text = clean_block(text)
    if _needs_folding(text):
        # Runs of spaces (tabs, no-break spaces) become one and lines are trimmed, by
        # split and join: several times faster than a pattern over every space.
        text = "\n".join(" ".join(line.split()) for line in text.split("\n"))
    if _THREE_BREAKS.search(text):
        text = _BLANKS.sub("\n\n", text)
    text = text.strip()
    return text[:MAX_TEXT].rstrip() if len(text) > MAX_TEXT else text


def _needs_folding(text: str) -> bool:
    """False when folding spaces line by line would change nothing that the final
    ``strip`` does not: no run of spaces, no space at a line's edge, no other kind of
    space (substring searches and a look at each line's ends, far cheaper than
    splitting every word)."""
    if _DOUBLE_SPACE.search(text):
        return True
    if "\n" in text:  # (one look at each line's two ends: a search for " \n" costs as much as "  ")
        for line in text.split("\n"):
            if line[:1] == " " or line[-1:] == " ":
                return True
    return "\t" in text if text.isascii() else _ODD_SPACE.search(text) is not None


def one_line(text: str) -> str:
    """A title or a name: plain text on one line, formatting tags gone, other ``<...>`` kept."""
    if not text:
        return ""
    if "<" not in text and "&" not in text:
        return clean_line(text[:MAX_MARKUP])
    return clean_line(plain_text(text, _TITLE_TAG))


def _drop_hidden(text: str) -> str:
    """Comments, scripts and styles go whole; an unclosed one runs to the end."""
    lower = text.lower()
    if len(lower) != len(text):  # ("İ" lowers to two characters: the places must stay the text's)
        lower = text.translate(_ASCII_LOWER)
    if "<!--" not in lower and "<script" not in lower and "<style" not in lower:
        return text
    out: list[str] = []
    i = 0
    n = len(text)
    # Where each opener next occurs; searched again only once passed, so the
    # whole text is scanned a bounded number of times.
    found = {opener: lower.find(opener) for opener in _HIDDEN}
    while i < n:
        for opener, at in found.items():
            if 0 <= at < i:
                found[opener] = lower.find(opener, i)
        starts = [(at, _HIDDEN[opener]) for opener, at in found.items() if at >= 0]
        if not starts:
            out.append(text[i:])
            break
        start, closer = min(starts)
        out.append(text[i:start])
        end = lower.find(closer, start + 4)
        if end < 0:
            break
        gt = lower.find(">", end)
        i = gt + 1 if gt >= 0 else n
    return "".join(out)
