"""RSS, Atom, OPML and their chapters, from files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import feeds
from tracker.importers.service import import_sources
from tracker.model.library import Library


def write_feed(folder: Path) -> Path:
    (folder / "chapters").mkdir(parents=True, exist_ok=True)
    (folder / "chapters" / "002.json").write_bytes(feeds.CHAPTERS_002)
    (folder / "chapters" / "003.json").write_bytes(feeds.CHAPTERS_003)
    path = folder / "night.xml"
    path.write_bytes(feeds.rss(feeds.ITEMS))
    return path


def by_title(library: Library) -> dict:
    return {e.title: e for e in library.episodes().values()}


def test_rss_fields(tmp_path: Path) -> None:
    library = Library(tmp_path / "lib")
    (o,) = import_sources(library, [str(write_feed(tmp_path))])
    assert o.ok and o.kind == "rss" and o.episodes == 4 and o.added == 4
    eps = by_title(library)
    keeper = eps["The Lighthouse Keeper"]
    assert keeper.published == "2024-05-07T12:00:00+00:00"
    assert keeper.duration_s == 3909
    assert (keeper.season, keeper.number) == (2, 7)
    assert keeper.guid == "ns-001" and keeper.audio_url.endswith("001.mp3")
    assert library.description(keeper.id) == "A keeper & her lamp.\nSecond paragraph été."
    assert eps["Radio Silence"].duration_s == 1740
    assert eps["Old Namespace"].duration_s == 1740 and eps["Old Namespace"].audio_url is None
    assert eps["Bonus: no guid"].duration_s == 45


def test_psc_chapters_are_sorted_with_fractions(tmp_path: Path) -> None:
    library = Library(tmp_path / "lib")
    import_sources(library, [str(write_feed(tmp_path))])
    keeper = by_title(library)["The Lighthouse Keeper"]
    assert keeper.chapters_source == "psc"
    assert [(c.start_s, c.end_s, c.title) for c in keeper.chapters] == [
        (0, 468, "Cold open"), (468, 600.5, "Arrival"), (600.5, 3602, "The storm"), (3602, 3909, "Dawn"),
    ]


def test_json_chapters_read_relative_to_a_file_feed_and_richest_wins(tmp_path: Path) -> None:
    library = Library(tmp_path / "lib")
    import_sources(library, [str(write_feed(tmp_path))])
    eps = by_title(library)
    radio = eps["Radio Silence"]
    # JSON has 5 visible chapters (one toc:false hidden); the notes have 4: JSON wins.
    assert radio.chapters_source == "json"
    assert [c.title for c in radio.chapters] == ["Intro", "The signal", "Static", "Voices", "Goodbye"]
    assert radio.chapters[-1].end_s == 1740
    assert eps["Old Namespace"].chapters_source == "json"  # the older namespace URI too


def test_no_remote_chapters_skips_only_remote_files(tmp_path: Path) -> None:
    library = Library(tmp_path / "lib")
    import_sources(library, [str(write_feed(tmp_path))], remote_chapters=False)
    # Relative chapter files beside a file feed are local: still read.
    assert by_title(library)["Radio Silence"].chapters_source == "json"


def test_notes_chapters_when_no_chapter_file(tmp_path: Path) -> None:
    path = write_feed(tmp_path)
    (tmp_path / "chapters" / "002.json").unlink()
    library = Library(tmp_path / "lib")
    import_sources(library, [str(path)])
    radio = by_title(library)["Radio Silence"]
    assert radio.chapters_source == "notes"
    assert [(c.start_s, c.title) for c in radio.chapters] == [
        (0, "Hello"), (120, "The signal"), (600, "Static"), (1500, "Goodbye")]


def test_id3_chapters_from_a_local_enclosure(tmp_path: Path) -> None:
    from mutagen.id3 import CHAP, CTOC, ID3, TIT2, CTOCFlags

    audio = tmp_path / "local.mp3"
    audio.write_bytes(b"")
    tags = ID3()
    tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                  child_element_ids=["c1", "c2", "c3"], sub_frames=[]))
    for cid, start, end, title in (("c1", 0, 30000, "Open"), ("c2", 30000, 90500, "Middle"), ("c3", 90500, 120000, "Close")):
        tags.add(CHAP(element_id=cid, start_time=start, end_time=end, sub_frames=[TIT2(text=[title])]))
    tags.save(audio)
    item = """<item><title>Local</title><guid>loc-1</guid><itunes:duration>120</itunes:duration>
      <enclosure url="local.mp3" type="audio/mpeg" length="1"/></item>"""
    (tmp_path / "local.xml").write_bytes(feeds.rss(item, title="Local Show"))
    library = Library(tmp_path / "lib")
    (o,) = import_sources(library, [str(tmp_path / "local.xml")])
    assert o.ok
    (ep,) = library.episodes().values()
    assert ep.chapters_source == "id3"
    assert [(c.start_s, c.end_s, c.title) for c in ep.chapters] == [(0, 30, "Open"), (30, 90.5, "Middle"), (90.5, 120, "Close")]


def test_atom(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_bytes(feeds.ATOM)
    library = Library(tmp_path / "lib")
    (o,) = import_sources(library, [str(tmp_path / "a.xml")])
    assert o.ok and o.kind == "atom" and o.show == "Atomic Hour"
    eps = by_title(library)
    assert eps["Half-lives"].published == "2024-03-01T08:00:00+00:00"
    assert eps["Half-lives"].duration_s == 2700 and eps["Half-lives"].audio_url == "https://atomic.example/1.mp3"
    assert library.description(eps["Half-lives"].id) == "Decay, explained."
    assert eps["Date only"].published == "2024-03-08"  # a date-only source stays a date
    assert library.description(eps["Date only"].id) == "Plain xhtml."


def test_opml_imports_each_feed_and_reports_each(tmp_path: Path) -> None:
    write_feed(tmp_path)
    (tmp_path / "a.xml").write_bytes(feeds.ATOM)
    (tmp_path / "subs.opml").write_bytes(feeds.opml("night.xml", str(tmp_path / "a.xml"), "missing.xml"))
    library = Library(tmp_path / "lib")
    outcomes = import_sources(library, [str(tmp_path / "subs.opml")])
    assert [o.ok for o in outcomes] == [True, True, True, False]
    assert outcomes[0].kind == "opml" and "3 feeds" in outcomes[0].message
    assert "no such file" in outcomes[3].message
    assert {s["title"] for s in library.shows().values()} == {"Night Shift Radio", "Atomic Hour"}


def test_episodes_that_vanish_from_a_feed_are_kept(tmp_path: Path) -> None:
    path = write_feed(tmp_path)
    library = Library(tmp_path / "lib")
    import_sources(library, [str(path)])
    path.write_bytes(feeds.rss("""<item><title>Only one now</title><guid>ns-009</guid></item>"""))
    (o,) = import_sources(library, [str(path)])
    assert o.added == 1
    assert len(library.episodes()) == 5


def test_retitled_episode_updates_metadata_not_identity(tmp_path: Path) -> None:
    path = write_feed(tmp_path)
    library = Library(tmp_path / "lib")
    import_sources(library, [str(path)])
    eid = by_title(library)["Radio Silence"].id
    library.report_progress(eid, 700)
    path.write_bytes(feeds.rss(feeds.ITEMS.replace("<title>Radio Silence", "<title>Radio Silence (remastered)")))
    (o,) = import_sources(library, [str(path)])
    assert o.updated == 1
    assert library.episode(eid).title == "Radio Silence (remastered)"
    assert library.state(eid).position_s == 700


BAD = {
    "truncated": feeds.rss(feeds.ITEMS)[:700],
    "not utf-8 text": "Café Show\n\nMay 7, 2024 · 29min\n\nTitle\n".encode("latin-1"),
    "html page": b"<!DOCTYPE html><html><body>hello</body></html>",
    "empty": b"",
    "binary": b"\x00\x01\x02\x03" * 100,
    "json of another kind": b'{"hello": "world"}',
    "xml of another kind": b"<?xml version='1.0'?><svg></svg>",
    "plain prose": b"Just some words, nothing here.",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_a_clear_error_and_imports_nothing(tmp_path: Path, name: str) -> None:
    (tmp_path / "bad").write_bytes(BAD[name])
    library = Library(tmp_path / "lib")
    (o,) = import_sources(library, [str(tmp_path / "bad")])
    assert not o.ok
    assert o.message and "\n" not in o.message and "Traceback" not in o.message
    assert library.episodes() == {}


def test_one_bad_source_does_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "bad.xml").write_bytes(BAD["truncated"])
    (tmp_path / "a.xml").write_bytes(feeds.ATOM)
    library = Library(tmp_path / "lib")
    outcomes = import_sources(library, [str(tmp_path / "bad.xml"), str(tmp_path / "a.xml")])
    assert [o.ok for o in outcomes] == [False, True]
    assert len(library.episodes()) == 2


def test_export_json_then_import_is_lossless(tmp_path: Path) -> None:
    from tracker.exchange.tracker_json import export

    library = Library(tmp_path / "lib")
    import_sources(library, [str(write_feed(tmp_path))])
    eps = by_title(library)
    library.report_progress(eps["The Lighthouse Keeper"].id, 100)
    library.queue_add([eps["Radio Silence"].id], chapter=2)
    library.mark_chapter(eps["Radio Silence"].id, 3, "skipped")
    first = export(library)
    (tmp_path / "export.json").write_text(json.dumps(first))
    other = Library(tmp_path / "other")
    (o,) = import_sources(other, [str(tmp_path / "export.json")])
    assert o.ok and o.kind == "tracker-json"
    assert export(other) == first


def test_a_season_or_number_written_in_other_digits_is_left_out_not_a_failed_import(tmp_path: Path) -> None:
    """``str.isdigit()`` accepts a superscript two, ``int()`` does not: the feed failed whole."""
    item = ("<item><title>Odd Digits</title><guid>odd</guid>"
            "<itunes:season>\u00b2</itunes:season><itunes:episode>\u2460</itunes:episode></item>")
    path = tmp_path / "odd.xml"
    path.write_bytes(feeds.rss(item))
    library = Library(tmp_path / "lib")
    (o,) = import_sources(library, [str(path)])
    assert o.ok, o.message
    odd = by_title(library)["Odd Digits"]
    assert (odd.season, odd.number) == (None, None)


@pytest.mark.parametrize("last", ["01:05:09", "01:05:09.200", "01:05:09.900"])
def test_a_chapter_at_the_stated_end_keeps_the_episode_s_length(tmp_path: Path, last: str) -> None:
    # itunes:duration is whole seconds: a chapter in the last second, or an "End" marker
    # at the very end, made the length "wrong", and the episode showed --:-- (no time
    # left, no end to reach). Such a chapter holds nothing and is left out.
    item = ('<item><title>Ep</title><guid>g1</guid><itunes:duration>1:05:09</itunes:duration>'
            '<psc:chapters version="1.2"><psc:chapter start="0" title="Intro"/><psc:chapter start="30:00" title="Main"/>'
            f'<psc:chapter start="{last}" title="End"/></psc:chapters></item>')
    path = tmp_path / "feed.xml"
    path.write_bytes(feeds.rss(item))
    library = Library(tmp_path / "lib")
    import_sources(library, [str(path)])
    (ep,) = library.episodes().values()
    assert ep.duration_s == 3909
    assert [(c.title, c.start_s, c.end_s) for c in ep.chapters] == [("Intro", 0, 1800), ("Main", 1800, 3909)]


def test_chapters_well_past_the_stated_end_still_mean_the_length_is_wrong(tmp_path: Path) -> None:
    item = ('<item><title>Ep</title><guid>g1</guid><itunes:duration>10:00</itunes:duration>'
            '<psc:chapters version="1.2"><psc:chapter start="0" title="Intro"/><psc:chapter start="30:00" title="Main"/>'
            '</psc:chapters></item>')
    path = tmp_path / "feed.xml"
    path.write_bytes(feeds.rss(item))
    library = Library(tmp_path / "lib")
    import_sources(library, [str(path)])
    (ep,) = library.episodes().values()
    assert ep.duration_s is None and [c.title for c in ep.chapters] == ["Intro", "Main"]
