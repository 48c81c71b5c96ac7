"""The small parsers, directly: durations, dates, Normal Play Time, plain text, show-page lines."""

from __future__ import annotations

import pytest

from tracker.chapters.npt import parse_npt
from tracker.importers.showpage import date_line
from tracker.importers.text import one_line, plain_text
from tracker.importers.when import feed_date, iso, itunes_duration, spoken_duration


@pytest.mark.parametrize("text, seconds", [
    ("1740", 1740), ("29:00", 1740), ("0:29:00", 1740), ("01:05:09", 3909), ("65:09", 3909),
    ("12.5", 12.5), (" 00:29:00 ", 1740), ("1h 5min", 3900), ("29min", 1740), ("45 sec", 45),
    ("0", None), ("", None), (None, None), ("bogus", None), ("1:75", None), ("1:60:00", None),
    ("00:62:03", 3723), ("0:65:09.5", 3909.5),
    ("9" * 400, None), ("99999999", None), ("-30", None), ("1e9", None), ("inf", None), ("nan", None),
])
def test_itunes_duration(text: str | None, seconds: float | None) -> None:
    assert itunes_duration(text) == seconds


@pytest.mark.parametrize("text, seconds", [
    ("29min", 1740), ("1h 5min", 3900), ("1h", 3600), ("2 hrs 3 mins", 7380), ("45 sec", 45),
    ("", None), ("min", None), ("1h " + " " * 5000 + "x", None),
])
def test_spoken_duration(text: str, seconds: float | None) -> None:
    assert spoken_duration(text) == seconds


@pytest.mark.parametrize("text, month_first, expected", [
    ("Tue, 07 May 2024 14:00:00 +0200", False, "2024-05-07T12:00:00+00:00"),
    ("Tue, 07 May 2024 14:00:00 GMT", False, "2024-05-07T14:00:00+00:00"),
    ("Tue, 07 May 2024 14:00:00 +02:00", False, "2024-05-07T12:00:00+00:00"),
    ("Wed, 08 May 2024 10:00:00 -03:00", False, "2024-05-08T13:00:00+00:00"),
    ("Wed, 08 May 2024 10:00 -0330", False, "2024-05-08T13:30:00+00:00"),
    ("7 May 2024 14:00 EST", False, "2024-05-07T19:00:00+00:00"),
    ("Thu, 01 Jan 70 00:00:00 GMT", False, "1970-01-01T00:00:00+00:00"),
    ("Sat, 01 Jan 00 10:00:00 +0100", False, "2000-01-01T09:00:00+00:00"),
    ("Tuesday, 07 May 2024 14:00:00 +0000", False, "2024-05-07T14:00:00+00:00"),
    ("2024-05-07T14:00:00Z", False, "2024-05-07T14:00:00+00:00"),
    ("2024-05-07", False, "2024-05-07"),
    ("08/02/2013 12:00:00", False, "2013-02-08T12:00:00+00:00"),
    ("08/02/2013 12:00:00", True, "2013-08-02T12:00:00+00:00"),
    ("13/03/2013", True, "2013-03-13"),
    ("Fri, 31 Dec 9999 23:59:59 +0000", False, None),
    ("0001-01-01T00:00:00+05:00", False, None),
    ("1850-01-01", False, None),
    ("Tue, 31 Feb 2024 10:00:00 GMT", False, None),
    ("yesterday", False, None), ("", False, None), ("9" * 400, False, None),
])
def test_feed_date(text: str, month_first: bool, expected: str | None) -> None:
    assert feed_date(text, month_first) == expected


@pytest.mark.parametrize("text", ["Donnerstag, 09 Mai 2024 10:00:00 +0200", "quinta-feira, 09 mai 2024 10:00:00 +0200",
                                  "segunda-feira, 09 mai 2024 10:00:00 +0200"])
def test_a_local_weekday_written_whole_is_read(text: str) -> None:
    # German "Donnerstag" (ten letters) and the Portuguese "-feira" days did not fit the
    # weekday's pattern: a feed writing its weekdays whole had no date on Thursdays.
    assert feed_date(text) == "2024-05-09T08:00:00+00:00"


@pytest.mark.parametrize("text, expected", [
    ("lun., 12 aout 2024 10:00:00 +0200", "2024-08-12T08:00:00+00:00"),
    ("Di, 05 Maerz 2024 10:00:00 +0100", "2024-03-05T09:00:00+00:00"),
])
def test_a_local_month_written_without_its_accent_is_read(text: str, expected: str) -> None:
    # "fevr" (février) and "dec" (décembre) were read, "aout" (août) and German "Maerz"
    # (März) not: a feed writing its months without accents had no date in August.
    assert feed_date(text) == expected


@pytest.mark.parametrize("text", ["Di, 07 Mai 2024 14:00:00 CEST", "Di, 07 Mai 2024 14:00:00 MESZ",
                                  "sáb, 05 out 2024 14:00:00 BRT"])
def test_a_local_month_with_a_zone_name_is_read_as_an_english_one_is(text: str) -> None:
    # A feed writing its months in its own language often names its zone too (strftime's
    # %Z: "CEST"): the date was lost, where "Tue, 07 May 2024 14:00:00 CEST" is read
    # (an unknown zone as UTC, as the email module reads it).
    english = feed_date("Tue, 07 May 2024 14:00:00 CEST")
    assert english == "2024-05-07T14:00:00+00:00"
    assert feed_date(text) is not None and feed_date(text)[11:] == english[11:]


@pytest.mark.parametrize("text", [
    "Tue, 07 May 2024 14:00:00 +0200", "2024-05-07", "08/02/2013 12:00:00", " 08.02.2013", "13/03/2013",
    "8-2-13", "May 8, 2013", "yesterday", "", "2013/02/08",
])
def test_a_date_is_read_early_only_where_the_language_cannot_change_it(text: str) -> None:
    from tracker.importers.when import language_free

    if language_free(text):
        assert feed_date(text, True) == feed_date(text, False)
    assert language_free("Tue, 07 May 2024 14:00:00 +0200") and not language_free("08/02/2013 12:00:00")
    assert not language_free(" \t08/02/2013") and not language_free("\u3000 8.2.13")  # (after spaces, still numeric)
    assert language_free("") and language_free("  ") and language_free("May 8/02/2013")


def test_atom_dates() -> None:
    assert iso("2024-03-01T08:00:00Z") == "2024-03-01T08:00:00+00:00"
    assert iso("2024-03-01T08:00:00+01:00") == "2024-03-01T07:00:00+00:00"
    assert iso("2024-03-08") == "2024-03-08"
    assert iso("9999-12-31T00:00:00Z") is None


@pytest.mark.parametrize("text, seconds", [
    ("37", 37), ("7:48", 468), ("35:12.250", 2112.25), ("01:35:52", 5752), ("1:02:03.5", 3723.5),
    ("7:60", None), ("1:60:00", None), ("x", None), ("", None), (None, None),
])
def test_normal_play_time(text: str | None, seconds: float | None) -> None:
    assert parse_npt(text) == seconds


@pytest.mark.parametrize("markup, text", [
    ("<p>One</p><p>Two</p>", "One\nTwo"),
    ("a &amp; b &lt;c&gt; &eacute;", "a & b <c> é"),
    ("<ul><li>x</li><li>y</li></ul>after", "• x\n• y\nafter"),
    ("keep <<< this >>> text", "keep <<< this >>> text"),
    ("a<script>alert(1)</script>b<style>p{}</style>c<!-- no -->d", "abcd"),
    ("unclosed <!-- comment", "unclosed"),
    # letters whose lower case is longer ("İ" is "i" and a dot): the cut falls where the comment is
    ("İstanbul, İzmir <!-- note to self --> Visible text", "İstanbul, İzmir Visible text"),
    ("İİİİİİİİİİ<script>alert(1)</script>Hello world", "İİİİİİİİİİHello world"),
    ("x\x1b[2Jy\u202ez", "x[2Jyz"),
    ("many     spaces\t\there\n\n\n\nand lines", "many spaces here\n\nand lines"),
])
def test_plain_text(markup: str, text: str) -> None:
    assert plain_text(markup) == text


def test_one_line_folds_everything() -> None:
    assert one_line("  RSS <<< Title >>>\n  second ") == "RSS <<< Title >>> second"


@pytest.mark.parametrize("line, parsed", [
    ("May 7, 2024 • 29min", ("May 7, 2024", "29min")),
    ("Sept. 30 · 1h 59min", ("Sept. 30", "1h 59min")),
    ("  Feb 9, 2024 • 8min  ", ("Feb 9, 2024", "8min")),
    ("May 7, 2024 •", None), ("may 7, 2024 • 29min", None), ("May 7, 2024 • 29 minutes of fun", None),
    ("May 1, 2024 •" + " " * 3000 + "x", None),
    # copied from a web page: no-break spaces (&nbsp;), doubled spaces, a left-to-right mark
    ("May\xa07, 2024\xa0•\xa029min", ("May 7, 2024", "29min")),
    ("May  7,\u202f2024 • 1h\xa05min", ("May 7, 2024", "1h 5min")),
    ("\u200eMay 7, 2024 • 29min", ("May 7, 2024", "29min")),
])
def test_show_page_date_line(line: str, parsed: tuple[str, str] | None) -> None:
    assert date_line(line) == parsed


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_one_out_of_range_number_in_a_json_chapters_file_drops_only_its_chapter(bad: str) -> None:
    # Python's json.dumps writes NaN for a missing float, and 1e400 is valid JSON: the
    # strict parser refused the whole file, so every chapter of the episode was lost.
    from tracker.chapters.podcast_json import parse_json_chapters

    raw = ('{"version": "1.2.0", "chapters": [{"startTime": 0, "title": "Intro"}, '
           f'{{"startTime": {bad}, "title": "Broken"}}, {{"startTime": 60, "title": "Main", "endTime": {bad}}}]}}')
    assert [(c.title, c.start_s) for c in parse_json_chapters(raw.encode())] == [("Intro", 0.0), ("Main", 60.0)]


def test_a_json_chapters_file_nested_too_deep_is_refused_not_a_crash() -> None:
    from tracker.chapters.podcast_json import parse_json_chapters
    from tracker.model.errors import ChapterFileError

    with pytest.raises(ChapterFileError):
        parse_json_chapters(b'{"chapters": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    with pytest.raises(ChapterFileError):
        parse_json_chapters(b'{"chapters": [NaN' + b"[" * 100_000 + b"}")


def test_a_json_chapters_file_written_in_windows_1252_is_read() -> None:
    # A chapters file saved by a Windows tool in its own encoding ("Café" as one byte) was
    # refused whole, so the episode had no chapters from it; feeds that do so are read as
    # windows-1252 already.
    from tracker.chapters.podcast_json import parse_json_chapters

    raw = '{"chapters": [{"startTime": 0, "title": "Café – intro"}, {"startTime": 60, "title": "Über"}]}'
    assert [(c.title, c.start_s) for c in parse_json_chapters(raw.encode("windows-1252"))] == [
        ("Café – intro", 0.0), ("Über", 60.0)]


def test_a_json_chapters_file_over_the_cap_keeps_the_earliest_chapters_not_the_first_written() -> None:
    # Of an unsorted file over the 500-chapter cap, the first 500 in file order were kept:
    # a file listing its late chapters first lost the episode's opening ones.
    import json

    from tracker.chapters.podcast_json import parse_json_chapters
    from tracker.chapters.records import MAX_CHAPTERS

    late = [{"startTime": 10_000 + i, "title": f"Late {i}"} for i in range(MAX_CHAPTERS)]
    early = [{"startTime": i * 10, "title": f"Early {i}"} for i in range(100)]
    got = parse_json_chapters(json.dumps({"chapters": late + early}).encode())
    assert len(got) == MAX_CHAPTERS
    assert [c.title for c in got[:3]] == ["Early 0", "Early 1", "Early 2"]
    assert got[-1].title == f"Late {MAX_CHAPTERS - 101}"
