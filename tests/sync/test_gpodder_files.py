"""gpodder action files: the export says what it knows and no more, the import refuses a
bad file whole, and both read the forms real apps write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests import feeds
from tests.helpers import run_cli
from tracker.exchange.gpodder import episode_actions, export_actions, parse_time
from tracker.exchange.gpodder_urls import full_form, normalize_url
from tracker.importers.service import import_sources
from tracker.model.library import Library
from tracker.model.records import Episode, EpisodeState

NO_DURATION = feeds.rss("""
  <item><title>Unknown length</title><guid>u-1</guid>
    <enclosure url="https://cdn.example.org/u/1.mp3" length="1" type="audio/mpeg"/></item>
  <item><title>No audio</title><guid>u-2</guid><itunes:duration>600</itunes:duration></item>
""", title="Loose Ends")


def by_title(library: Library) -> dict[str, str]:
    return {doc["title"]: eid for eid, doc in library.listings().items()}


def test_unknown_duration_is_not_written_as_finished(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_bytes(NO_DURATION)
    lib = tmp_path / "lib"
    assert run_cli(lib, "import", str(tmp_path / "feed.xml")).returncode == 0
    eid = by_title(Library(lib))["Unknown length"]
    assert run_cli(lib, "progress", eid, "300").returncode == 0
    out = run_cli(lib, "export", "--format", "gpodder")
    actions = json.loads(out.stdout)
    assert len(actions) == 1 and actions[0]["position"] == 300 and "total" not in actions[0]

    # Read back by tracker: still in progress at 5:00, not listened at 0:00.
    (tmp_path / "actions.json").write_text(out.stdout)
    other = tmp_path / "other"
    run_cli(other, "import", str(tmp_path / "feed.xml"))
    assert run_cli(other, "import", str(tmp_path / "actions.json")).returncode == 0
    st = Library(other).state(eid)
    assert (st.status, st.position_s) == ("in_progress", 300)


def test_a_listened_episode_of_unknown_length_is_written_as_finished(tmp_path: Path) -> None:
    """Heard to 5:00 and marked listened, an episode whose feed gives no length was
    written as a play to 5:00 without a total: read back (by tracker, or a phone through
    sync) it was in progress. The furthest point heard now stands for its end."""
    (tmp_path / "feed.xml").write_bytes(NO_DURATION)
    lib = tmp_path / "lib"
    assert run_cli(lib, "import", str(tmp_path / "feed.xml")).returncode == 0
    eid = by_title(Library(lib))["Unknown length"]
    assert run_cli(lib, "progress", eid, "300").returncode == 0
    assert run_cli(lib, "mark", eid, "--listened").returncode == 0
    out = run_cli(lib, "export", "--format", "gpodder")
    actions = json.loads(out.stdout)
    assert [(a["started"], a["position"], a.get("total")) for a in actions] == [(0, 300, 300)]
    (tmp_path / "actions.json").write_text(out.stdout)
    other = tmp_path / "other"
    run_cli(other, "import", str(tmp_path / "feed.xml"))
    assert run_cli(other, "import", str(tmp_path / "actions.json")).returncode == 0
    st = Library(other).state(eid)
    assert (st.status, st.heard_s) == ("listened", 300)


def test_episodes_without_audio_are_reported_not_dropped(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_bytes(NO_DURATION)
    lib = tmp_path / "lib"
    run_cli(lib, "import", str(tmp_path / "feed.xml"))
    eid = by_title(Library(lib))["No audio"]
    run_cli(lib, "progress", eid, "100")
    out = run_cli(lib, "export", "--format", "gpodder")
    assert out.returncode == 0 and json.loads(out.stdout) == []
    assert "left out" in out.stderr and "No audio" in out.stderr and "no audio URL" in out.stderr


def test_a_listened_episode_no_action_can_carry_is_reported_not_dropped(tmp_path: Path) -> None:
    """Marked listened without listening, an episode whose feed gives no length had no
    action to say so (no total to reach, nothing heard): the export left it out silently."""
    (tmp_path / "feed.xml").write_bytes(NO_DURATION)
    lib = tmp_path / "lib"
    run_cli(lib, "import", str(tmp_path / "feed.xml"))
    run_cli(lib, "mark", by_title(Library(lib))["Unknown length"], "--listened")
    out = run_cli(lib, "export", "--format", "gpodder")
    assert out.returncode == 0 and json.loads(out.stdout) == []
    assert "left out" in out.stderr and "Unknown length" in out.stderr and "length" in out.stderr


@pytest.mark.parametrize("tag", [
    '<atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="self" href="https://loose.example/feed.xml"/>',
    "<itunes:new-feed-url>https://loose.example/feed.xml</itunes:new-feed-url>",
])
def test_podcast_is_the_feeds_own_url_for_a_feed_read_from_a_file(tmp_path: Path, tag: str) -> None:
    library = Library(tmp_path / "lib")
    (tmp_path / "feed.xml").write_bytes(NO_DURATION.replace(b"<title>Loose Ends</title>", b"<title>Loose Ends</title>" + tag.encode()))
    import_sources(library, [str(tmp_path / "feed.xml")])
    library.report_progress(by_title(library)["Unknown length"], 10)
    assert export_actions(library).actions[0]["podcast"] == "https://loose.example/feed.xml"


def test_an_undone_mark_exports_nothing_that_resets_another_library(tmp_path: Path) -> None:
    """Marked listened and undone, the episode is as it was: its export says nothing, not
    a "new" stamped with the export's time that wipes what another library heard."""
    (tmp_path / "feed.xml").write_bytes(NO_DURATION)
    here, there = Library(tmp_path / "here"), Library(tmp_path / "there")
    import_sources(here, [str(tmp_path / "feed.xml")])
    import_sources(there, [str(tmp_path / "feed.xml")])
    eid = by_title(here)["Unknown length"]
    here.mark([eid], True)
    here.undo()
    assert export_actions(here).actions == []
    there.report_progress(eid, 300)
    (tmp_path / "actions.json").write_text(json.dumps(export_actions(here).actions))
    import_sources(there, [str(tmp_path / "actions.json")])
    assert (there.state(eid).status, there.state(eid).position_s) == ("in_progress", 300)


BAD = [
    {"position": "Infinity"}, {"position": "NaN"}, {"position": 1e20}, {"position": "9" * 400},
    {"started": -5}, {"total": True}, {"timestamp": "9999-01-01T00:00:00"}, {"timestamp": 1714000000},
    {"action": "listen"}, {"episode": None},
]
GOOD = {"podcast": "https://loose.example/feed.xml", "episode": "https://cdn.example.org/u/1.mp3",
        "action": "play", "timestamp": "2024-06-01T10:00:00", "started": 0, "position": 120}


@pytest.mark.parametrize("bad", BAD)
def test_a_bad_action_refuses_the_whole_file(tmp_path: Path, bad: dict[str, object]) -> None:
    (tmp_path / "feed.xml").write_bytes(NO_DURATION)
    library = Library(tmp_path / "lib")
    import_sources(library, [str(tmp_path / "feed.xml")])
    (tmp_path / "actions.json").write_text(json.dumps([GOOD, {**GOOD, **bad}]))
    before = library.state_docs()
    (outcome,) = import_sources(library, [str(tmp_path / "actions.json")])
    assert not outcome.ok and "episode action 2" in outcome.message and "nothing was imported" in outcome.message
    assert library.state_docs() == before and library.history() == []


def test_a_bad_file_is_one_line_and_exit_1(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_bytes(NO_DURATION)
    lib = tmp_path / "lib"
    run_cli(lib, "import", str(tmp_path / "feed.xml"))
    (tmp_path / "actions.json").write_text(json.dumps([GOOD, {**GOOD, "position": "Infinity"}]))
    out = run_cli(lib, "import", str(tmp_path / "actions.json"))
    assert out.returncode == 1 and len(out.stderr.strip().splitlines()) == 1 and "Infinity" in out.stderr


def test_times_and_names_as_apps_write_them() -> None:
    assert parse_time("2024-06-01T10:00:00") == parse_time("2024-06-01T10:00:00Z") == parse_time("2024-06-01T10:00:00+00:00")
    assert parse_time("2024-06-01T12:00:00+02:00") == parse_time("2024-06-01T10:00:00")
    assert parse_time("yesterday") is None and parse_time("2024-06-01T10:00:00" + "0" * 50) is None
    assert normalize_url("HTTP://CDN.Example.org/a b.mp3") == "http://cdn.example.org/a%20b.mp3"
    assert normalize_url("https://user:pw@host.example") == "https://host.example/"
    assert normalize_url("feed://x.example/rss") == "http://x.example/rss"


def test_spans_become_play_actions_with_the_resume_point_last() -> None:
    ep = Episode("e", "s", "Show", "T", None, 600.0, guid="g", audio_url="https://a.example/1.mp3")
    st = EpisodeState(status="in_progress", position_s=100.0)
    actions = episode_actions(ep, st, "https://a.example/feed", "2024-06-01T10:00:00")
    assert actions[-1]["position"] == 100 and actions[-1]["total"] == 600 and actions[-1]["guid"] == "g"
    assert all(a["action"] == "play" and a["timestamp"] == "2024-06-01T10:00:00" for a in actions)
    assert episode_actions(ep, EpisodeState(status="new"), "f", "t")[0]["action"] == "new"
    listened = episode_actions(ep, EpisodeState(status="listened", position_s=600.0), "f", "t")
    assert listened[-1]["position"] == listened[-1]["total"] == 600


@given(st.text(alphabet="abcXYZ019_.-~/%:&=?#@+ é;", max_size=20), st.sampled_from(["a.example", "A.example:80", "u@h.example", ""]),
       st.sampled_from(["http://", "https://", "feed://", ""]))
def test_the_quick_path_of_url_normalising_agrees_with_the_full_rule(tail: str, host: str, scheme: str) -> None:
    url = (scheme + host + "/" + tail).strip()
    if len(url) >= 8:
        assert normalize_url(url) == full_form(url)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_an_export_saved_as_utf16_is_read(tmp_path: Path, encoding: str) -> None:
    """Windows PowerShell's '>' and Notepad's 'Unicode' save UTF-16 with a byte order
    mark: a tracker export or gpodder file so saved was refused as 'malformed XML: no
    root element'."""
    (tmp_path / "feed.xml").write_bytes(NO_DURATION)
    lib = tmp_path / "lib"
    assert run_cli(lib, "import", str(tmp_path / "feed.xml")).returncode == 0
    eid = by_title(Library(lib))["Unknown length"]
    assert run_cli(lib, "progress", eid, "300").returncode == 0
    bom = {"utf-16-be": "\ufeff"}.get(encoding, "")
    for fmt in ("gpodder", "json"):
        text = run_cli(lib, "export", "--format", fmt).stdout
        (tmp_path / f"{fmt}.txt").write_bytes((bom + text).encode(encoding))
    other = tmp_path / "other"
    r = run_cli(other, "import", str(tmp_path / "json.txt"))
    assert r.returncode == 0 and "[tracker-json]" in r.stdout, r.stderr
    third = tmp_path / "third"  # (not ``other`` marked new: a file older than the mark does not undo it)
    assert run_cli(third, "import", str(tmp_path / "feed.xml")).returncode == 0
    r = run_cli(third, "import", str(tmp_path / "gpodder.txt"))
    assert r.returncode == 0 and "[gpodder]" in r.stdout, r.stderr
    assert Library(third).state(eid).position_s == 300


def test_history_names_one_episode_of_gpodder_actions_in_the_singular(tmp_path: Path) -> None:
    """`tracker history` (and `undo`) said "applied gpodder actions to 1 episodes"."""
    (tmp_path / "feed.xml").write_bytes(NO_DURATION)
    lib = tmp_path / "lib"
    assert run_cli(lib, "import", str(tmp_path / "feed.xml")).returncode == 0
    eid = by_title(Library(lib))["Unknown length"]
    assert run_cli(lib, "progress", eid, "300").returncode == 0
    (tmp_path / "actions.json").write_text(run_cli(lib, "export", "--format", "gpodder").stdout)
    other = tmp_path / "other"
    run_cli(other, "import", str(tmp_path / "feed.xml"))
    assert run_cli(other, "import", str(tmp_path / "actions.json")).returncode == 0
    out = run_cli(other, "history").stdout
    assert "to 1 episode\n" in out, out


def test_an_older_actions_file_moves_no_resume_point_and_undoes_no_mark_new(tmp_path: Path) -> None:
    """An actions file from last month (a phone's, your own earlier export): its plays
    moved today's resume point back to where it was then, and for an episode marked new
    since they put it back in progress and counted their time in stats again."""
    (tmp_path / "feed.xml").write_bytes(NO_DURATION)
    here = Library(tmp_path / "here")
    import_sources(here, [str(tmp_path / "feed.xml")])
    eid = by_title(here)["Unknown length"]
    here.report_progress(eid, 900)
    (tmp_path / "old.json").write_text(json.dumps([{**GOOD, "started": 1000, "position": 1100}]))
    import_sources(here, [str(tmp_path / "old.json")])
    st = here.state(eid)
    assert (st.position_s, st.heard_s) == (900, 1000)  # what the phone heard counts; where it stood then does not
    here.mark_new([eid])
    (tmp_path / "actions.json").write_text(json.dumps([{**GOOD, "started": 0, "position": 300}]))
    import_sources(here, [str(tmp_path / "actions.json")])
    assert (here.state(eid).status, here.state(eid).heard_s, here.state(eid).position_s) == ("new", 0, 0)
    assert sum(sum(s.values()) for s in here.day_log().values()) == 1000
    # a play after the mark is listening again, as always
    (tmp_path / "later.json").write_text(json.dumps([{**GOOD, "timestamp": "2199-01-01T00:00:00", "position": 60}]))
    import_sources(here, [str(tmp_path / "later.json")])
    assert (here.state(eid).heard_s, here.state(eid).position_s) == (60, 60)


def test_a_later_file_moves_the_resume_point_set_by_an_earlier_one(tmp_path: Path) -> None:
    """The phone's export of Monday, then its export of Tuesday: the state the first left
    carries the time of its actions, not the time it was imported, so Tuesday's (older than
    that import, newer than Monday's listening) still move the resume point."""
    (tmp_path / "feed.xml").write_bytes(NO_DURATION)
    here = Library(tmp_path / "here")
    import_sources(here, [str(tmp_path / "feed.xml")])
    eid = by_title(here)["Unknown length"]
    (tmp_path / "monday.json").write_text(json.dumps([{**GOOD, "position": 300}]))
    (tmp_path / "tuesday.json").write_text(json.dumps([{**GOOD, "timestamp": "2024-06-02T10:00:00",
                                                         "started": 300, "position": 600}]))
    import_sources(here, [str(tmp_path / "monday.json")])
    import_sources(here, [str(tmp_path / "tuesday.json")])
    assert (here.state(eid).position_s, here.state(eid).heard_s) == (600, 600)


LONG_GUID = "b2f9a7e4-3c1d-4e8a-9f00-7d2c1e5a6b71"


def _show(n: int, guid: str, host: str) -> bytes:
    return feeds.rss(f"""<item><title>Episode {n}</title><guid>{guid}</guid>
      <enclosure url="https://{host}/{n}.mp3" type="audio/mpeg"/><itunes:duration>3600</itunes:duration></item>""",
                     title=f"Show of {host}")


def _library_hearing(tmp_path: Path, shows: list[bytes], host: str, n: int, guid: str) -> Library:
    """A library of ``shows`` (feed files), then a phone's play of 0:00-10:00 of episode
    ``n`` of a show at ``host`` with ``guid``, imported as a gpodder file."""
    here = Library(tmp_path / "here")
    paths = []
    for k, raw in enumerate(shows):
        (tmp_path / f"{k}.xml").write_bytes(raw)
        paths.append(str(tmp_path / f"{k}.xml"))
    import_sources(here, paths)
    (tmp_path / "a.json").write_text(json.dumps([{
        "podcast": f"https://{host}/feed.xml", "episode": f"https://{host}/{n}.mp3", "guid": guid,
        "action": "play", "timestamp": "2024-06-01T10:00:00", "started": 0, "position": 600, "total": 3600}]))
    import_sources(here, [str(tmp_path / "a.json")])
    return here


def test_a_play_of_a_show_not_followed_is_not_credited_to_another_show_sharing_its_short_guid(tmp_path: Path) -> None:
    """Short guids ("1") repeat across shows: a phone's play of an episode of a show not
    followed here went to a followed show's episode with the same guid."""
    here = _library_hearing(tmp_path, [_show(1, "1", "c.example")], "a.example", 1, "1")
    (ep,) = here.episodes().values()
    assert (here.state(ep.id).heard_s, here.state(ep.id).position_s) == (0, 0)


def test_a_play_under_the_address_a_feed_left_still_finds_its_episode_by_a_guid_only_it_has(tmp_path: Path) -> None:
    """A show that moved host (feed and audio both): the phone's actions name the old
    addresses, and the guid, held by one episode here, still finds it."""
    here = _library_hearing(tmp_path, [_show(7, LONG_GUID, "new.example")], "old.example", 7, LONG_GUID)
    (ep,) = here.episodes().values()
    assert here.state(ep.id).position_s == 600


def test_a_long_guid_two_shows_hold_finds_neither_from_a_feed_not_followed(tmp_path: Path) -> None:
    here = _library_hearing(tmp_path, [_show(1, LONG_GUID, "b.example"), _show(1, LONG_GUID, "c.example")],
                            "a.example", 1, LONG_GUID)
    assert [here.state(eid).position_s for eid in here.episodes()] == [0, 0]
