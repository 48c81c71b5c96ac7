"""Text copied from a podcast app's show page (see the founding seed).

A header (show name, host), then per episode: ``undefined``, ``May 7, 2024 • 29min``,
a blank line, the title, a blank line, the description, ``undefined`` and sometimes
``7 snips``. App advertising closes the file.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from ..model.errors import ImportFailed
from ..model.text import clean_block, clean_line
from .records import FeedEpisode, FeedShow
from .text import MAX_TEXT
from .when import spoken_duration

MAX_DATE_LINE = 60  # "September 30, 2024 • 1h 59min" is 30 characters
_DATE = re.compile(r"[A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?")
_NOISE = re.compile(r"(?:undefined|\d{1,6} snips?)", re.IGNORECASE)


def date_line(line: str) -> tuple[str, str] | None:
    """``(date, duration)`` of a line such as ``May 7, 2024 • 29min``, else None.
    Checked by parts, each a bounded pattern: linear in the line, whatever it holds.
    The length is any that ``spoken_duration`` reads (``1 hr 5 min`` too): a line
    refused here is not an episode, and would run into the one above as its text."""
    if len(line) > MAX_DATE_LINE or ("•" not in line and "·" not in line):
        return None
    # Copied from a web page, its spaces may be no-break ones (&nbsp;), doubled, or
    # joined by a direction mark: as one space each, the parts read as typed.
    line = " ".join(line.replace("\u200e", "").replace("\u200f", "").split())
    cut = min(p for p in (line.find("•"), line.find("·")) if p >= 0)
    left, right = line[:cut].strip(), line[cut + 1 :].strip()
    if not right or not _DATE.fullmatch(left) or spoken_duration(right) is None:
        return None
    return left, right


def _noise(line: str) -> bool:
    text = " ".join(line.split())
    return len(text) < 20 and _NOISE.fullmatch(text) is not None


def looks_like_show_page(text: str) -> bool:
    return any(date_line(line) for line in text.splitlines()[:400])


def parse_show_page(text: str, today: date | None = None) -> FeedShow:
    lines = text.splitlines()
    dated = [(i, date_line(line)) for i, line in enumerate(lines)]
    marks = [(i, found) for i, found in dated if found]
    if not marks:
        raise ImportFailed("no episodes found: expected lines such as 'May 7, 2024 • 29min'")
    header = [clean_line(ln) for ln in lines[: marks[0][0]] if ln.strip() and not _noise(ln)]
    header = [h for h in header if h]
    if not header:
        raise ImportFailed("show page without a show name before its first episode")
    episodes = []
    cut_short = 0
    for k, (i, (when, length)) in enumerate(marks):
        end = marks[k + 1][0] if k + 1 < len(marks) else len(lines)
        body = lines[i + 1 : end]
        last = k + 1 == len(marks) or _pasted_again(body, header[0])
        ep = _episode(body, last)
        if ep is None:
            cut_short += last and _ends_in_title(body)
            continue
        ep.published = _date(when, today or date.today())
        ep.duration_s = spoken_duration(length)
        episodes.append(ep)
    if not episodes:
        raise ImportFailed("no episodes with a title found on the show page")
    return FeedShow(title=header[0][:500], kind="showpage", author=header[1][:500] if len(header) > 1 else None,
                    episodes=episodes, cut_short=cut_short)


def _pasted_again(body: list[str], name: str) -> bool:
    """Whether a line after this episode's title ends with the show's name: the page was
    pasted twice, so this episode is the last of its copy, followed by the app's
    advertising (which the name is glued to when the copy ended without a line break)."""
    title = next((i for i, line in enumerate(body) if line.strip()), len(body))
    return any(clean_line(line).endswith(name) for line in body[title + 1 :])


def _episode(body: list[str], last: bool) -> FeedEpisode | None:
    i = 0
    while i < len(body) and not body[i].strip():
        i += 1
    if i >= len(body) or _noise(body[i]):
        return None
    title = clean_line(body[i])[:500]
    if not title or (last and _ends_in_title(body)):
        return None
    description: list[str] = []
    for line in body[i + 1 :]:
        if _noise(line):
            break
        if not line.strip():
            if description and last:
                break  # after the last episode comes the app's own advertising
            if description:
                description.append("")
            continue
        description.append(line.strip())
    text = clean_block("\n".join(description).strip())[:MAX_TEXT]
    return FeedEpisode(title=title, description=text)


def _ends_in_title(body: list[str]) -> bool:
    """Nothing after the last entry's title, not even the app's "undefined": the copied
    text stops there, perhaps inside the title. Left out, the whole one a later paste
    brings is the only one (kept, "Inside a pa" stayed beside "Inside a page cache")."""
    lines = [line for line in body if line.strip()]
    return len(lines) == 1 and not _noise(lines[0])


def _date(text: str, today: date) -> str | None:
    text = text.replace(".", "")
    if text.startswith("Sept "):  # the American "Sept.", which strptime's "%b" (Sep) does not read
        text = "Sep" + text[4:]
    for fmt in ("%b %d, %Y", "%B %d, %Y"):
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            pass
    for fmt in ("%b %d", "%B %d"):
        try:
            # The app leaves the year out for this year's episodes: the latest such date not in the future.
            d = datetime.strptime(f"{text} {today.year}", f"{fmt} %Y").date()
        except ValueError:
            continue
        if d <= today:
            return d.isoformat()
        for year in range(today.year - 1, today.year - 9, -1):  # (29 February: the last year that has one)
            try:
                return d.replace(year=year).isoformat()
            except ValueError:
                continue
    return None
