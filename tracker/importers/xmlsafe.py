"""XML parsing that refuses entity attacks.

defusedxml forbids entity declarations (billion laughs, quadratic blowup) and
external entities and DTDs that fetch anything; the refusal comes before any
expansion, so it costs milliseconds whatever the attack's size.
"""

from __future__ import annotations

import io
from typing import Iterator
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from .records import ImportError_


def iter_elements(raw: bytes, events: tuple[str, ...] = ("start", "end")) -> Iterator[tuple[str, Element]]:
    try:
        yield from iterparse(io.BytesIO(raw), events=events, forbid_dtd=False)
    except DefusedXmlException as err:
        raise ImportError_(f"refused: the XML declares entities ({type(err).__name__}), a known attack") from None
    except ParseError as err:
        raise ImportError_(f"malformed XML: {err}") from None


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def text_of(el: Element | None) -> str:
    return (el.text or "").strip() if el is not None else ""
