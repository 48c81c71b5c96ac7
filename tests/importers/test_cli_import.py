"""The import and refresh commands as a user runs them (a subprocess): standard input,
one line per failure, a Ctrl-C that keeps what was done."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import feeds
from tests.feed_server import FeedServer
from tests.helpers import SHOW_PAGE, run_cli
from tracker.model.library import Library


def test_import_dash_reads_a_pasted_show_page(tmp_path: Path) -> None:
    r = run_cli(tmp_path / "lib", "import", "-", input=SHOW_PAGE.read_text())
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("- [showpage]: The Storage Engineering Hour with Mira Castell: 10 new")
    assert r.stderr == ""  # no progress line when stderr is not a terminal


def test_only_http_urls_and_files_are_read(tmp_path: Path) -> None:
    r = run_cli(tmp_path / "lib", "import", "ftp://x/feed.xml", "example.com/feed.xml")
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert len(lines) == 2 and all("only http(s) URLs and files are read" in line for line in lines)
    assert lines[0].count("ftp://x/feed.xml") == 1 and lines[1].count("example.com/feed.xml") == 1


def test_a_url_is_named_once_in_a_failure(tmp_path: Path, server: FeedServer) -> None:
    url = server.url("/missing.xml")
    r = run_cli(tmp_path / "lib", "import", url)
    assert r.returncode == 1 and r.stderr == f"tracker: {url}: HTTP 404 Not Found\n"


def test_bad_settings_are_one_line_with_status_2(tmp_path: Path) -> None:
    for env in ({"TRACKER_HTTP_TIMEOUT": "inf"}, {"TRACKER_MAX_DOWNLOAD": "-5"}, {"TRACKER_CONNECTIONS": "nan"}):
        r = run_cli(tmp_path / "lib", "import", "https://127.0.0.1:9/x.xml", env=env)
        assert r.returncode == 2 and len(r.stderr.splitlines()) == 1 and "Traceback" not in r.stderr, r.stderr


def test_connections_option_and_json_summary(tmp_path: Path, server: FeedServer) -> None:
    urls = [server.add(f"/{n}.xml", feeds.rss("<item><title>x</title><guid>x</guid></item>", title=f"S{n}"))
            for n in range(4)]
    r = run_cli(tmp_path / "lib", "import", "--json", "--connections", "2", *urls)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["ok"] and [s["show"] for s in summary["sources"]] == ["S0", "S1", "S2", "S3"]
    r = run_cli(tmp_path / "lib", "refresh", "--connections", "0")
    assert r.returncode == 2 and "connections" in r.stderr


@pytest.mark.parametrize("as_json", [False, True])
def test_ctrl_c_during_a_bulk_import_keeps_what_was_done(tmp_path: Path, server: FeedServer, as_json: bool) -> None:
    """And says what it kept: the lines (or the JSON) of the sources saved, then the
    interrupted line (only that line was printed, so what was saved went unsaid)."""
    urls = [server.add(f"/{n}.xml", feeds.rss(f"<item><title>x</title><guid>{n}</guid></item>", title=f"S{n}"),
                       delay=0.4) for n in range(40)]
    opml = tmp_path / "subs.opml"
    opml.write_bytes(feeds.opml(*urls))
    library = tmp_path / "lib"
    env = {**os.environ, "TRACKER_CONNECTIONS": "2"}
    env.pop("TRACKER_LIBRARY", None)
    proc = subprocess.Popen([sys.executable, "-m", "tracker", "--library", str(library), "import",
                             *(["--json"] if as_json else []), str(opml)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (library.exists() and Library(library).shows()):
        time.sleep(0.05)  # polling with a deadline: the first batch is committed after about a second
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert err.startswith("tracker: interrupted:") and len(err.splitlines()) == 1
    kept = len(Library(library).shows())
    assert 0 < kept < 40
    if as_json:
        summary = json.loads(out)
        assert not summary["ok"] and summary["sources"][0]["message"] == "lists 40 feeds"
        saved = [o for o in summary["sources"][1:] if o["ok"]]
        assert len(saved) == kept and all(" new, " in o["message"] for o in saved)
    else:
        lines = out.splitlines()
        assert lines[0] == f"{opml} [opml]: lists 40 feeds"
        assert len(lines) == 1 + kept and all(" [rss]: S" in ln and " new, " in ln for ln in lines[1:])
    assert f"interrupted: {kept + 1} of " in err  # (the list is a source read, and saved)


def test_a_podcast_apps_subscribe_link_is_read_as_the_feed_behind_it(tmp_path: Path, server: FeedServer) -> None:
    # "Subscribe" buttons link to itpc://, pcast://, podcast:// or feed:// addresses (gPodder
    # reads them as http); tracker said "only http(s) URLs and files are read"
    url = server.add("/feed.xml", feeds.rss(feeds.ITEMS))
    host_path = url.removeprefix("http://")
    lib = tmp_path / "lib"
    r = run_cli(lib, "import", f"itpc://{host_path}")
    assert r.returncode == 0, r.stderr
    (show,) = Library(lib).shows().values()
    assert show["feed_url"] == url  # refreshed at the web address, as any feed
    for link in (f"pcast://{host_path}", f"feed:{url}", f"feed://{url}"):
        r = run_cli(lib, "import", link)
        assert r.returncode == 0 and "0 new" in r.stdout, r.stdout + r.stderr
    assert len(Library(lib).shows()) == 1  # the same show each time
    r = run_cli(lib, "import", "itpc:///etc/passwd")  # a subscribe link never names a file
    assert r.returncode == 1 and "only http(s) URLs and files are read" in r.stderr
