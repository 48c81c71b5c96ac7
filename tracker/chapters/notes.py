"""Chapters written into show notes as timestamps, inline or one per line.

``0:00 Intro 1:00 Fedora Linux gets Fast Python 5:40 What is Compiling? ...``
A stamp is ``[H]H:MM:SS`` or ``M:SS`` (minutes up to three digits). Stamps glued
to word characters, ``:``, ``.``, ``/``, ``#``, ``$`` or ``-`` (versions, URLs,
prices, ranges), followed by am/pm or a time zone, or preceded by prose such as
"at", are not chapters. Of the rest we take the longest strictly ascending chain
that starts at 0:00 and has at least three links, each with 1-200 characters of
text holding a letter. The last title stops at a line break, a URL, or
promotional boilerplate (phrases the show repeats across episodes, or a
course/newsletter plug).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from .records import ChapterIn

MIN_LINKS = 3
MAX_TITLE = 200
MAX_STAMPS = 400

_STAMP = re.compile(
    r"(?<![\w:./#$\-])"
    r"(?:(\d{1,2}):([0-5]\d):([0-5]\d)|(\d{1,3}):([0-5]\d))"
    r"(?:\.(\d{1,3}))?"
    r"(?![\w:/$%\-]|[.,]\d)"
)
_CLOCK_WORDS = {
    "am", "pm", "a.m.", "p.m.", "a.m", "p.m", "et", "pt", "ct", "mt", "est", "edt", "pst", "pdt",
    "cst", "cdt", "mst", "mdt", "utc", "gmt", "bst", "cet", "cest", "ist", "jst", "aest", "uhr",
    "o'clock", "hrs", "hours", "h",
}
_PROSE_BEFORE = {
    "at", "around", "about", "by", "until", "till", "til", "from", "since", "before", "after",
    "@", "~", "approx", "approximately", "is", "was", "verse", "chapter", "ch.", "john", "matthew",
    "mark", "luke", "genesis", "psalm", "psalms", "romans", "acts", "exodus", "proverbs",
}
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z])")
_PROMO_PHRASE = re.compile(
    r"(?:^|\s)(?:[A-Z][\w'&-]*\s+){0,2}(?:Course|Courses|Newsletter|Patreon|Merch|Sponsors?|"
    r"Discount|Coupon|Bootcamp|Masterclass|Workshop|Membership|Discord)\b.*$"
)
_PROMO_VERB = re.compile(
    r"(?:^|\s)(?:get my|join (?:my|our|the)|buy|grab|check out|sign up|subscribe|support (?:the|this|us|me)|"
    r"enroll|use code|sponsored by|brought to you by|follow (?:me|us))\b.*$",
    re.IGNORECASE,
)
_TRIM = " \t\r\n-–—:|•·,;)]"
_TITLE_FIRST = re.compile(
    r"^\s*(?P<title>.*?[^\W\d_].*?)\s*[-–—:|(\[]*\s*(?P<stamp>(?:\d{1,2}:[0-5]\d:[0-5]\d|\d{1,3}:[0-5]\d))\s*[)\]]?\s*$"
)


def notes_chapters(
    text: str, duration_s: float | None = None, boilerplate: Iterable[str] = ()
) -> list[ChapterIn]:
    """Chapters found in ``text``; an empty list when there is no convincing run."""
    if not text or ":" not in text:
        return []
    chapters = _stamp_first(text, duration_s, tuple(boilerplate))
    if not chapters:
        chapters = _title_first(text, duration_s)
    return chapters


def repeated_phrases(descriptions: list[str], n: int = 4) -> set[str]:
    """Word n-grams that appear in two or more of a show's descriptions: boilerplate."""
    if len(descriptions) < 2:
        return set()
    seen: Counter[str] = Counter()
    for text in descriptions:
        words = [w.casefold() for w in _URL.sub(" ", text).split()]
        seen.update({" ".join(words[i : i + n]) for i in range(len(words) - n + 1)})
    return {gram for gram, count in seen.items() if count >= 2}


# -- stamp-first: "0:00 Intro 1:00 Topic" ----------------------------------------------------
def _stamps(text: str, duration_s: float | None) -> list[tuple[int, int, float]]:
    out = []
    for m in _STAMP.finditer(text):
        h, mm, ss, m2, s2, frac = m.groups()
        if h is not None:
            seconds = int(h) * 3600 + int(mm) * 60 + int(ss)
        else:
            seconds = int(m2) * 60 + int(s2)
        if frac:
            seconds += int(frac) / 10 ** len(frac)
        if duration_s is not None and seconds >= duration_s:
            continue
        after = text[m.end() : m.end() + 12].split(maxsplit=1)
        if after and after[0].casefold().rstrip(",;") in _CLOCK_WORDS:
            continue
        before = text[max(0, m.start() - 20) : m.start()].split()
        if before and before[-1].casefold().strip("([") in _PROSE_BEFORE:
            continue
        out.append((m.start(), m.end(), float(seconds)))
        if len(out) >= MAX_STAMPS:
            break
    return out


def _good_link(text: str) -> bool:
    title = _middle_title(text)
    return 0 < len(title) <= MAX_TITLE and any(c.isalpha() for c in title)


def _stamp_first(text: str, duration_s: float | None, boilerplate: tuple[str, ...]) -> list[ChapterIn]:
    stamps = _stamps(text, duration_s)
    if len(stamps) < MIN_LINKS:
        return []
    n = len(stamps)
    # best[i]: the longest chain from a 0:00 stamp that ends at stamp i
    best: list[int] = [1 if s[2] == 0 else 0 for s in stamps]
    prev: list[int] = [-1] * n
    for i in range(n):
        for j in range(i):
            if best[j] and stamps[j][2] < stamps[i][2] and best[j] + 1 > best[i]:
                if _good_link(text[stamps[j][1] : stamps[i][0]]):
                    best[i], prev[i] = best[j] + 1, j
    # The last link needs a title after it too.
    ends = [i for i in range(n) if best[i] and _last_title(text[stamps[i][1] :], boilerplate)]
    if not ends:
        return []
    end = max(ends, key=lambda i: (best[i], -i))
    if best[end] < MIN_LINKS:
        return []
    chain = []
    i = end
    while i != -1:
        chain.append(i)
        i = prev[i]
    chain.reverse()
    out = []
    for k, i in enumerate(chain):
        if k + 1 < len(chain):
            title = _middle_title(text[stamps[i][1] : stamps[chain[k + 1]][0]])
        else:
            title = _last_title(text[stamps[i][1] :], boilerplate)
        out.append(ChapterIn(title, stamps[i][2]))
    return out


def _middle_title(raw: str) -> str:
    raw = _URL.split(raw, maxsplit=1)[0]
    return " ".join(raw.strip(_TRIM).split())


def _last_title(raw: str, boilerplate: tuple[str, ...]) -> str:
    """The text after the last stamp, up to a line break, a URL or boilerplate."""
    line = raw.lstrip(" \t-–—:|)]").split("\n", 1)[0]
    line = _URL.split(line, maxsplit=1)[0]
    words = line.split()
    lowered = [w.casefold() for w in words]
    for size in {len(p.split()) for p in boilerplate}:
        for i in range(1, len(words) - size + 1):
            if " ".join(lowered[i : i + size]) in boilerplate:
                words = words[:i]
                lowered = lowered[:i]
                break
    line = " ".join(words)
    for pattern in (_PROMO_VERB, _PROMO_PHRASE):
        cut = pattern.sub("", line).strip()
        if cut and any(c.isalpha() for c in cut):
            line = cut
    if len(line) > 80:  # a title that runs into prose ends at the first sentence
        m = _SENTENCE_END.search(line)
        if m:
            line = line[: m.start() + 1]
    line = line.strip(_TRIM)
    if not _good_link(line):
        return ""
    return line[:MAX_TITLE]


# -- title-first, one per line: "Intro 0:00" ---------------------------------------------------
def _title_first(text: str, duration_s: float | None) -> list[ChapterIn]:
    found: list[ChapterIn] = []
    for line in text.splitlines():
        m = _TITLE_FIRST.match(line)
        if not m:
            continue
        stamps = _stamps(m.group("stamp"), duration_s)
        title = m.group("title").strip(_TRIM)
        if not stamps or not _good_link(title) or _URL.search(title):
            continue
        found.append(ChapterIn(title, stamps[0][2]))
    if len(found) < MIN_LINKS or found[0].start_s != 0:
        return []
    for a, b in zip(found, found[1:]):
        if not a.start_s < b.start_s:
            return []
    return found
