"""``--json`` is a contract with scripts: asked for, it is JSON or a usage error, never text."""

from __future__ import annotations

import json
from pathlib import Path

from tests import feeds
from tests.cli.support import ids, ok, one_line_error
from tests.helpers import run_cli


def test_json_before_an_action_that_prints_none_is_refused(lib: Path) -> None:
    """``queue --json add REF`` made its change and printed text with status 0: the
    script's JSON parse then failed on a change it could not see."""
    eid = next(iter(ids(lib).values()))
    for args in (["queue", "--json", "add", eid], ["queue", "--json", "clear"], ["sync", "--json", "forget"]):
        err = one_line_error(run_cli(lib, *args), 2, args)
        assert "--json" in err and "no JSON" in err, err
    assert json.loads(ok(lib, "queue", "--json")) == []  # nothing was queued


def test_sync_json_status_prints_json(lib: Path) -> None:
    """``sync --json status`` printed the text status: the action's own --json, absent,
    set the flag back to false."""
    for args in (["sync", "--json", "status"], ["sync", "status", "--json"]):
        assert json.loads(ok(lib, *args))["set_up"] is False
    assert not ok(lib, "sync", "status").lstrip().startswith("{")


def _readme_keys() -> str:
    """The README's list of --json keys, with its line breaks joined."""
    from tests.helpers import REPO

    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("The keys, which later versions keep:\n\n") + 40
    return " ".join(text[start:text.index("\n\n", start)].split())


KEYS = {  # what each command prints, as the README lists it
    "episodes": "id show title published duration_s guid audio_url link season number status position_s heard_s "
                "queue_position chapters chapters_source resume",
    "chapter": "n title start_s end_s heard_s state",
    "resume": "id chapter chapter_title position_s",
    "queue": "position id show title chapter resume_s remaining_s",
    "history": "seq at kind episodes summary before after queue_before queue_after",
    "stats": "today heard_today_s heard_week_s heard_month_s heard_all_s days weeks per_show chapters_done "
             "chapters_skipped streak_current streak_longest listened marked_not_heard in_progress queue_episodes "
             "queue_remaining_s queue_unknown_length",
    "info": "folder exists total_bytes files backups episodes shows",
    "import": "ok sources",
    "source": "source ok kind show episodes added updated not_modified message",
    "sync status": "set_up last_sync last_attempt last_result pending_uploads kept_for_later feeds_failing refused",
}
HISTORY_SOMETIMES = {"shows_before", "shows_after", "credit", "session"}


def test_the_readme_lists_the_keys_each_json_output_has(lib: Path) -> None:
    """Scripts read these keys: the README is their contract, so it must say them all."""
    from dataclasses import fields

    from tracker.sync.config import SyncSetup
    from tracker.sync.report import SyncReport

    readme = _readme_keys()
    for name, keys in KEYS.items():
        assert f"`{keys}`" in readme, name
    assert " ".join(f.name for f in fields(SyncReport)) in readme
    assert " ".join(f.name for f in fields(SyncSetup) if f.name != "password") in readme
    assert "`shows_before shows_after`, `credit` and `session`" in readme

    eid = next(iter(ids(lib).values()))
    ok(lib, "progress", eid, "1:00")
    ok(lib, "queue", "add", eid)
    key = {name: keys.split() for name, keys in KEYS.items()}
    episodes = json.loads(ok(lib, "episodes", "--json"))
    assert all(list(e) == key["episodes"] for e in episodes)
    assert [list(c) for e in episodes for c in e["chapters"]][:1] == [key["chapter"]]
    assert list(json.loads(ok(lib, "show", eid, "--json"))) == [*key["episodes"], "description"]
    assert list(json.loads(ok(lib, "resume", eid, "--json"))) == key["resume"]
    assert [list(r) for r in json.loads(ok(lib, "queue", "--json"))] == [key["queue"]]
    for action in json.loads(ok(lib, "history", "--json")):
        assert set(key["history"]) <= set(action) <= {*key["history"], *HISTORY_SOMETIMES}
    assert list(json.loads(ok(lib, "stats", "--json"))) == key["stats"]
    assert list(json.loads(ok(lib, "info", "--json"))) == key["info"]
    assert list(json.loads(ok(lib, "sync", "status", "--json"))) == key["sync status"]
    assert list(json.loads(ok(lib, "refresh", "--json"))) == key["import"]
    feed = lib.parent / "feed.xml"
    feed.write_bytes(feeds.rss("<item><title>One</title><guid>one</guid></item>"))
    imported = json.loads(ok(lib, "import", str(feed), "--json"))
    assert list(imported) == key["import"] and [list(s) for s in imported["sources"]] == [key["source"]]


def test_a_file_name_that_is_not_utf8_is_one_line_and_valid_json(tmp_path: Path) -> None:
    """A feed saved under a latin-1 name ('caf\\xe9.xml') ended the import in a traceback,
    and its name in ``--json`` output in another (JSON text has no lone surrogate)."""
    import os

    name = os.fsdecode(os.fsencode(str(tmp_path)) + b"/caf\xe9.xml")
    Path(name).write_bytes(feeds.rss("<item><title>One</title><guid>one</guid></item>"))
    lib = tmp_path / "lib"
    err = one_line_error(run_cli(lib, "import", name), 1)
    assert "not UTF-8" in err and "rename" in err, err
    r = run_cli(lib, "import", name, "--json")
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    (source,) = json.loads(r.stdout)["sources"]
    assert source["source"] == name and not source["ok"]  # the name as given, escaped the JSON way
    fine = tmp_path / "fine.xml"
    fine.write_bytes(feeds.rss("<item><title>One</title><guid>one</guid></item>"))
    ok(lib, "import", str(fine))
    latin = os.fsdecode(os.fsencode(str(tmp_path)) + b"/lib\xe9")
    lib.rename(latin)
    r = run_cli(Path(latin), "info", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["folder"] == latin, r.stderr
