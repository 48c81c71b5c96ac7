"""Fuzzing the text parsers: never an exception; chapters ascending, inside the episode, titled."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.chapters.notes import notes_chapters
from tracker.chapters.records import finish
from tracker.model.errors import ImportFailed
from tracker.importers.showpage import parse_show_page

stamp = st.builds(
    lambda h, m, s: (f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"),
    st.integers(0, 2), st.integers(0, 59), st.integers(0, 59),
)
word = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), min_size=0, max_size=12)
pieces = st.lists(st.one_of(stamp, word, st.just("\n"), st.just("https://x.example/a"), st.just("0:00")), max_size=40)


@settings(max_examples=300)
@given(pieces, st.one_of(st.none(), st.floats(1, 20000)))
def test_notes_chapters_hold_their_invariants(parts: list[str], duration: float | None) -> None:
    text = " ".join(parts)
    chapters = notes_chapters(text, duration)
    starts = [c.start_s for c in chapters]
    assert starts == sorted(set(starts))
    if chapters:
        assert starts[0] == 0 and len(chapters) >= 3
    for c in chapters:
        assert c.title.strip()
        if duration is not None:
            assert c.start_s < duration
    for c in finish(chapters, duration):
        assert c["end_s"] is None or c["end_s"] > c["start_s"]
        if duration is not None:
            assert c["end_s"] <= duration


date_line = st.builds(
    lambda mon, d, y, dur: f"{mon} {d}, {y} • {dur}",
    st.sampled_from(["Jan", "Feb", "May", "Sep", "Dec", "Foo"]), st.integers(0, 40), st.integers(1990, 2030),
    st.sampled_from(["29min", "1h 5min", "1h", "0min", "", "45 sec"]),
)
line = st.one_of(date_line, word, st.just(""), st.just("undefined"), st.just("7 snips"), pieces.map(" ".join))


@settings(max_examples=300)
@given(st.lists(line, max_size=60))
def test_show_page_parser_never_crashes(lines: list[str]) -> None:
    try:
        show = parse_show_page("\n".join(lines))
    except ImportFailed:
        return
    assert show.title.strip()
    for ep in show.episodes:
        assert ep.title.strip()
        assert ep.duration_s is None or ep.duration_s > 0
