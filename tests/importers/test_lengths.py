"""Lengths kept at import (audit E2): a feed with titles of hundreds of kilobytes was
stored whole and its import summary printed one line as long. Titles are cut to 1,000
characters with an ellipsis; a URL past 4,096 characters is no usable address and is
dropped; a normal item of the same feed keeps everything."""

from __future__ import annotations

import json
from pathlib import Path

from tests import feeds
from tests.helpers import run_cli
from tracker.importers.opml import parse_opml
from tracker.model.text import MAX_TITLE, MAX_URL
from tracker.model.validate import check_export

HUGE = 300_000


def _feed() -> bytes:
    huge_items = "".join(
        f"<item><title>{'T' * HUGE}{n}</title><guid>huge-{n}</guid>"
        f"<link>https://site.example/{'l' * HUGE}</link>"
        f'<enclosure url="https://cdn.example/{"a" * HUGE}.mp3" type="audio/mpeg"/></item>'
        for n in range(3))
    normal = ("<item><title>Normal</title><guid>normal</guid><link>https://site.example/normal</link>"
              f'<enclosure url="https://cdn.example/{"n" * (MAX_URL - 40)}.mp3" type="audio/mpeg"/></item>')
    return feeds.rss(huge_items + normal, title="S" * HUGE)


def test_huge_titles_are_cut_and_huge_links_dropped(tmp_path: Path) -> None:
    (tmp_path / "huge.xml").write_bytes(_feed())
    lib = tmp_path / "lib"
    r = run_cli(lib, "import", str(tmp_path / "huge.xml"))
    assert r.returncode == 0, r.stderr
    assert "4 new" in r.stdout and max(len(line) for line in r.stdout.splitlines()) < 2 * MAX_TITLE
    episodes = {e["guid"]: e for e in json.loads(run_cli(lib, "episodes", "--json").stdout)}
    for n in range(3):
        huge = episodes[f"huge-{n}"]
        assert len(huge["title"]) == MAX_TITLE and huge["title"].endswith("T…")
        assert huge["audio_url"] is None and huge["link"] is None
        assert len(huge["show"]) == MAX_TITLE and huge["show"].endswith("S…")
    normal = episodes["normal"]
    assert normal["title"] == "Normal" and normal["link"] == "https://site.example/normal"
    assert normal["audio_url"] is not None and len(normal["audio_url"]) <= MAX_URL
    stored = sum(p.stat().st_size for p in lib.glob("*.json"))
    assert stored < 200_000  # the feed is 3.6 MB; its library was as big before the cap


def test_the_same_caps_hold_for_a_tracker_export_and_an_opml_list() -> None:
    doc = check_export({"version": 2, "shows": {"s1": {"title": "S" * HUGE, "link": "https://x.example/" + "l" * HUGE}},
                        "episodes": {"e1": {"show_id": "s1", "title": "T" * HUGE, "show": "S" * HUGE,
                                            "audio_url": "https://x.example/" + "a" * HUGE, "link": "https://x.example/ok"}}})
    assert len(doc.shows["s1"]["title"]) == MAX_TITLE and doc.shows["s1"]["link"] is None
    episode = doc.episodes["e1"]
    assert len(episode["title"]) == MAX_TITLE and len(episode["show"]) == MAX_TITLE
    assert episode["audio_url"] is None and episode["link"] == "https://x.example/ok"
    listed = parse_opml(feeds.opml("https://ok.example/feed.xml", "https://x.example/" + "u" * HUGE)
                        .replace(b'text="Feed 0"', b'text="' + b"F" * HUGE + b'"'))
    (only,) = listed.subscriptions
    assert only.url == "https://ok.example/feed.xml" and len(only.title) == MAX_TITLE


def test_an_opml_entry_whose_address_is_unusable_names_no_feed() -> None:
    listed = parse_opml(feeds.opml("https://x.example/" + "u" * HUGE))
    assert listed.subscriptions == [] and listed.without_feed == 1
