"""A show page copied from a podcast app (the founding example's format, in a fixture of
our own: tests/data/show-page.txt), right to the chapter."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import SHOW_PAGE
from tracker.importers.service import import_sources
from tracker.model.library import Library

EXPECTED = [
    ("Why fsync lies to you", "2024-06-03", 1320),
    ("Write-ahead logs from scratch", "2024-05-21", 2280),
    ("B-trees versus LSM trees, the rematch", "2024-05-09", 3840),
    ("Torn writes and how to survive them", "2024-04-30", 900),
    ("Inside a page cache", "2024-04-12", 1620),
    ("Compaction storms", "2024-03-28", 1140),
    ("Copy-on-write file systems", "2024-03-14", 1860),
    ("The 3 AM restore", "2024-03-01", 720),
    ("Erasure coding for the rest of us", "2024-02-20", 2640),
    ("A short one about O_DIRECT", "2024-02-09", 480),
]

WAL_CHAPTERS = [
    (0, 90, "Intro"),
    (90, 375, "What a WAL is for"),
    (375, 700, "Framing records"),
    (700, 1080, "Checksums (CRC32C)"),
    (1080, 1530, "Group commit"),
    (1530, 1990, "Recovery after a crash"),
    (1990, 2280, "What we learned"),
]
PAGE_CACHE_CHAPTERS = [
    (0, 45, "Intro"),
    (45, 260, "Reading a file twice"),
    (260, 545, "Readahead"),
    (545, 1000, "Dirty pages and writeback"),
    (1000, 1330, "Eviction under pressure"),
    (1330, 1620, "Tuning it"),
]


def imported(tmp_path: Path) -> Library:
    library = Library(tmp_path / "lib")
    (outcome,) = import_sources(library, [str(SHOW_PAGE)])
    assert outcome.ok and outcome.kind == "showpage", outcome
    return library


def test_show_page_imports_its_ten_episodes(tmp_path: Path) -> None:
    library = imported(tmp_path)
    order = [x[0] for x in EXPECTED]
    episodes = sorted(library.episodes().values(), key=lambda e: order.index(e.title))
    assert [(e.title, e.published, e.duration_s) for e in episodes] == EXPECTED
    assert {e.show for e in episodes} == {"The Storage Engineering Hour with Mira Castell"}


def test_show_page_chapters_are_exact(tmp_path: Path) -> None:
    library = imported(tmp_path)
    by_title = {e.title: e for e in library.episodes().values()}
    with_chapters = {t for t, e in by_title.items() if e.chapters}
    assert with_chapters == {EXPECTED[1][0], EXPECTED[4][0]}
    for title, expected in ((EXPECTED[1][0], WAL_CHAPTERS), (EXPECTED[4][0], PAGE_CACHE_CHAPTERS)):
        ep = by_title[title]
        assert ep.chapters_source == "notes"
        assert [(c.start_s, c.end_s, c.title) for c in ep.chapters] == expected
        assert [c.n for c in ep.chapters] == list(range(1, len(expected) + 1))


def test_show_page_descriptions_are_kept_without_the_app_trailer(tmp_path: Path) -> None:
    library = imported(tmp_path)
    last = next(e for e in library.episodes().values() if e.title == EXPECTED[-1][0])
    text = library.description(last.id)
    assert text.startswith("Bypassing the page cache")
    assert "Get the app" not in text and "Smart Podcast Player" not in text


def test_reimport_keeps_ids_and_listening_state(tmp_path: Path) -> None:
    library = imported(tmp_path)
    ids = set(library.episodes())
    eid = next(e.id for e in library.episodes().values() if e.chapters)
    library.report_progress(eid, 200)
    (again,) = import_sources(library, [str(SHOW_PAGE)])
    assert again.added == 0 and again.updated == 0
    assert set(library.episodes()) == ids
    assert library.state(eid).position_s == 200


def test_a_leap_day_without_a_year_before_this_years_is_the_last_leap_day() -> None:
    """In January 2028, "Feb 29" (the app leaves this year out) is not yet this year's:
    it is 29 February 2024, the latest one not in the future (2027 has none)."""
    from datetime import date

    from tracker.importers.showpage import parse_show_page

    page = "A Show\nA Host\n\nundefined\nFeb 29 • 30min\n\nLeap day\n\nAbout it.\nundefined\n"
    assert parse_show_page(page, today=date(2028, 1, 15)).episodes[0].published == "2024-02-29"


def test_september_written_sept_keeps_its_date() -> None:
    """"Sept." passes the date line (the American abbreviation) but strptime knows only
    "Sep": such episodes were imported with no date at all."""
    from datetime import date

    from tracker.importers.showpage import parse_show_page

    page = ("A Show\nA Host\n\nSept. 30, 2023 • 30min\n\nOne\n\nAbout it.\nundefined\n"
            "Sept 3 • 30min\n\nTwo\n\nAbout it.\nundefined\nSeptember 2, 2023 • 30min\n\nThree\n\nAbout it.\n")
    show = parse_show_page(page, today=date(2024, 10, 1))
    assert [e.published for e in show.episodes] == ["2023-09-30", "2024-09-03", "2023-09-02"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_a_show_page_saved_as_utf16_is_read(tmp_path: Path, encoding: str) -> None:
    """Windows PowerShell's 'Get-Clipboard > page.txt' and Notepad's 'Unicode' save
    UTF-16 with a byte order mark: the page was refused as 'malformed XML: no root
    element', though it is no XML."""
    bom = {"utf-16-be": "\ufeff"}.get(encoding, "")
    page = tmp_path / "page.txt"
    page.write_bytes((bom + SHOW_PAGE.read_text().replace("\n", "\r\n")).encode(encoding))
    (outcome,) = import_sources(Library(tmp_path / "lib"), [str(page)])
    assert outcome.ok and outcome.kind == "showpage" and outcome.added == 10, outcome


def test_a_partial_paste_keeps_the_text_and_chapters_it_cut_short(tmp_path: Path) -> None:
    """Copying only the top of the page (the new episodes) ends the selection inside an
    older episode's text: that cut text replaced the whole, and the chapters read from
    it were lost."""
    library = imported(tmp_path)
    wal = next(e for e in library.episodes().values() if e.title == EXPECTED[1][0])
    text = SHOW_PAGE.read_text()
    cut = text.index("Building a write-ahead log") + 40
    partial = tmp_path / "partial.txt"
    partial.write_text(text[:cut])
    (again,) = import_sources(library, [str(partial)])
    assert again.ok and again.updated == 0, again
    assert [(c.start_s, c.title) for c in library.episodes()[wal.id].chapters] == [(s, t) for s, _, t in WAL_CHAPTERS]
    assert library.description(wal.id).endswith("https://storage.example/fundamentals")


@pytest.mark.parametrize("name", ["[BONUS] Daily Brief", "{Dev} Talk", "<Code> Radio", "<3 Letters"])
def test_a_show_named_with_a_bracket_first_is_still_a_show_page(tmp_path: Path, name: str) -> None:
    """A page's first character is its show's: one starting with '[', '{' or '<' was taken
    for JSON or XML and refused ('malformed JSON', 'unrecognised XML document <code>')."""
    page = tmp_path / "page.txt"
    page.write_text(f"{name}\n\nHost\nundefined\nMay 7, 2024 • 29min\n\nOne\n\nAbout it.\n", encoding="utf-8")
    (outcome,) = import_sources(Library(tmp_path / "lib"), [str(page)])
    assert outcome.ok and outcome.kind == "showpage" and outcome.show == name, outcome


@pytest.mark.parametrize("ending", ["", "\n", "\n\n"])
def test_a_page_cut_inside_its_last_title_adds_no_half_titled_episode(tmp_path: Path, ending: str) -> None:
    # the selection stopped mid-line: "Inside a pa" was added as an episode of its own, and
    # stayed beside "Inside a page cache" once the whole page was pasted
    text = SHOW_PAGE.read_text(encoding="utf-8")
    cut = tmp_path / "cut.txt"
    cut.write_text(text[: text.index("Inside a page cache") + len("Inside a pa")] + ending, encoding="utf-8")
    library = Library(tmp_path / "lib")
    (outcome,) = import_sources(library, [str(cut)])
    assert outcome.ok and outcome.kind == "showpage", outcome
    assert "the last entry was left out: the text stops inside it" in outcome.message  # (said, not silent)
    assert sorted(e.title for e in library.episodes().values()) == sorted(t for t, *_ in EXPECTED[:4])
    import_sources(library, [str(SHOW_PAGE)])
    assert sorted(e.title for e in library.episodes().values()) == sorted(t for t, *_ in EXPECTED)
