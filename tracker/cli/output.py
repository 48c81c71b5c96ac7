"""Everything the CLI prints goes through here: outside text is escaped on the way out.

Titles, chapter names, show names, URLs and server messages come from feeds and
servers; the importers clean them, but an old library may still hold raw control
characters, so no line reaches the terminal without ``terminal_safe``.
"""

from __future__ import annotations

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


def say(text: str = "") -> None:
    """One or more lines of output, outside text escaped (line breaks kept)."""
    sys.stdout.write(terminal_safe(text, multiline=True) + "\n")


def warn(text: str) -> None:
    """One line on standard error, prefixed like every tracker message."""
    sys.stderr.write("tracker: " + terminal_safe(text) + "\n")


def json_text(data: Any) -> str:
    import orjson

    text = orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n"
    return text.translate(_JSON_INERT)


def xml_inert(text: str) -> str:
    return text.translate(_XML_INERT)


def print_json(data: Any) -> None:
    sys.stdout.write(json_text(data))


def title_of(title: str) -> str:
    """A title in quotes, as the model's summaries quote them."""
    return f"“{title}”"


def resume_text(chapter: int | None, chapter_title: str | None, position_s: float | None) -> str:
    """Where an episode resumes, in the same words in ``resume``, ``show`` and the queue."""
    if chapter:
        return f"chapter {chapter} “{chapter_title or ''}” at {clock(position_s)}"
    return f"at {clock(position_s)}"
