"""The import's fast paths give exactly what the plain way gives.

Text cleaning takes shortcuts for the common case (ASCII text cleaned on bytes, spaces
folded only where there is something to fold); here each shortcut is checked against
the straightforward version it replaces, on text built from the characters that matter:
every kind of space, control characters, bidi overrides, tags and entities.
"""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.importers.text import plain_text
from tracker.model import text as model_text
from tracker.model.text import clean_block, clean_line

SPACES = [chr(c) for c in range(0x110000) if chr(c).isspace()]
PIECES = [*SPACES, "a", "Z", "é", "日", "\x00", "\x07", "\x1b", "\x7f", "\x9b", "\u202e", "\u2066", "\r\n",
          "<p>", "</p>", "<br/>", "<li>", "&amp;", "&nbsp;", "&#9;", "<!-- x -->", "word ", "  "]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
ascii_texts = st.text(st.characters(max_codepoint=0x7F), max_size=200)


def reference_line(text: str) -> str:
    return " ".join(text.translate(model_text._LINE).split()) if text else ""


def reference_block(text: str) -> str:
    return text.replace("\r\n", "\n").translate(model_text._BLOCK) if text else ""


def reference_plain(markup: str) -> str:
    """plain_text as it was before its shortcuts: every line's spaces folded."""
    from tracker.importers import text as t

    if not markup:
        return ""
    text = markup[: t.MAX_MARKUP]
    if "<" in text:
        if t._HIDDEN_START.search(text):
            text = t._drop_hidden(text)
        text = t._TAG.sub("", t._LI.sub("\n• ", t._BREAK.sub("\n", text)))
    if "&" in text:
        text = html.unescape(text)
    text = reference_block(text)
    text = "\n".join(" ".join(line.split()) for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text[: t.MAX_TEXT].rstrip()


@settings(max_examples=300)
@given(st.one_of(texts, ascii_texts))
def test_cleaning_a_line_or_a_block_matches_the_plain_translation(text: str) -> None:
    assert clean_line(text) == reference_line(text)
    assert clean_block(text) == reference_block(text)


@settings(max_examples=300)
@given(st.one_of(texts, ascii_texts))
def test_a_description_reads_the_same_with_or_without_its_shortcuts(markup: str) -> None:
    assert plain_text(markup) == reference_plain(markup)


def test_the_shortcut_still_folds_what_a_reader_would_see_as_spaces() -> None:
    assert plain_text("<p>One\u00a0 two</p>\n  <p>three\tfour </p>") == "One two\n\nthree four"
    assert plain_text("a\u3000\u3000b") == "a b"
    assert clean_line("Title\r\nnext\x0bpart") == "Title nextpart"
    assert clean_block("one\rtwo\r\nthree\x1b[2J") == "one\ntwo\nthree[2J"
