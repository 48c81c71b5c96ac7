"""``--json`` is a contract with scripts: asked for, it is JSON or a usage error, never text."""

from __future__ import annotations

import json
from pathlib import Path

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
