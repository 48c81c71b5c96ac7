"""The per-show table of ``tracker stats`` on a library holding raw text (an old library,
a hand edit): a show name with a line break or an escape is spelled out on one row, as in
``episodes``, and the HEARD column stays under its header."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import run_cli, seed_path


def test_a_raw_show_name_keeps_its_row_and_column(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    assert run_cli(lib, "import", str(seed_path())).returncode == 0
    eid = json.loads(run_cli(lib, "episodes", "--json").stdout)[0]["id"]
    assert run_cli(lib, "progress", eid, "5:00").returncode == 0
    catalog = lib / "catalog.json"
    doc = json.loads(catalog.read_text(encoding="utf-8"))
    for show in doc["shows"].values():
        show["title"] = "Two\nLines \x1b[31mred"
    catalog.write_text(json.dumps(doc), encoding="utf-8")

    r = run_cli(lib, "stats")
    assert r.returncode == 0, r.stderr
    table = r.stdout.split("\n\n", 1)[1].splitlines()
    assert len(table) == 2, table  # the header and one row
    header, row = table
    assert row.startswith("Two\\x0aLines \\x1b[31mred"), row
    assert row.index("5:00") + len("5:00") == header.index("HEARD") + len("HEARD"), table
