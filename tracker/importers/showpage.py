"""Text copied from a podcast app's show page (see the founding seed).

A header (show name, host), then per episode: ``undefined``, ``May 7, 2024 • 29min``,
a blank line, the title, a blank line, the description, ``undefined`` and sometimes
``7 snips``. App advertising closes the file.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from ..model.errors import ImportFailed
from .records import FeedEpisode, FeedShow
from .when import spoken_duration

_DATE_LINE = re.compile(
    r"^\s*(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?)\s*[•·]\s*(?P<dur>[\dhminsec ]+?)\s*$"
)
_NOISE = re.compile(r"^\s*(?:undefined|\d+\s+snips?)\s*$", re.IGNORECASE)


def looks_like_show_page(text: str) -> bool:
    return sum(1 for line in text.splitlines()[:400] if _DATE_LINE.match(line)) >= 1


def parse_show_page(text: str, today: date | None = None) -> FeedShow:
    lines = text.splitlines()
    marks = [i for i, line in enumerate(lines) if _DATE_LINE.match(line)]
    if not marks:
        raise ImportFailed("no episodes found: expected lines such as 'May 7, 2024 • 29min'")
    header = [ln.strip() for ln in lines[: marks[0]] if ln.strip() and not _NOISE.match(ln)]
    if not header:
        raise ImportFailed("show page without a show name before its first episode")
    episodes = []
    for k, i in enumerate(marks):
        end = marks[k + 1] if k + 1 < len(marks) else len(lines)
        m = _DATE_LINE.match(lines[i])
        assert m is not None
        body = lines[i + 1 : end]
        ep = _episode(body, k + 1 == len(marks))
        if ep is None:
            continue
        ep.published = _date(m.group("date"), today or date.today())
        ep.duration_s = spoken_duration(m.group("dur"))
        episodes.append(ep)
    if not episodes:
        raise ImportFailed("no episodes with a title found on the show page")
    return FeedShow(title=header[0], kind="showpage", author=header[1] if len(header) > 1 else None, episodes=episodes)


def _episode(body: list[str], last: bool) -> FeedEpisode | None:
    i = 0
    while i < len(body) and not body[i].strip():
        i += 1
    if i >= len(body) or _NOISE.match(body[i]):
        return None
    title = " ".join(body[i].split())
    description: list[str] = []
    for line in body[i + 1 :]:
        if _NOISE.match(line):
            break
        if not line.strip():
            if description and last:
                break  # after the last episode comes the app's own advertising
            if description:
                description.append("")
            continue
        description.append(line.strip())
    text = "\n".join(description).strip()
    return FeedEpisode(title=title, description=text)


def _date(text: str, today: date) -> str | None:
    text = text.replace(".", "")
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
        return (d if d <= today else d.replace(year=today.year - 1)).isoformat()
    return None
