"""Output to a stream that cannot encode every character (``PYTHONIOENCODING=ascii``,
a latin-1 pipe): a non-ASCII title must never become a traceback, least of all after
the change was made; JSON stays valid JSON of the same values, and an export written to
standard output is the same bytes as the file ``-o`` writes (UTF-8, as it declares)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import feeds
from tests.helpers import run_cli

TITLE = "Épisode — “東京” ✓"


@pytest.fixture()
def lib(tmp_path: Path) -> Path:
    source = tmp_path / "feed.xml"
    items = (f"<item><title>{TITLE}</title><guid>g1</guid><itunes:duration>30:00</itunes:duration>"
             '<enclosure url="https://cdn.example/1.mp3" length="1" type="audio/mpeg"/></item>')
    source.write_bytes(feeds.rss(items, title="Café 東京"))
    folder = tmp_path / "lib"
    assert run_cli(folder, "import", str(source)).returncode == 0
    assert run_cli(folder, "progress", _eid(folder), "5:00").returncode == 0
    return folder


def _eid(lib: Path) -> str:
    return str(json.loads(run_cli(lib, "episodes", "--json").stdout)[0]["id"])


def _run(lib: Path, encoding: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    env.pop("TRACKER_LIBRARY", None)
    return subprocess.run([sys.executable, "-m", "tracker", "--library", str(lib), *args],
                          capture_output=True, env=env, timeout=60)


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_text_commands_print_what_the_stream_can_carry(lib: Path, encoding: str) -> None:
    eid = _eid(lib)
    for args in (["episodes"], ["show", eid], ["mark", eid, "--listened"], ["history"], ["stats"]):
        r = _run(lib, encoding, *args)
        assert r.returncode == 0, (args, r.stderr.decode(encoding, "replace"))
        assert b"Traceback" not in r.stderr
        r.stdout.decode(encoding)  # nothing the stream could not carry


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_json_is_valid_json_of_the_same_values(lib: Path, encoding: str) -> None:
    eid = _eid(lib)
    for args in (["episodes", "--json"], ["history", "--json"]):
        wide = _run(lib, "utf-8", *args)
        narrow = _run(lib, encoding, *args)
        assert narrow.returncode == 0, (args, narrow.stderr)
        assert json.loads(narrow.stdout.decode(encoding)) == json.loads(wide.stdout.decode("utf-8")), args


@pytest.mark.parametrize("fmt", ["json", "opml", "gpodder"])
def test_an_export_to_standard_output_is_the_file_it_writes(lib: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"export.{fmt}"
    assert run_cli(lib, "export", "--format", fmt, "-o", str(target)).returncode == 0
    r = _run(lib, "latin-1", "export", "--format", fmt)
    assert r.returncode == 0, r.stderr
    strip = (lambda b: b"\n".join(ln for ln in b.split(b"\n") if b"dateCreated" not in ln))
    assert strip(r.stdout) == strip(target.read_bytes())


def test_a_closed_standard_stream_is_no_traceback(lib: Path) -> None:
    """Run with standard output closed (``>&-``, as some launchers do), every command
    ended in a traceback on stderr, after its change had landed; with standard input
    closed, ``undo --steps 20`` did, and ``import -`` named an AttributeError."""
    import shlex

    eid = _eid(lib)
    for args in (["mark", eid, "--listened"], ["export", "--format", "json"]):
        command = shlex.join([sys.executable, "-m", "tracker", "--library", str(lib), *args])
        r = subprocess.run(["sh", "-c", f"exec {command} >&-"], capture_output=True, timeout=60)
        assert r.returncode == 0 and r.stderr == b"", (args, r.stderr.decode())
    assert json.loads(run_cli(lib, "show", eid, "--json").stdout)["status"] == "listened"
    for args, code, said in ((["import", "-"], 1, b"the source is empty"), (["undo", "--steps", "20"], 2, b"--yes")):
        command = shlex.join([sys.executable, "-m", "tracker", "--library", str(lib), *args])
        r = subprocess.run(["sh", "-c", f"exec {command} <&-"], capture_output=True, timeout=60)
        assert r.returncode == code and said in r.stderr and b"Traceback" not in r.stderr, (args, r.stderr.decode())
