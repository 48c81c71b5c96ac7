"""``tracker sync`` as a user runs it (a subprocess): setup, sync, status, forget, and
the password that never shows up anywhere but the 0600 config file."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers import run_cli
from tests.sync.conftest import Account, FeedHost
from tests.sync.one_answer import Quiet, answering
from tests.sync.proxy import FaultProxy
from tests.sync.silent_host import silent_host


def env_for(config: Path, password: str | None = None) -> dict[str, str]:
    env = {"TRACKER_CONFIG": str(config)}
    if password is not None:
        env["TRACKER_SYNC_PASSWORD"] = password
    return env


def test_setup_sync_status_forget(tmp_path: Path, account: Account, feed_host: FeedHost) -> None:
    lib, config = tmp_path / "lib", tmp_path / "config"
    feed = feed_host.add("alpha", "Alpha Show")
    assert run_cli(lib, "import", feed).returncode == 0
    out = run_cli(lib, "sync", "status", env=env_for(config))
    assert out.returncode == 0 and "not set up" in out.stdout
    out = run_cli(lib, "sync", env=env_for(config))
    assert out.returncode == 2 and "tracker sync setup" in out.stderr

    out = run_cli(lib, "sync", "setup", account.server, "--user", account.user, "--device", "laptop",
                  env=env_for(config, account.password))
    assert out.returncode == 0, out.stderr
    assert "laptop" in out.stdout
    episodes = json.loads(run_cli(lib, "episodes", "--json").stdout)
    first = next(e for e in episodes if e["title"] == "Alpha Show 1")["id"]
    assert run_cli(lib, "progress", first, "250").returncode == 0

    status = json.loads(run_cli(lib, "sync", "status", "--json", env=env_for(config)).stdout)
    assert status["device"] == "laptop" and status["pending_uploads"] == 1 and status["last_sync"] is None
    out = run_cli(lib, "sync", "--json", env=env_for(config))
    assert out.returncode == 0, out.stderr
    moved = json.loads(out.stdout)
    assert moved["actions_up"] >= 1 and moved["subscriptions_up"] == 1
    status = json.loads(run_cli(lib, "sync", "status", "--json", env=env_for(config)).stdout)
    assert status["pending_uploads"] == 0 and status["last_sync"]
    text = run_cli(lib, "sync", "status", env=env_for(config)).stdout
    assert "laptop" in text and "0 episodes to upload" in text

    # The server has what was heard here.
    actions = account.raw().call("GET", f"/api/2/episodes/{account.user}.json?since=0")["actions"]
    assert any(a["episode"].endswith("/1.mp3") and a["position"] == 250 for a in actions)

    out = run_cli(lib, "sync", "forget", env=env_for(config))
    assert out.returncode == 0 and "removed" in out.stdout
    assert "not set up" in run_cli(lib, "sync", "status", env=env_for(config)).stdout


def test_wrong_password_down_server_and_bad_urls_are_one_line(tmp_path: Path, account: Account) -> None:
    lib, config = tmp_path / "lib", tmp_path / "config"
    out = run_cli(lib, "sync", "setup", account.server, "--user", account.user, env=env_for(config, "wrong"))
    assert out.returncode == 1 and "refused the login" in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert not (config / "sync.json").exists()
    out = run_cli(lib, "sync", "setup", account.server, "--user", account.user, env=env_for(config), input="")
    assert out.returncode == 2 and "TRACKER_SYNC_PASSWORD" in out.stderr
    out = run_cli(lib, "sync", "setup", "ftp://x.example", "--user", "u", env=env_for(config, "p"))
    assert out.returncode == 2 and "http" in out.stderr
    out = run_cli(lib, "sync", "setup", "https://me:secret@x.example", "--user", "u", env=env_for(config, "p"))
    assert out.returncode == 2 and "secret" not in out.stderr
    out = run_cli(lib, "sync", "setup", account.server, "--user", account.user, "--password", "x", env=env_for(config, "p"))
    assert out.returncode == 2  # there is no such option: a password never goes in argv

    assert run_cli(lib, "sync", "setup", account.server, "--user", account.user,
                   env=env_for(config, account.password)).returncode == 0
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    data = json.loads((config / "sync.json").read_text())
    for entry in data["libraries"].values():
        entry["server"] = dead
    (config / "sync.json").write_text(json.dumps(data))
    out = run_cli(lib, "sync", env=env_for(config))
    assert out.returncode == 1 and "connection refused" in out.stderr and len(out.stderr.strip().splitlines()) == 1
    status = json.loads(run_cli(lib, "sync", "status", "--json", env=env_for(config)).stdout)
    assert status["last_result"].startswith("failed") and status["last_sync"] is None


def test_the_password_is_only_in_the_config_file(tmp_path: Path, account: Account, feed_host: FeedHost) -> None:
    lib, config, exports = tmp_path / "lib", tmp_path / "config", tmp_path / "exports"
    exports.mkdir()
    feed = feed_host.add("alpha", "Alpha Show")
    argv_seen: list[list[str]] = []

    def cli(*args: str, password: str | None = None) -> str:
        argv_seen.append(list(args))
        out = run_cli(lib, *args, env=env_for(config, password))
        assert account.password not in out.stdout + out.stderr
        return out.stdout

    cli("import", feed)
    cli("sync", "setup", account.server, "--user", account.user, "--device", "laptop", password=account.password)
    episodes = json.loads(cli("episodes", "--json"))
    cli("progress", episodes[0]["id"], "100")
    cli("sync")
    cli("sync", "--json")
    cli("sync", "status")
    cli("sync", "status", "--json")
    cli("history", "--json")
    for fmt in ("json", "opml", "gpodder"):
        cli("export", "--format", fmt, "-o", str(exports / f"out.{fmt}"))
    assert all(account.password not in " ".join(args) for args in argv_seen)

    secret = account.password.encode()
    for folder in (lib, exports):
        for path in folder.rglob("*"):
            if path.is_file():
                assert secret not in path.read_bytes(), path.name
    stored = config / "sync.json"
    assert secret in stored.read_bytes()  # kept where it belongs, and only readable by its owner
    assert stat.S_IMODE(os.stat(stored).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(config).st_mode) == 0o700


def test_a_dripping_server_cannot_outlast_the_deadline(tmp_path: Path, account: Account, feed_host: FeedHost,
                                                       proxy: FaultProxy) -> None:
    # One byte every 0.2 s never leaves the socket silent for the 1 s timeout; each whole
    # request still ends at three times it, with one line and exit status 1, and the
    # next sync sends what waited.
    lib, config = tmp_path / "lib", tmp_path / "config"
    proxy.drip_s = 0.2
    slow = {**env_for(config, account.password), "TRACKER_HTTP_TIMEOUT": "1"}
    assert run_cli(lib, "import", feed_host.add("alpha", "Alpha Show")).returncode == 0
    proxy.inject("drip")
    started = time.monotonic()
    out = run_cli(lib, "sync", "setup", proxy.url, "--user", account.user, env=slow)
    assert out.returncode == 1 and "did not finish" in out.stderr and "within 3 s" in out.stderr, out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and not (config / "sync.json").exists()

    proxy.inject(None)
    assert run_cli(lib, "sync", "setup", proxy.url, "--user", account.user, env=slow).returncode == 0
    first = json.loads(run_cli(lib, "episodes", "--json").stdout)[0]["id"]
    assert run_cli(lib, "progress", first, "250").returncode == 0
    proxy.inject("drip", after=2)  # the login and the first request pass, then every answer drips
    out = run_cli(lib, "sync", env=slow)
    assert out.returncode == 1 and "did not finish" in out.stderr, out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert time.monotonic() - started < 40, "a drip held a request past its deadline"

    proxy.inject(None)
    assert run_cli(lib, "sync", env=slow).returncode == 0
    status = json.loads(run_cli(lib, "sync", "status", "--json", env=env_for(config)).stdout)
    assert status["pending_uploads"] == 0 and status["last_result"] == "ok"
    actions = account.raw().call("GET", f"/api/2/episodes/{account.user}.json?since=0")["actions"]
    assert [a["position"] for a in actions] == [250]


def test_ctrl_c_while_sync_imports_a_feed_says_to_sync_again(tmp_path: Path, account: Account) -> None:
    # Ctrl-C while sync fetched a feed the phone subscribed to said "0 of 1 sources were
    # read and saved; import again for the rest": the user had run sync, and it is the
    # next sync that imports the rest.
    import signal
    import subprocess
    import sys

    with silent_host() as (feed, asked):  # (open until the end: the Ctrl-C lands in the sync, not its import)
        account.group("laptop", "phone")
        account.raw().call("POST", f"/api/2/subscriptions/{account.user}/phone.json", {"add": [feed], "remove": []})
        lib, config = tmp_path / "lib", tmp_path / "config"
        assert run_cli(lib, "sync", "setup", account.server, "--user", account.user, "--device", "laptop",
                       env=env_for(config, account.password)).returncode == 0
        proc = subprocess.Popen([sys.executable, "-m", "tracker", "--library", str(lib), "sync"],
                                env={**os.environ, **env_for(config)}, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            assert asked.wait(30), "sync never asked for the feed"
            proc.send_signal(signal.SIGINT)
            _out, err = proc.communicate(timeout=30)
        finally:
            proc.kill()
    assert proc.returncode == 130
    assert "import again" not in err and "tracker sync" in err, err


def test_a_second_computer_with_the_same_device_name_is_told_to_pick_another(tmp_path: Path, account: Account) -> None:
    # The device name defaults to the host name, which two computers often share (two
    # "MacBook-Pro"s). Set up on both under one name, each took the other's listening
    # for its own coming back and skipped it: they never synced, and nothing said so.
    config = tmp_path / "config"
    first, second = tmp_path / "first", tmp_path / "second"
    env = env_for(config, account.password)
    assert run_cli(first, "sync", "setup", account.server, "--user", account.user, env=env).returncode == 0
    out = run_cli(second, "sync", "setup", account.server, "--user", account.user, env=env)
    assert out.returncode == 2 and "--device" in out.stderr and "already" in out.stderr, out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    # Set up again where it was (an interval; after a sync and `sync forget`): it is that device.
    assert run_cli(first, "sync", "setup", account.server, "--user", account.user, "--interval", "30",
                   env=env).returncode == 0
    assert run_cli(first, "sync", env=env).returncode == 0
    assert run_cli(first, "sync", "forget", env=env).returncode == 0
    assert run_cli(first, "sync", "setup", account.server, "--user", account.user, env=env).returncode == 0
    # Named on purpose, the device is taken over; another name is a device of its own.
    device = json.loads(run_cli(first, "sync", "status", "--json", env=env).stdout)["device"]
    assert run_cli(second, "sync", "setup", account.server, "--user", account.user, "--device", device,
                   env=env).returncode == 0
    assert run_cli(second, "sync", "setup", account.server, "--user", account.user, "--device", "desk",
                   env=env).returncode == 0


def test_a_server_that_moved_to_https_is_named(tmp_path: Path) -> None:
    # Set up with http://, the server answered every request with a redirect to https://:
    # "refused POST .../login.json (HTTP 301 Moved Permanently)", as if the login were
    # wrong, and not a word of where the server is.
    class Moved(Quiet):
        def do_POST(self) -> None:  # noqa: N802
            self.send_response(301)
            self.send_header("Location", "https://sync.example.org" + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

    with answering(Moved) as base:
        out = run_cli(tmp_path / "lib", "sync", "setup", base + "/gpo", "--user", "ada",
                      env=env_for(tmp_path / "config", "pw"))
    assert out.returncode == 1 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "refused" not in out.stderr and "tracker sync setup https://sync.example.org/gpo " in out.stderr, out.stderr


def test_a_content_length_of_thousands_of_digits_is_one_line(tmp_path: Path) -> None:
    # A server (or something in front of it) that declared a 5,000-digit Content-Length:
    # a traceback ("Exceeds the limit (4300 digits) for integer string conversion").
    class Huge(Quiet):
        def do_POST(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "9" * 5000)
            self.end_headers()
            self.wfile.write(b"{}")

    with answering(Huge) as base:
        out = run_cli(tmp_path / "lib", "sync", "setup", base + "/gpo", "--user", "ada",
                      env=env_for(tmp_path / "config", "pw"))
    assert out.returncode == 1 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "over the 268435456-byte limit" in out.stderr, out.stderr


def test_status_counts_only_what_a_sync_would_send(tmp_path: Path, account: Account, feed_host: FeedHost) -> None:
    # A chapter marked skipped (which no action carries) made `sync status` say
    # "pending: 1 episode to upload"; the sync then sent nothing.
    lib, config = tmp_path / "lib", tmp_path / "config"
    env = env_for(config, account.password)
    assert run_cli(lib, "import", feed_host.add("alpha", "Alpha Show")).returncode == 0
    assert run_cli(lib, "sync", "setup", account.server, "--user", account.user, "--device", "laptop",
                   env=env).returncode == 0
    first = json.loads(run_cli(lib, "episodes", "--json").stdout)[0]["id"]
    assert run_cli(lib, "progress", first, "100").returncode == 0
    assert run_cli(lib, "sync", env=env).returncode == 0
    assert run_cli(lib, "chapter", first, "3", "--skip").returncode == 0, "chapter command"
    assert json.loads(run_cli(lib, "sync", "status", "--json", env=env).stdout)["pending_uploads"] == 0
    assert json.loads(run_cli(lib, "sync", "--json", env=env).stdout)["actions_up"] == 0


def test_the_live_line_of_sync_fits_the_terminal_row(tmp_path: Path, account: Account, feed_host: FeedHost) -> None:
    """`tracker sync` on a terminal cut its live line at 100 characters whatever the
    terminal's width: 'importing URL' of a long feed address wrapped, and each step after
    it was drawn under a stale row. It now fits the row by cells, as import's line does."""
    import pty

    from tracker.cli.columns import width

    feed = feed_host.add("show-" + "x" * 90, "Long Address Show")
    account.group("laptop", "phone")
    account.raw().call("POST", f"/api/2/subscriptions/{account.user}/phone.json", {"add": [feed], "remove": []})
    lib, config = tmp_path / "lib", tmp_path / "config"
    assert run_cli(lib, "sync", "setup", account.server, "--user", account.user, "--device", "laptop",
                   env=env_for(config, account.password)).returncode == 0
    parent, child = pty.openpty()
    try:
        env = {**os.environ, **env_for(config), "COLUMNS": "60"}
        env.pop("TRACKER_LIBRARY", None)
        proc = subprocess.run([sys.executable, "-m", "tracker", "--library", str(lib), "sync"], env=env,
                              stdout=subprocess.PIPE, stderr=child, timeout=60)
        os.close(child)
        drawn = b""
        with contextlib.suppress(OSError):  # the child's end is closed: the rest reads as EIO
            while chunk := os.read(parent, 65536):
                drawn += chunk
    finally:
        os.close(parent)
    assert proc.returncode == 0
    text = drawn.decode()
    assert "importing" in text, text
    assert all(width(row) <= 59 for row in text.replace("\r\n", "\n").replace("\x1b[K", "").split("\r")), text


def test_demo_sync_setup_is_refused_and_leaves_no_password_behind(tmp_path: Path, account: Account) -> None:
    """The demo library is thrown away as the command ends: a setup saved for it would keep
    the password in the config folder under a folder no later `sync forget` can name."""
    from tests.cli.support import tracker

    config = tmp_path / "config"
    out = tracker("--demo", "sync", "setup", account.server, "--user", account.user,
                  env={**env_for(config, account.password), "TRACKER_LIBRARY": None})
    assert out.returncode == 2, out.stderr
    assert "--demo" in out.stderr and "Traceback" not in out.stderr
    assert not (config / "sync.json").exists()
