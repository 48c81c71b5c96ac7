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


# -- linear time: every parser over adversarial text, two sizes compared in one run -----------
import time  # noqa: E402
from typing import Callable  # noqa: E402

from tracker.importers.detect import detect  # noqa: E402
from tracker.importers.text import plain_text  # noqa: E402
from tracker.importers.when import feed_date, itunes_duration, spoken_duration  # noqa: E402

ADVERSARIAL = [" ", "  ", ":", "0", "9", "0:00", "1:00 ", "12:34:56", "[", "]", "(", ")", "<", ">", "<<", "&",
               "&amp;", "•", "·", "\n", "\t", "\x1b[2J", "\u202e", "at ", "https://x.example/a ", "www.",
               "Guest: Jane Doe. ", "May 1, 2024 • ", "min", "h ", "<script", "<!--", "<br", "a", "Z", "9" * 40]
units = st.lists(st.sampled_from(ADVERSARIAL), min_size=1, max_size=6).map("".join)


def best_time(fn: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        try:
            fn(text)
        except ImportFailed:
            pass
        best = min(best, time.perf_counter() - started)
    return best


def assert_linear(fn: Callable[[str], object], unit: str, size: int = 3_000) -> None:
    """8 times the input may cost at most ~8 times the time (with room for noise): a
    quadratic parser costs 64 times, a cubic one 512."""
    small = unit * max(1, size // len(unit))
    large = small * 8
    t_small, t_large = best_time(fn, small), best_time(fn, large)
    assert t_large <= 32 * t_small + 0.05, f"{len(small)} chars: {t_small:.4f} s, {len(large)}: {t_large:.4f} s"


def rss_with(text: str) -> bytes:
    from xml.sax.saxutils import escape

    body = escape(text.replace("\x1b", ""))
    return (f'<rss><channel><title>{body[:500]}</title><item><title>{body[:2000]}</title>'
            f"<description>{body}</description></item></channel></rss>").encode()


PARSERS: dict[str, Callable[[str], object]] = {
    "show notes chapters": lambda t: notes_chapters(t, None),
    "show notes chapters with a duration": lambda t: notes_chapters(t, 3600),
    "show page": parse_show_page,
    "plain text": plain_text,
    "feed date": feed_date,
    "itunes duration": itunes_duration,
    "spoken duration": spoken_duration,
    "format detection": lambda t: detect(t.encode()),
    "rss feed": lambda t: __import__("tracker.importers.rss", fromlist=["parse_rss"]).parse_rss(rss_with(t)),
}


@settings(max_examples=12)
@given(units)
def test_every_parser_is_linear_on_adversarial_text(unit: str) -> None:
    for name, parse in PARSERS.items():
        try:
            assert_linear(parse, unit)
        except AssertionError as err:
            raise AssertionError(f"{name} on {unit!r}: {err}") from None


def test_chapter_starts_that_round_alike_are_one_chapter() -> None:
    """Times are kept to the millisecond: a start at 0.0001 s is 0, the same as the first
    chapter's, which must not become a chapter from 0 to 0 (whose clearing or skipping
    reaches to the end of the episode)."""
    from tracker.chapters.records import ChapterIn

    found = [ChapterIn("Intro", 0.0), ChapterIn("Body", 0.0001), ChapterIn("End", 1800.0, 1800.0004)]
    for duration in (3600.0, None, 1800.0002):
        out = finish(found, duration)
        assert [c["start_s"] for c in out] == [0, 1800][: len(out)], (duration, out)
        for c in out:
            assert c["end_s"] is None or c["end_s"] > c["start_s"], (duration, out)
