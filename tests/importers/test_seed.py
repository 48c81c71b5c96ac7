"""The founding example: a show page copied from a podcast app, right to the chapter."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import seed_path
from tracker.importers.service import import_sources
from tracker.model.library import Library

EXPECTED = [
    ("io uring gets even faster", "2024-05-20", 1020),
    ("They made Python faster with this compiler option", "2024-05-07", 1740),
    ("How Apache Kafka got faster by switching ext4 to XFS", "2024-04-29", 2040),
    ("Google Patches Linux kernel with 40% TCP performance", "2024-03-05", 840),
    ("Database Torn pages", "2024-02-29", 960),
    ("Cloudflare Open sources Pingora (NGINX replacement)", "2024-02-28", 1860),
    ("The Internals of MongoDB", "2024-02-19", 2700),
    ("The Beauty of Programming Languages", "2024-02-19", 1080),
    ("The Danger of Defaults - A PostgreSQL Story", "2024-02-18", 720),
    ("Database Background writing", "2024-02-16", 540),
]

PYTHON_CHAPTERS = [
    (0, 60, "Intro"),
    (60, 340, "Fedora Linux gets Fast Python"),
    (340, 540, "What is Compiling?"),
    (540, 730, "Compiling with No Optimization"),
    (730, 930, "Compiling with -O1"),
    (930, 1200, "Compiling with -O2"),
    (1200, 1400, "Compiling with -O3"),
    (1400, 1740, "Showing Numbers"),
]
GOOGLE_CHAPTERS = [
    (0, 30, "Intro"),
    (30, 100, "Google improves Linux Kernel TCP by 40%"),
    (100, 405, "How CPU Cache Line Works"),
    (405, 840, "Reviewing the Google Patch"),
]


def imported(tmp_path: Path) -> Library:
    library = Library(tmp_path / "lib")
    (outcome,) = import_sources(library, [str(seed_path())])
    assert outcome.ok and outcome.kind == "showpage", outcome
    return library


def test_seed_imports_its_ten_episodes(tmp_path: Path) -> None:
    library = imported(tmp_path)
    episodes = sorted(library.episodes().values(), key=lambda e: EXPECTED.index(
        next(x for x in EXPECTED if x[0] == e.title)))
    assert [(e.title, e.published, e.duration_s) for e in episodes] == EXPECTED
    assert {e.show for e in episodes} == {"The Backend Engineering Show with Hussein Nasser"}


def test_seed_chapters_are_exact(tmp_path: Path) -> None:
    library = imported(tmp_path)
    by_title = {e.title: e for e in library.episodes().values()}
    with_chapters = {t for t, e in by_title.items() if e.chapters}
    assert with_chapters == {EXPECTED[1][0], EXPECTED[3][0]}
    for title, expected in ((EXPECTED[1][0], PYTHON_CHAPTERS), (EXPECTED[3][0], GOOGLE_CHAPTERS)):
        ep = by_title[title]
        assert ep.chapters_source == "notes"
        assert [(c.start_s, c.end_s, c.title) for c in ep.chapters] == expected
        assert [c.n for c in ep.chapters] == list(range(1, len(expected) + 1))


def test_seed_descriptions_are_kept_without_the_app_trailer(tmp_path: Path) -> None:
    library = imported(tmp_path)
    last = next(e for e in library.episodes().values() if e.title == "Database Background writing")
    text = library.description(last.id)
    assert text.startswith("Background writing is a process")
    assert "Get the app" not in text and "AI-powered" not in text


def test_reimport_keeps_ids_and_listening_state(tmp_path: Path) -> None:
    library = imported(tmp_path)
    ids = set(library.episodes())
    eid = next(e.id for e in library.episodes().values() if e.chapters)
    library.progress(eid, 200)
    (again,) = import_sources(library, [str(seed_path())])
    assert again.added == 0 and again.updated == 0
    assert set(library.episodes()) == ids
    assert library.state(eid).position_s == 200
