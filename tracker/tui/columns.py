"""Column widths from content and the space there is: the title takes what is left,
the show column is as wide as the longest show name (capped), and when the terminal
is narrow the least useful columns go first (the bar, then the date, then the show).

Pure functions of numbers, so each width is tested without a screen.
"""

from __future__ import annotations

from dataclasses import dataclass

SHOW_CAP = 32  # the show column never takes more than this...
SHOW_SHARE = 0.3  # ...nor more than this share of the row
TITLE_SHARE = 0.4  # the title keeps at least this share of the row (up to 40 cells): columns drop first
GAP = 1


@dataclass(frozen=True)
class Column:
    name: str  # "mark", "title", "show", "date", "length", "heard", "queued"
    header: str
    width: int
    right: bool = False  # right-aligned (numbers)


def episode_columns(width: int, longest_show: int, length_w: int) -> list[Column]:
    """The catalog's columns for a row ``width`` cells wide."""
    show_w = max(4, min(longest_show, SHOW_CAP, int(width * SHOW_SHARE)))
    optional = [  # in the order they are dropped
        Column("heard", "Heard", 8),
        Column("date", "Published", 10),
        Column("show", "Show", show_w),
    ]
    fixed = [Column("mark", "", 1), Column("length", "Length", max(6, length_w), right=True), Column("queued", "Q", 1)]
    kept = list(optional)

    def title_room() -> int:
        cols = fixed + kept
        return width - sum(c.width for c in cols) - GAP * len(cols)

    title_min = min(40, max(8, int(width * TITLE_SHARE)))
    while kept and title_room() < title_min:
        kept.pop(0)
    title = Column("title", "Title", max(1, title_room()))
    by_name = {c.name: c for c in [*fixed, *kept, title]}
    order = ["mark", "title", "show", "date", "length", "heard", "queued"]
    return [by_name[n] for n in order if n in by_name]


def chapter_columns(width: int, length_w: int, longest: int = 0) -> list[Column]:
    """The chapter list: resume marker, number and mark, start, title, heard / length, bar.
    The bar (heard share, also said by heard / length) goes first when a title would be cut
    (``longest``: the longest title) or the title would get under 16 cells."""
    times_w = 2 * length_w + 3  # "12:10 / 31:40"
    fixed = [Column("here", "", 1), Column("n", "#", 3, right=True), Column("mark", "", 1),
             Column("start", "Start", max(5, length_w), right=True)]
    optional = [Column("bar", "", 6)]
    heard = Column("heard", "Heard / length", max(times_w, 14), right=True)
    kept = list(optional)

    def title_room() -> int:
        cols = fixed + kept + [heard]
        return width - sum(c.width for c in cols) - GAP * len(cols)

    if kept and (title_room() < 16 or title_room() < longest):
        kept = []
    title = Column("title", "Chapter", max(1, title_room()))
    return [*fixed, title, heard, *kept]


def header(columns: list[Column]) -> str:
    """The header row's text, aligned with the rows."""
    cells = []
    for c in columns:
        text = c.header[: c.width]
        cells.append(text.rjust(c.width) if c.right else text.ljust(c.width))
    return (" " * GAP).join(cells)
