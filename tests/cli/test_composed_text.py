"""Text that looks the same must match the same: 'é' comes precomposed (U+00E9) from a
keyboard and decomposed ('e' + U+0301) from some feeds and from text copied out of macOS
file names. A search or a --show filter typed one way found nothing stored the other
way, though the list showed the very word, and a title given as REF suggested nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import feeds
from tests.helpers import run_cli

COMPOSED, DECOMPOSED = "Caf\u00e9", "Cafe\u0301"


@pytest.mark.parametrize("stored, typed", [(DECOMPOSED, COMPOSED), (COMPOSED, DECOMPOSED)])
def test_search_show_and_title_refs_match_either_form(tmp_path: Path, stored: str, typed: str) -> None:
    source = tmp_path / "feed.xml"
    items = (f"<item><title>{stored} Stories</title><guid>g1</guid>"
             '<enclosure url="https://cdn.example/1.mp3" length="1" type="audio/mpeg"/></item>'
             "<item><title>Other</title><guid>g2</guid>"
             '<enclosure url="https://cdn.example/2.mp3" length="1" type="audio/mpeg"/></item>')
    source.write_bytes(feeds.rss(items, title=f"{stored} Radio"))
    lib = tmp_path / "lib"
    assert run_cli(lib, "import", str(source)).returncode == 0

    def titles(*args: str) -> list[str]:
        r = run_cli(lib, "episodes", "--json", *args)
        assert r.returncode == 0, r.stderr
        return [e["title"] for e in json.loads(r.stdout)]

    assert titles("--search", f"{typed.lower()} stories") == [f"{stored} Stories"]
    assert len(titles("--show", f"{typed} radio")) == 2
    eid = json.loads(run_cli(lib, "episodes", "--json", "--search", "stories").stdout)[0]["id"]
    r = run_cli(lib, "show", f"{typed} Stories")  # a title is no REF, but the episode is suggested
    assert r.returncode == 2 and eid in r.stderr, r.stderr
