"""``tracker sync``: set up, run, inspect and forget sync with a gpodder.net-style server.

The password comes from ``TRACKER_SYNC_PASSWORD`` or a prompt, never from argv (which
other users can read in the process list), and is never printed.
"""

from __future__ import annotations

import argparse
import getpass
import os
import socket
import sys

from ..model.errors import SyncError, SyncNotSetUp, UsageError
from .common import open_library
from .progress import live_line
from .output import plural, print_json, say

PASSWORD_ENV = "TRACKER_SYNC_PASSWORD"


def run_sync(args: argparse.Namespace) -> int:
    command = getattr(args, "sync_command", None)
    if command in ("setup", "forget") and args.json:  # a script asking for JSON must not get text
        raise UsageError(f"--json is for 'sync' and 'sync status': 'sync {command}' prints no JSON")
    if command == "setup":
        return _setup(args)
    if command == "status":
        return _status(args)
    if command == "forget":
        return _forget(args)
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    from ..sync.config import load
    from ..sync.engine import run_sync as sync_once

    library = open_library(args, create=True)  # a first sync may bring the whole library
    setup = load(library.folder)
    if setup is None:
        raise SyncNotSetUp("sync is not set up for this library: run `tracker sync setup URL --user USER` first")
    live = live_line(not args.json)  # on a terminal: each step over the last, fitted to the row
    try:
        try:
            report = sync_once(library, setup, live.text if live else None)
        finally:
            if live:
                live.clear()
    except SyncError as err:
        if not args.json:
            for line in err.said:
                say(line)
        raise
    if args.json:
        print_json(report.to_json())
    else:
        for line in report.lines():
            say(line)
    return 1 if report.failures else 0


def _setup(args: argparse.Namespace) -> int:
    from ..sync.api import make_api
    from ..sync.config import SyncSetup, check_server, default_device, load, save
    from ..sync.engine import synced_as

    library = open_library(args, create=True)
    server = check_server(args.url)
    user = args.user.strip()
    if not user:
        raise UsageError("--user must not be empty")
    device = (args.device or default_device()).strip()
    if not device or not all(c.isalnum() or c in "-_." for c in device):
        raise UsageError("--device takes letters, digits, '-', '_' and '.'")
    if args.interval is not None and not 1 <= args.interval <= 24 * 60:
        raise UsageError("--interval takes minutes between 1 and 1440")
    setup = SyncSetup(server=server, user=user, device=device, flavor=args.flavor, password=_password())
    if args.interval is not None:
        setup.interval_min = float(args.interval)
    api = make_api(setup)
    earlier = load(library.folder)
    ours = (earlier is not None and earlier.identity == setup.identity) or synced_as(library, setup)
    try:
        api.check_login()
        if args.device is None and not ours and device in api.device_ids():
            # Named after the host, which two computers often share: under one name each
            # would skip the other's listening as its own coming back, silently.
            raise UsageError(f"the account already has a device {device!r} (another computer of the same name?): "
                             f"give this one its own name with --device NAME, or --device {device} to take that one over")
        api.register_device(f"tracker on {socket.gethostname()[:40]}")
    finally:
        api.close()
    save(library.folder, setup)
    say(f"sync set up: {user} on {server} as device {device} ({args.flavor}); run `tracker sync` to sync now")
    return 0


def _password() -> str:
    password = os.environ.get(PASSWORD_ENV)
    if password:
        return password
    if not sys.stdin.isatty():
        raise UsageError(f"no password: set {PASSWORD_ENV} or run this on a terminal to be asked")
    password = getpass.getpass("sync password: ")
    if not password:
        raise UsageError("no password given")
    return password


def _status(args: argparse.Namespace) -> int:
    from ..sync.config import load
    from ..sync.engine import status

    library = open_library(args)
    info = status(library, load(library.folder))
    if args.json:
        print_json(info)
        return 0
    if not info["set_up"]:
        say("sync is not set up for this library (tracker sync setup URL --user USER)")
        return 0
    lines = [
        f"server:   {info['server']} ({info['flavor']})",
        f"user:     {info['user']}",
        f"device:   {info['device']}",
        f"every:    {info['interval_min']:g} minutes in the TUI",
        f"last:     {_local(info['last_sync']) or 'never'}",
    ]
    result = info.get("last_result")
    if result and result != "ok":
        lines.append(f"last try: {_local(info['last_attempt'])}: {result}")
    lines.append(f"pending:  {plural(int(info['pending_uploads']), 'episode')} to upload")
    if info["kept_for_later"]:
        lines.append(f"kept:     {plural(int(info['kept_for_later']), 'action')} for episodes not in the catalog yet")
    for bad in info["feeds_failing"]:
        when = f"after {_local(bad['retry_at'])}" if bad["retry_at"] else "at the next sync"
        lines.append(f"no feed:  {bad['url']}: {bad['why'] or 'not imported'} (tried again {when})")
    for held in info["refused"]:  # left out until it changes here
        lines.append(f"refused:  {held['what']} ({held['why']})")
    for line in lines:
        say(line)
    return 0


def _forget(args: argparse.Namespace) -> int:
    from ..locations import library_folder
    from ..sync.config import forget

    if forget(library_folder(getattr(args, "library", None))):
        say("sync setup removed (the password is gone from the config folder; listening stays in the library)")
    else:
        say("sync was not set up for this library")
    return 0


def _local(iso: object) -> str:
    """A stored UTC time as local time, the way ``history`` shows times."""
    from datetime import datetime

    if not isinstance(iso, str):
        return ""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso
