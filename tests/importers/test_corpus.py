"""The golden corpus: one small feed per shape that real feeds take, each beside its
expected parse (``NAME.json``), run by one parametrised test, as podcastparser does.

A case's JSON may give ``url``: the feed is then read as if fetched from there (links
resolve against it). An ``error`` instead of a parse names what the refusal must say.
To add a shape: write the feed, run ``python -m tests.importers.test_corpus NAME``
to write its JSON, and read that JSON line by line before committing it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tracker.importers.document import Read, parse, to_update
from tracker.importers.find_chapters import ChapterFiles
from tracker.importers.identity import Origin
from tracker.importers.records import FeedShow
from tracker.model.errors import ImportFailed

CORPUS = Path(__file__).resolve().parents[1] / "data" / "feeds"
CASES = sorted(p for p in CORPUS.iterdir() if p.is_file() and p.suffix != ".json")
SHOW_FIELDS = ("title", "untitled", "link", "author", "description", "language", "podcast_guid", "self_url",
               "new_feed_url")
EPISODE_FIELDS = ("title", "guid", "published", "duration_s", "audio_url", "link", "season", "number",
                  "chapters_source")


def reading(path: Path, url: str | None) -> dict[str, Any]:
    """What tracker makes of the feed at ``path``: the show and its episodes as stored."""
    raw = path.read_bytes()
    if url:
        read = Read(url, raw, Origin(url=url), base_url=url, name=url)
    else:
        read = Read(path.name, raw, Origin(path=str(path)), folder=path.parent, name=path.name)
    try:
        kind, show = parse(read, ChapterFiles(remote=False))
    except ImportFailed as err:
        return {"error": str(err)}
    assert isinstance(show, FeedShow)
    prepared = to_update(show, "show", "key", read, kind)
    episodes = []
    details = prepared.update.details or {}
    for eid, listing in prepared.update.episodes.items():
        doc = {**listing, **details.get(eid, {})}  # (the importer builds the two halves apart)
        episode = {k: doc[k] for k in EPISODE_FIELDS}
        episode["chapters"] = [[c["start_s"], c["end_s"], c["title"]] for c in doc["chapters"]]
        episode["description"] = prepared.update.notes[eid]
        episodes.append(episode)
    out: dict[str, Any] = {"kind": kind, "show": {k: getattr(show, k) for k in SHOW_FIELDS}, "episodes": episodes}
    if prepared.shared_guids or prepared.repeated:
        out["shared_guids"], out["repeated"] = prepared.shared_guids, prepared.repeated
    return out


def expected_of(case: Path) -> dict[str, Any]:
    return json.loads(case.with_suffix(".json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_feed_reads_as_expected(case: Path) -> None:
    expected = expected_of(case)
    got = reading(case, expected.pop("url", None))
    if "error" in expected:
        assert "error" in got, f"{case.name} should be refused"
        assert expected["error"] in got["error"]
        return
    assert got == expected


def test_every_case_has_its_expected_parse() -> None:
    assert len(CASES) >= 30
    assert [c.name for c in CASES if not c.with_suffix(".json").is_file()] == []


if __name__ == "__main__":  # write the expected parse of the named cases (then review it!)
    for stem in sys.argv[1:]:
        case = next(c for c in CASES if c.stem == stem)
        json_path = case.with_suffix(".json")
        url = json.loads(json_path.read_text()).get("url") if json_path.is_file() else None
        result = reading(case, url)
        if url:
            result = {"url": url, **result}
        json_path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(json_path)
