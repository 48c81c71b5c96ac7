"""The import's fast paths give exactly what the plain way gives.

Text cleaning takes shortcuts for the common case (ASCII text cleaned on bytes, spaces
folded only where there is something to fold); here each shortcut is checked against
the straightforward version it replaces, on text built from the characters that matter:
every kind of space, control characters, bidi overrides, tags and entities.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.importers.text import plain_text
from tracker.model import text as model_text
from tracker.model.text import clean_block, clean_line

SPACES = [chr(c) for c in range(0x110000) if chr(c).isspace()]
PIECES = [*SPACES, "a", "Z", "é", "日", "\x00", "\x07", "\x1b", "\x7f", "\x9b", "\u202e", "\u2066", "\r\n",
          "<p>", "</p>", "<br/>", "<li>", "&amp;", "&nbsp;", "&#9;", "<!-- x -->", "word ", "  ",
          "<script>x</script>", "<STYLE>", "<s>", "<S", "\n\n\n"]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
ascii_texts = st.text(st.characters(max_codepoint=0x7F), max_size=200)


def reference_line(text: str) -> str:
    return " ".join(text.translate(model_text._LINE).split()) if text else ""


def reference_block(text: str) -> str:
    return text.replace("\r\n", "\n").translate(model_text._BLOCK) if text else ""


def reference_plain(markup: str) -> str:
    """plain_text as it was before its shortcuts: every line's spaces folded."""
    from tracker.importers import text as t

    if not markup:
        return ""
    text = markup[: t.MAX_MARKUP]
    if "<" in text:
        text = text.replace("<![CDATA[", "").replace("]]>", "") if "<![CDATA[" in text else text
        if t._HIDDEN_START.search(text):
            text = t._drop_hidden(text)
        text = t._CELL_END.sub(" ", text)
        text = t._TAG.sub("", t._LI.sub("\n• ", t._BREAK.sub("\n", text)))
    if "&" in text:
        text = html.unescape(text)
    text = reference_block(text)
    text = "\n".join(" ".join(line.split()) for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text[: t.MAX_TEXT].rstrip()


@settings(max_examples=300)
@given(st.one_of(texts, ascii_texts))
def test_cleaning_a_line_or_a_block_matches_the_plain_translation(text: str) -> None:
    assert clean_line(text) == reference_line(text)
    assert clean_block(text) == reference_block(text)


@settings(max_examples=300)
@given(st.one_of(texts, ascii_texts))
def test_a_description_reads_the_same_with_or_without_its_shortcuts(markup: str) -> None:
    assert plain_text(markup) == reference_plain(markup)


def test_every_short_mix_of_spaces_breaks_and_tags_reads_the_same() -> None:
    from itertools import product

    pieces = [" ", "\n", "\t", "\xa0", "\u3000", "\r", "a", "<p>", "</p>", "&amp;", "\x1b", "\u202e"]
    for count in range(1, 5):
        for parts in product(pieces, repeat=count):
            text = "".join(parts)
            assert plain_text(text) == reference_plain(text), repr(text)
            assert clean_line(text) == reference_line(text), repr(text)
            assert clean_block(text) == reference_block(text), repr(text)


def test_the_shortcut_still_folds_what_a_reader_would_see_as_spaces() -> None:
    assert plain_text("<p>One\u00a0 two</p>\n  <p>three\tfour </p>") == "One two\n\nthree four"
    assert plain_text("a\u3000\u3000b") == "a b"
    assert clean_line("Title\r\nnext\x0bpart") == "Title nextpart"
    assert clean_block("one\rtwo\r\nthree\x1b[2J") == "one\ntwo\nthree[2J"


CLOCK_PARTS = ["", "0", "00", "05", "59", "60", "61", "99", "100", "1234", "12345", "123456", "123456789",
               "1234567890", "1.5", " 7", "١٢"]


def test_durations_and_chapter_times_read_the_same_without_their_patterns() -> None:
    """The usual clock shapes skip the patterns; every text of one to four parts (every
    boundary of every part) reads as the patterns read it."""
    from itertools import product

    from tracker.chapters import npt
    from tracker.importers import when

    for count in range(1, 5):
        for parts in product(CLOCK_PARTS, repeat=count):
            text = ":".join(parts)
            assert when.itunes_duration(text) == reference_duration(text), text
            assert npt.parse_npt(text) == reference_npt(text), text


def reference_duration(text: str) -> float | None:
    from tracker.importers import when

    text = " ".join(text.split())
    if not text or len(text) > when.MAX_DURATION_TEXT:
        return None
    if when._NUMBER.fullmatch(text):
        return when.duration(float(text))
    m = when._CLOCK.fullmatch(text)
    if m:
        h, mm, ss = m.groups()
        if float(ss) >= 60 or (h is not None and int(h) and int(mm) >= 60):
            return None
        return when.duration(int(h or 0) * 3600 + int(mm) * 60 + float(ss))
    return when.spoken_duration(text)


def reference_npt(text: str) -> float | None:
    from tracker.chapters import npt

    if not text or len(text) > npt.MAX_TEXT:
        return None
    m = npt._NPT.match(text)
    if not m:
        return None
    hours, minutes, seconds, fraction = m.groups()
    value = int(hours or 0) * 3600 + int(minutes or 0) * 60 + int(seconds)
    if (hours is not None or minutes is not None) and int(seconds) >= 60:
        return None
    if hours is not None and int(minutes) >= 60:
        return None
    if fraction:
        value += int(fraction) / 10 ** len(fraction)
    return float(value)


def test_an_import_stores_the_documents_a_plain_merge_stores(tmp_path: Path) -> None:
    """The importer hands the catalog each episode's listing and details already apart;
    the library ends up byte for byte as when whole documents are merged and split."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from generate import make_feed

    from tracker.importers.document import Read, to_update, understand
    from tracker.model.catalog import merge_show, merge_shows
    from tracker.model.files import DETAIL_NAMES, LISTING_NAMES, NOTE_NAMES
    from tracker.model.library import Library

    read = Read("feed.xml", make_feed(60))
    kind, show = understand(read)
    update = to_update(show, "s1", "url:x", read, kind).update
    assert update.details is not None
    whole = {eid: {**listing, **update.details[eid]} for eid, listing in update.episodes.items()}
    plain, fast = Library(tmp_path / "plain"), Library(tmp_path / "fast")
    merge_show(plain, update.show_id, update.show, whole, update.notes)
    merge_shows(fast, [update])
    for name in ["catalog", *LISTING_NAMES, *DETAIL_NAMES, *NOTE_NAMES]:
        assert (tmp_path / "plain" / f"{name}.json").read_bytes() == (tmp_path / "fast" / f"{name}.json").read_bytes()


@given(texts)
@settings(max_examples=200, deadline=None)
def test_episode_ids_hash_as_they_always_did(text: str) -> None:
    """Ids are stored: the built-in SHA-1 the importer uses gives hashlib's digest."""
    import hashlib

    from tracker.importers.records import short_hash

    assert short_hash(text) == hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    assert short_hash("show:generated show") == "be8f3ac7ece2"  # a known answer: the id a library holds


def test_episodes_sent_back_by_a_worker_process_arrive_whole() -> None:
    """A worker process sends a parsed show's episodes as rows of plain values (cheaper
    to unpickle than dataclasses): every field must survive the trip, in its place."""
    import pickle
    from dataclasses import fields

    from tracker.chapters.records import ChapterIn
    from tracker.importers.records import FeedEpisode, episodes_from_rows, episodes_to_rows

    values = {f.name: f"value of {f.name}" for f in fields(FeedEpisode)}
    values.update(duration_s=1740.0, season=2, number=7, chapter_sources={"psc": [ChapterIn("Intro", 0.0)]})
    episode = FeedEpisode(**values)  # type: ignore[arg-type]
    rows = pickle.loads(pickle.dumps(episodes_to_rows([episode, FeedEpisode(title="bare")])))
    back = episodes_from_rows(rows)
    assert back == [episode, FeedEpisode(title="bare")]
    assert type(back[0].chapter_sources["psc"][0]) is ChapterIn  # (equal to a plain tuple, but not one)
    assert back[0].chapter_sources["psc"][0].title == "Intro"


def reference_finish(chapters: list, duration_s: float | None) -> list:
    """``chapters.records.finish`` written plainly: sort, drop repeats and starts past the end
    (times compared to the millisecond, as they are stored)."""
    from tracker.chapters.records import MAX_SECONDS, _num

    kept: list = []
    for ch in sorted(chapters, key=lambda c: c.start_s):
        start = round(ch.start_s, 3)
        if not 0 <= ch.start_s or not start < MAX_SECONDS or (duration_s is not None and start >= round(duration_s, 3)):
            continue
        if kept and start == kept[-1].start_s:
            continue
        kept.append(ch._replace(start_s=start))
    out = []
    for i, ch in enumerate(kept):
        if i + 1 < len(kept):
            end = kept[i + 1].start_s
        elif ch.end_s is not None and round(ch.end_s, 3) > ch.start_s:
            end = ch.end_s if duration_s is None else min(ch.end_s, duration_s)
        else:
            end = float(duration_s) if duration_s is not None else None
        out.append({"title": " ".join(ch.title.split()) or f"Chapter {i + 1}", "start_s": _num(ch.start_s),
                    "end_s": None if end is None else _num(end)})
    return out


times = st.one_of(st.sampled_from([0.0, 1.0, 59.5, 60.0, 600.0, -1.0, 1e7, float("nan")]),
                  st.floats(min_value=-10, max_value=2e7, allow_nan=False))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "Intro", " two  words ", "x"]), times,
                          st.one_of(st.none(), times)), max_size=12),
       st.one_of(st.none(), st.floats(min_value=-10, max_value=2e7, allow_nan=False)))
def test_finishing_chapters_gives_what_the_plain_way_gives(raw: list, duration: float | None) -> None:
    from tracker.chapters.records import ChapterIn, finish

    chapters = [ChapterIn(*c) for c in raw]
    assert finish(chapters, duration) == reference_finish(chapters, duration)


def test_a_worker_s_draft_moved_to_another_show_id_is_what_the_coordinator_would_make() -> None:
    """A worker process makes a feed's update under the id a new show gets; a show the
    library knows by another id and key has the draft moved there, episodes and all."""
    from tracker.importers.document import Read, draft, to_update, understand
    from tracker.importers.identity import Origin

    corpus = Path(__file__).resolve().parents[1] / "data" / "feeds"
    for name in ("rss-shared-guid.xml", "rss-basic.xml", "atom-basic.xml", "rss-stray-items.xml"):
        path = corpus / name
        read = Read(name, path.read_bytes(), Origin(path=str(path)), folder=path.parent, name=name)
        kind, show = understand(read)
        made = draft(show, read, kind)
        assert made.under(made.show_id, made.key) == to_update(show, made.show_id, made.key, read, kind)
        assert made.under("0123abcd4567", "url:https://old.example/feed") == \
            to_update(show, "0123abcd4567", "url:https://old.example/feed", read, kind)
