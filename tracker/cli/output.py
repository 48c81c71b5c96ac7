"""Everything the CLI prints goes through here: outside text is escaped on the way out.

Titles, chapter names, show names, URLs and server messages come from feeds and
servers; the importers clean them, but an old library may still hold raw control
characters, so no line reaches the terminal without ``terminal_safe``.
"""

from __future__ import annotations

import codecs
import re
import sys
from typing import Any

from ..model.clock import clock as clock
from ..model.text import terminal_safe
from ..model.words import plural as plural
from ..model.words import status_word as status_word

# Characters JSON may carry raw but a terminal would obey: C1 controls, DEL, bidi
# overrides. As ``\\uXXXX`` escapes they are the same JSON value, and inert.
_JSON_INERT = {c: f"\\u{c:04x}" for c in [*range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
# The same for XML (an OPML export): character references; C0 controls are not XML at all.
_XML_INERT: dict[int, str | None] = {c: f"&#x{c:x};" for c in _JSON_INERT}
_XML_INERT.update(dict.fromkeys([c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)]))


_NOT_ASCII = re.compile("[^\x00-\x7f]")
_UNICODE = ("utf-8", "utf-16", "utf-32")


def fit_streams() -> None:
    """Standard output that cannot encode every character (``PYTHONIOENCODING=ascii``, a
    latin-1 pipe) prints what it cannot as backslash escapes: a title in another script
    was a traceback, after the change it reported had been made. A closed one (``>&-``)
    takes the output nowhere, as ``print`` does; a closed input reads as empty."""
    import os

    for name in ("stdin", "stdout", "stderr"):  # closed (``>&-``): Python leaves None, and every use failed
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "r" if name == "stdin" else "w", encoding="utf-8"))
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None and getattr(sys.stdout, "errors", "strict") == "strict":
        reconfigure(errors="backslashreplace")


def _carries_everything() -> bool:
    try:
        return codecs.lookup(sys.stdout.encoding or "ascii").name in _UNICODE
    except LookupError:
        return False


def _ascii_json(text: str) -> str:
    """The same JSON with every non-ASCII character as a ``\\uXXXX`` escape (a pair of
    them beyond the BMP): valid in any ASCII-compatible encoding."""

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        if code < 0x10000:
            return f"\\u{code:04x}"
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"

    return _NOT_ASCII.sub(escape, text)


def write_file_bytes(data: bytes) -> None:
    """A file format (an export) on standard output: its own bytes (UTF-8, as it says),
    whatever the locale's encoding, so ``> FILE`` gives the file ``-o FILE`` writes."""
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def say(text: str = "") -> None:
    """One or more lines of output, outside text escaped (line breaks kept)."""
    sys.stdout.write(terminal_safe(text, multiline=True) + "\n")


def warn(text: str) -> None:
    """One line on standard error, prefixed like every tracker message."""
    sys.stderr.write("tracker: " + terminal_safe(text) + "\n")


def json_text(data: Any) -> str:
    import orjson

    try:
        text = orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n"
    except TypeError:  # a file name not in UTF-8 (a lone surrogate), which orjson refuses:
        import json  # written as its JSON escape, which reads back as the same name

        text = json.dumps(data, indent=2) + "\n"
    return text.translate(_JSON_INERT)


def xml_inert(text: str) -> str:
    return text.translate(_XML_INERT)


def print_json(data: Any) -> None:
    """JSON on standard output; escaped to ASCII where the stream's encoding could not
    carry it (the same values, where backslash escapes would make it invalid)."""
    text = json_text(data)
    sys.stdout.write(text if _carries_everything() else _ascii_json(text))


def title_of(title: str) -> str:
    """A title in quotes, as the model's summaries quote them."""
    return f"“{title}”"


def resume_text(chapter: int | None, chapter_title: str | None, position_s: float | None) -> str:
    """Where an episode resumes, in the same words in ``resume``, ``show`` and the queue."""
    if chapter:
        return f"chapter {chapter} “{chapter_title or ''}” at {clock(position_s)}"
    return f"at {clock(position_s)}"
