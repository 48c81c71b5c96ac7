"""Chapters written into show notes as timestamps, inline or one per line.

``0:00 Intro 1:00 Fedora Linux gets Fast Python 5:40 What is Compiling? ...``
A stamp is ``[H]H:MM:SS`` or ``M:SS`` (minutes up to three digits). Stamps glued
to word characters, ``:``, ``.``, ``/``, ``#``, ``$`` or ``-`` (versions, URLs,
prices, ranges), followed by am/pm or a time zone, or preceded by prose such as
"at", are not chapters. Of the rest we take the longest strictly ascending chain
that starts at 0:00 and has at least three links, each with 1-200 characters of
text holding a letter; where the notes give one chapter a line, each line beginning
with its stamp, a stamp further along a line is part of its title (``The 5:30 train``). The last title stops at a line break, a URL, or
promotional boilerplate (phrases the show repeats across episodes, or a
course/newsletter plug). The end of a range (``00:00 - 05:00 Intro``) is no part of a
title. Brackets stay balanced: ``[3:10] Setup`` leaves no stray
bracket on the title before it, and ``Pingora (NGINX replacement)`` keeps its
closing parenthesis.

Everything here runs in time linear in the text (the chain search in O(n log n)
in stamps): the text is cut to ``MAX_TEXT`` characters and its runs of spaces
folded first, lines longer than ``MAX_LINE`` are prose, and at most
``MAX_STAMPS`` stamps are considered.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Iterable

from .chain import MAX_GAP, longest_chain
from .records import ChapterIn

MIN_LINKS = 3
MAX_TITLE = 200
MAX_STAMPS = 500
MAX_TEXT = 50_000  # characters of a description searched for chapters
MAX_LINE = 1_000  # a longer line is prose, not "Title 0:00"
MAX_LAST = 2_000  # characters after the last stamp searched for its title
MAX_LEAD = 100  # a longer text before the first stamp is prose, not the first chapter's title

_STAMP = re.compile(
    r"(?<![\w:./#$\-])"
    r"(?:(\d{1,2}):([0-5]\d):([0-5]\d)|(\d{1,3}):([0-5]\d))"
    r"(?:\.(\d{1,3}))?"
    r"(?![\w/$%\-]|:\S|[.,]\d)"  # (a colon after it only before a space: "00:00: Intro")
)
_TAIL_STAMP = re.compile(r"(?<![\w:./#$\-])(?:\d{1,2}:[0-5]\d:[0-5]\d|\d{1,3}:[0-5]\d)$")
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
# The end of a range written after a chapter's stamp (``00:00 - 05:00 Intro``): not the title.
_RANGE_END = re.compile(r"\s*(?:[-–—]|to)\s*(?:\d{1,2}:[0-5]\d:[0-5]\d|\d{1,3}:[0-5]\d)(?![\w:])")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z])")
_PROMO_PHRASE = re.compile(
    r"(?:^|\s)(?:[A-Z][\w'&-]*\s){0,2}(?:Course|Courses|Newsletter|Patreon|Merch|Sponsors?|"
    r"Discount|Coupon|Bootcamp|Masterclass|Workshop|Membership|Discord)\b.*$"
)
_PROMO_VERB = re.compile(
    r"(?:^|\s)(?:get my|join (?:my|our|the)|buy|grab|check out|sign up|subscribe|support (?:the|this|us|me)|"
    r"enroll|use code|sponsored by|brought to you by|follow (?:me|us))\b.*$",
    re.IGNORECASE,
)
_TRIM = " \t\r\n-–—:|•·,;"
_SEPARATORS = " \t-–—:|"
_OPEN, _CLOSE = "([{", ")]}"


def notes_chapters(
    text: str, duration_s: float | None = None, boilerplate: Iterable[str] = ()
) -> list[ChapterIn]:
    """Chapters found in ``text``; an empty list when there is no convincing run."""
    if not text or ":" not in text:
        return []
    text = _compact(text)
    # (a set: each word of a last title is looked up in it; a tuple was searched whole per word)
    phrases = boilerplate if isinstance(boilerplate, frozenset) else frozenset(boilerplate)
    chapters = _stamp_first(text, duration_s, phrases)
    if not chapters:
        chapters = _title_first(text, duration_s)
    return chapters


def repeated_phrases(descriptions: list[str], n: int = 4) -> frozenset[str]:
    """Word n-grams that appear in two or more of a show's descriptions: boilerplate."""
    if len(descriptions) < 2:
        return frozenset()
    seen: Counter[str] = Counter()
    for text in descriptions:
        words = [w.casefold() for w in _URL.sub(" ", text[:MAX_TEXT]).split()]
        seen.update({" ".join(words[i : i + n]) for i in range(len(words) - n + 1)})
    return frozenset(gram for gram, count in seen.items() if count >= 2)


def _compact(text: str) -> str:
    """The text cut to ``MAX_TEXT``, runs of spaces folded and lines trimmed: no gap
    between two words is ever longer than two characters."""
    lines = (" ".join(line.split()) for line in text[:MAX_TEXT].split("\n"))
    return "\n".join(line for line in lines if line)


# -- stamps -----------------------------------------------------------------------------------
def _stamps(text: str, duration_s: float | None) -> list[tuple[int, int, float]]:
    out = []
    for m in _STAMP.finditer(text):
        h, mm, ss, m2, s2, frac = m.groups()
        if h is not None:
            seconds = int(h) * 3600 + int(mm) * 60 + int(ss)
        else:
            seconds = int(m2) * 60 + int(s2)
        value = seconds + (int(frac) / 10 ** len(frac) if frac else 0)
        if duration_s is not None and value >= duration_s:
            continue
        after = text[m.end() : m.end() + 12].split(maxsplit=1)
        if after and after[0].casefold().rstrip(",;") in _CLOCK_WORDS:
            continue
        before = text[max(0, m.start() - 20) : m.start()].split()
        if before and before[-1].casefold().strip("([") in _PROSE_BEFORE:
            continue
        out.append((m.start(), m.end(), float(value)))
        if len(out) >= MAX_STAMPS:
            break
    return out


def _balanced(title: str) -> str:
    """The title without its separators and without brackets left over from a stamp
    written in brackets (``[3:10]``); a bracket the title opened and closed stays."""
    t = title.strip(_TRIM)
    depth = {c: t.count(c) for c in _OPEN + _CLOSE}
    lo, hi = 0, len(t)  # (ends moved, the text cut once: a cut per bracket was quadratic in "((((...")
    while lo < hi:
        first, last = t[lo], t[hi - 1]
        if last in _OPEN or (last in _CLOSE and depth[last] > depth[_OPEN[_CLOSE.index(last)]]):
            depth[last] -= 1
            hi -= 1
            while hi > lo and t[hi - 1] in _TRIM:
                hi -= 1
        elif first in _CLOSE or (first in _OPEN and depth[first] > depth[_CLOSE[_OPEN.index(first)]]):
            depth[first] -= 1
            lo += 1
            while lo < hi and t[lo] in _TRIM:
                lo += 1
        else:
            break
    return t[lo:hi]


def _range_end_dropped(raw: str) -> str:
    m = _RANGE_END.match(raw)
    return raw[m.end():] if m else raw


def _middle_title(raw: str) -> str:
    """The text between two stamps as a title. A last line without a letter is the next
    chapter's list marker (``1. 0:00 Intro`` / ``2. 5:10 News``, ``* 0:00``, ``⏱ 0:00``),
    not this title's end: "Intro 2." was the title."""
    raw = _URL.split(_range_end_dropped(raw), maxsplit=1)[0]
    line = raw.rfind("\n")
    if line >= 0 and not any(c.isalpha() for c in raw[line:]):
        raw = raw[:line]
    return " ".join(_balanced(raw).split())


def _good_link(text: str) -> bool:
    title = _middle_title(text)
    return 0 < len(title) <= MAX_TITLE and any(c.isalpha() for c in title)


# -- stamp-first: "0:00 Intro 1:00 Topic" ----------------------------------------------------
def _stamp_first(text: str, duration_s: float | None, boilerplate: frozenset[str]) -> list[ChapterIn]:
    stamps = _in_titles_dropped(text, _stamps(text, duration_s))
    if len(stamps) < MIN_LINKS:
        return []
    urls = [m.start() for m in _URL.finditer(text)]
    best, prev = longest_chain(stamps, urls, text, _good_link)
    titles_first = _titles_before(text, stamps, best, prev)
    if titles_first:
        return titles_first
    # The last link needs a title after it too: try the longest chains first.
    for i in sorted((i for i in range(len(stamps)) if best[i] >= MIN_LINKS), key=lambda i: (-best[i], i)):
        last = _last_title(_before_stamp(_range_end_dropped(_rest_of_line(text, stamps[i][1])), duration_s),
                           boilerplate)
        if last:
            return _chain(text, stamps, prev, i, last)
    return []


_LINE_LEAD = " \t-–—•*·([{>|#"  # what may stand before a stamp that begins its line


def _in_titles_dropped(text: str, stamps: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """The stamps without those inside a title, where the notes give one chapter per line,
    each line beginning with its stamp: in ``04:12 Why 24:00 clocks confuse people`` the
    24:00 is words, not a chapter (taken as one, it split the title and lost chapters).
    Notes that run several chapters onto a line keep every stamp."""
    first = [False] * len(stamps)  # the stamp begins its line
    line_of = [0] * len(stamps)
    line, line_end = -1, -1
    for k, (start, _end, _t) in enumerate(stamps):
        if start > line_end:  # the first stamp of another line
            line += 1
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", start)
            line_end = len(text) if line_end < 0 else line_end
            first[k] = not text[line_start:start].strip(_LINE_LEAD)
        line_of[k] = line
    leading = {line_of[k] for k in range(len(stamps)) if first[k]}
    crowded = {line_of[k] for k in range(1, len(stamps)) if line_of[k] in leading and line_of[k] == line_of[k - 1]}
    if len(leading) < MIN_LINKS or 2 * len(crowded) >= len(leading):
        return stamps
    return [s for k, s in enumerate(stamps) if first[k] or line_of[k] not in leading]


def _titles_before(text: str, stamps: list[tuple[int, int, float]], best: list[int], prev: list[int]) -> list[ChapterIn]:
    """``Intro - 0:00 Topic - 4:10 ...`` on one line (title-first notes whose line breaks
    a podcast app took out): each title is the text before its stamp. Read stamp-first,
    every chapter had the next one's title. Taken so only when a title stands before the
    first stamp (after the last sentence), and after the last there is none, or the
    separators lean on the stamps from the left (``Intro - 0:00``, not ``0:00 - Intro``)."""
    ends = [i for i in range(len(stamps)) if best[i] >= MIN_LINKS]
    if not ends:
        return []
    chain = [max(ends, key=lambda i: (best[i], -i))]
    while prev[chain[-1]] != -1:
        chain.append(prev[chain[-1]])
    chain.reverse()
    start = stamps[chain[0]][0]
    lead = text[text.rfind("\n", 0, start) + 1 : start]
    cut = max([m.end() for m in _SENTENCE_END.finditer(lead)] + [m.end() for m in _URL.finditer(lead)]
              + [lead.rfind(": ") + 1])
    lead = _middle_title(lead[cut:])
    if not _good_link(lead) or len(lead) > MAX_LEAD:
        return []
    left = sum(text[max(0, stamps[i][0] - 4) : stamps[i][0]].rstrip(" ([")[-1:] in "-–—|" for i in chain)
    right = sum(text[stamps[i][1] : stamps[i][1] + 4].lstrip(" )]")[:1] in "-–—|" for i in chain)
    if _last_title(_rest_of_line(text, stamps[chain[-1]][1]), frozenset()) and left <= right:
        return []
    titles = [lead] + [_middle_title(text[stamps[a][1] : stamps[b][0]]) for a, b in zip(chain, chain[1:])]
    return [ChapterIn(title, stamps[i][2]) for title, i in zip(titles, chain)]


def _before_stamp(rest: str, duration_s: float | None) -> str:
    """The text after the last stamp, cut at a stamp past the stated length (left out of
    the chain): ``Letters 59:50 Outro`` is the title ``Letters``."""
    if duration_s is None:
        return rest
    for m in _stamps(rest, None):
        if m[2] >= duration_s:
            return rest[: m[0]]
    return rest


def _rest_of_line(text: str, start: int) -> str:
    stop = text.find("\n", start, start + MAX_LAST)
    return text[start : stop if stop >= 0 else start + MAX_LAST]


def _chain(text: str, stamps: list[tuple[int, int, float]], prev: list[int], end: int, last: str) -> list[ChapterIn]:
    chain = []
    i = end
    while i != -1:
        chain.append(i)
        i = prev[i]
    chain.reverse()
    out = [ChapterIn(_middle_title(text[stamps[i][1] : stamps[j][0]]), stamps[i][2]) for i, j in zip(chain, chain[1:])]
    out.append(ChapterIn(last, stamps[end][2]))
    return out


def _last_title(raw: str, boilerplate: frozenset[str]) -> str:
    """The text after the last stamp, up to a line break, a URL or boilerplate."""
    line = raw.lstrip(" \t-–—:|)]}").split("\n", 1)[0]
    line = _URL.split(line, maxsplit=1)[0]
    words = line.split()
    lowered = [w.casefold() for w in words]
    for size in _phrase_sizes(boilerplate):
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
    line = _balanced(line)
    if not _good_link(line):
        return ""
    return line[:MAX_TITLE]



@lru_cache(maxsize=4)
def _phrase_sizes(phrases: frozenset[str]) -> tuple[int, ...]:
    """How many words the phrases have: worked out once per show's boilerplate (a
    frozenset keeps its hash), not once per title searched."""
    return tuple({len(p.split()) for p in phrases})

# -- title-first, one per line: "Intro 0:00" ---------------------------------------------------
def _title_first(text: str, duration_s: float | None) -> list[ChapterIn]:
    found: list[ChapterIn] = []
    for line in text.split("\n"):
        if len(line) > MAX_LINE:
            continue
        core = line.rstrip(" )]}")
        m = _TAIL_STAMP.search(core, max(0, len(core) - 12))
        if not m:
            continue
        stamps = _stamps(m.group(), duration_s)
        title = _balanced(core[: m.start()].rstrip(_SEPARATORS + "([{"))
        if not stamps or not _good_link(title) or _URL.search(title):
            continue
        found.append(ChapterIn(" ".join(title.split()), stamps[0][2]))
    if len(found) < MIN_LINKS or found[0].start_s != 0:
        return []
    for a, b in zip(found, found[1:]):
        if not a.start_s < b.start_s:
            return []
    return found
