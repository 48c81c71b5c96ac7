"""Issue 14 item 9: the plain `episodes` list has a header and a legend, and its columns
stay aligned whatever the show names hold (long ones cut with an ellipsis, CJK ones
cut by display width)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from tests import feeds
from tests.cli.support import ok
from tests.helpers import run_cli

LONG = "The Extremely Long Named Podcast About Everything"
CJK = "深夜ラジオの物語と音楽とおしゃべりの時間です"  # 22 characters, 44 cells


def cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def item(n: int, title: str) -> str:
    return f"""<item><title>{title}</title><guid>g-{n}</guid>
      <pubDate>Tue, 0{n} May 2024 14:00:00 +0000</pubDate><itunes:duration>10:0{n}</itunes:duration></item>"""


def test_header_legend_and_aligned_columns(tmp_path: Path) -> None:
    for name, n in ((LONG, 1), (CJK, 2), ("Short", 3)):
        (tmp_path / f"{n}.xml").write_bytes(feeds.rss(item(n, f"Title {n}"), title=name))
    lib = tmp_path / "lib"
    r = run_cli(lib, "import", *(str(tmp_path / f"{n}.xml") for n in (1, 2, 3)))
    assert r.returncode == 0, r.stderr
    lines = ok(lib, "episodes").splitlines()
    header, rows, footer = lines[0], lines[1:-1], lines[-1]
    assert header.split() == ["ID", "PUBLISHED", "DURATION", "SHOW", "TITLE"]
    assert footer == "3 episodes · ✓ listened, ~ in progress, Q queued"
    assert len(rows) == 3
    # every row's title starts in the same terminal column as the header's TITLE
    title_at = cells(header[:header.index("TITLE")])
    for row in rows:
        assert cells(row[:row.index("Title ")]) == title_at, row
    by_show = {row.split("Title ")[1]: row for row in rows}
    long_show = by_show["1"]
    assert "The Extremely Long Named Po…" in long_show and LONG not in long_show
    cjk = by_show["2"]
    assert "深夜ラジオの物語と音楽とお…" in cjk  # 13 wide characters (26 cells) and the ellipsis
    assert "Short" in by_show["3"]


def test_marks_in_the_list(lib: Path) -> None:
    out = ok(lib, "episodes")
    ids = {line.split()[-1]: line.split()[0] for line in out.splitlines()[1:-1]}
    keeper = next(i for t, i in ids.items() if t == "Keeper")
    silence = next(i for t, i in ids.items() if t == "Silence")
    ok(lib, "progress", silence, "60")
    ok(lib, "queue", "add", silence)
    ok(lib, "mark", keeper, "--listened")
    rows = {line.split()[0]: line for line in ok(lib, "episodes").splitlines()[1:-1]}
    assert f"{silence}  ~Q " in rows[silence]
    assert f"{keeper}  ✓  " in rows[keeper]
    assert ok(lib, "episodes", "--status", "listened").splitlines()[-1].startswith("1 episode ·")
    assert ok(lib, "episodes", "--search", "zzzz-nothing") == "no episodes match\n"


def test_thai_and_devanagari_vowel_signs_take_no_column(tmp_path: Path) -> None:
    """Thai and Devanagari vowel signs above or below a letter (category Mn, combining
    class 0) take no cell on a terminal: measured as one each, a Thai show name pushed
    its row's title to the right of the header's TITLE."""
    thai, hindi = "สวัสดีวิทยุ", "हिंदी पॉडकास्ट"  # 7 and 12 cells
    for name, n in ((thai, 1), (hindi, 2), ("Short", 3)):
        (tmp_path / f"{n}.xml").write_bytes(feeds.rss(item(n, f"Title {n}"), title=name))
    lib = tmp_path / "lib"
    r = run_cli(lib, "import", *(str(tmp_path / f"{n}.xml") for n in (1, 2, 3)))
    assert r.returncode == 0, r.stderr

    def terminal_cells(text: str) -> int:
        return sum(0 if unicodedata.category(c) in ("Mn", "Me") else cells(c) for c in text)

    lines = ok(lib, "episodes").splitlines()
    header, rows = lines[0], lines[1:-1]
    title_at = terminal_cells(header[:header.index("TITLE")])
    assert title_at == terminal_cells(header[:header.index("SHOW")]) + 12 + 2  # the widest name, no wider
    for row in rows:
        assert terminal_cells(row[:row.index("Title ")]) == title_at, row


def test_an_episode_of_100_hours_keeps_the_columns_aligned(tmp_path: Path) -> None:
    # its length (100:00:00) is wider than the 8-cell column: the show and title of its
    # row stood a cell right of the others and of the header, in `episodes` and `queue`
    items = "".join(f"""<item><title>Long {n}</title><guid>h-{n}</guid><itunes:duration>{length}</itunes:duration>
      <pubDate>Tue, 0{n} May 2024 14:00:00 +0000</pubDate></item>""" for n, length in ((1, "100:00:00"), (2, "10:00")))
    (tmp_path / "f.xml").write_bytes(feeds.rss(items, title="Audiobooks"))
    lib = tmp_path / "lib"
    assert run_cli(lib, "import", str(tmp_path / "f.xml")).returncode == 0
    lines = ok(lib, "episodes").splitlines()[:3]
    assert len({line.index("Audiobooks") for line in lines[1:]} | {lines[0].index("SHOW")}) == 1, lines
    long, short = sorted(lines[1:], key=lambda line: "Long 2" in line)
    assert long.index("100:00:00") + 9 == short.index("10:00") + 5 == lines[0].index("DURATION") + 8
    ids = [line.split()[0] for line in lines[1:]]
    ok(lib, "queue", "add", *ids)
    queue = ok(lib, "queue").splitlines()[:3]
    assert len({line.index("Audiobooks") for line in queue[1:]} | {queue[0].index("SHOW")}) == 1, queue
