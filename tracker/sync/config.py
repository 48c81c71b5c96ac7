"""The sync setup: server, user, device, flavor and password, per library.

Kept in ``sync.json`` in the config folder (``tracker.locations.config_folder()``),
never in the library: a library is copied, exported and backed up, a password must
not travel with it. The file is created 0600 inside a 0700 folder and replaced
atomically, so a crash never leaves half a password file or a readable copy.
"""

from __future__ import annotations

import os
import socket
import stat
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson

from ..importers.fetch import env_number
from ..locations import config_folder
from ..model.errors import SyncError, UsageError

FILE_NAME = "sync.json"
FLAVORS = ("gpodder", "nextcloud")
DEFAULT_INTERVAL_MIN = 15.0
DEFAULT_TIMEOUT_S = 15.0


@dataclass
class SyncSetup:
    server: str  # base URL, no trailing slash, no credentials
    user: str
    device: str
    flavor: str = "gpodder"
    password: str = field(default="", repr=False)  # never printed, never in an error
    interval_min: float = DEFAULT_INTERVAL_MIN
    timeout_s: float = DEFAULT_TIMEOUT_S

    @property
    def identity(self) -> str:
        """What the library's sync bookkeeping belongs to: another server, user or device
        starts over (a first sync), never mixes cursors."""
        return f"{self.flavor} {self.server} {self.user} {self.device}"

    def public(self) -> dict[str, Any]:
        """Everything but the password (for ``sync status``)."""
        return {k: v for k, v in asdict(self).items() if k != "password"}


def timeout_of(setup: SyncSetup) -> float:
    """How long the server may stay silent: ``TRACKER_HTTP_TIMEOUT`` when set (as for
    downloads), else the setup's."""
    return env_number("TRACKER_HTTP_TIMEOUT", setup.timeout_s, 3600)


def check_server(url: str) -> str:
    """The server's base URL, or a UsageError saying what is wrong with it."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        raise UsageError(f"{url!r} is not a URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError("the server must be an http:// or https:// URL")
    if parts.username is not None or parts.password is not None:
        raise UsageError("put the user in --user and the password in TRACKER_SYNC_PASSWORD, not in the URL")
    if parts.query or parts.fragment:
        raise UsageError("the server URL takes no ?query or #fragment")
    return url.rstrip("/")


def default_device() -> str:
    host = "".join(c for c in socket.gethostname().lower() if c.isalnum() or c == "-")[:30]
    return f"tracker-{host or 'desktop'}"


def config_path() -> Path:
    return config_folder() / FILE_NAME


DAMAGED = "run `tracker sync forget`, then setup again"


class DamagedSetup(SyncError):
    """``sync.json`` does not parse: no library's setup in it can be read."""


def load(library: Path) -> SyncSetup | None:
    entry = _read().get("libraries", {}).get(_key(library))
    if entry is None:
        return None
    try:
        setup = SyncSetup(**{k: entry[k] for k in SyncSetup.__dataclass_fields__ if k in entry})
    except TypeError:  # not a mapping, or a field missing
        raise SyncError(f"this library's sync setup in {config_path().name} is damaged: {DAMAGED}") from None
    if not _well_formed(setup):  # a hand edit: a number for the server would end in a traceback
        raise SyncError(f"this library's sync setup in {config_path().name} is damaged: {DAMAGED}")
    return setup


def _well_formed(setup: SyncSetup) -> bool:
    texts = (setup.server, setup.user, setup.device, setup.flavor, setup.password)
    numbers = (setup.interval_min, setup.timeout_s)
    return (all(isinstance(t, str) for t in texts) and setup.flavor in FLAVORS
            and all(isinstance(n, (int, float)) and not isinstance(n, bool) and n > 0 for n in numbers))


def save(library: Path, setup: SyncSetup) -> None:
    data = _read()
    data.setdefault("libraries", {})[_key(library)] = asdict(setup)
    _write(data)


def forget(library: Path) -> bool:
    """Remove this library's setup. A file too damaged to parse is removed whole: it holds
    no setup anyone can use, and its error names this command as the way out."""
    try:
        data = _read()
    except DamagedSetup:
        try:
            config_path().unlink()
        except OSError as err:
            raise SyncError(f"cannot remove the damaged {FILE_NAME}: {err.strerror or err}") from None
        return True
    if data.get("libraries", {}).pop(_key(library), None) is None:
        return False
    _write(data)
    return True


def _key(library: Path) -> str:
    return str(Path(library).expanduser().resolve())


def _read() -> dict[str, Any]:
    path = config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {"version": 1, "libraries": {}}
    except OSError as err:
        raise SyncError(f"cannot read the sync setup {path.name}: {err.strerror or err}") from None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise DamagedSetup(f"the sync setup {path.name} is damaged: {DAMAGED}") from None
    if not isinstance(data, dict) or not isinstance(data.get("libraries", {}), dict):
        raise DamagedSetup(f"the sync setup {path.name} is damaged: {DAMAGED}")
    return data


def _write(data: dict[str, Any]) -> None:
    """Replace the file atomically; the temp is 0600 from its first byte."""
    folder = config_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        temp = folder / f".{FILE_NAME}.{os.getpid()}.tmp"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, stat.S_IRUSR | stat.S_IWUSR)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, orjson.dumps(data, option=orjson.OPT_INDENT_2))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, folder / FILE_NAME)
    except OSError as err:
        raise SyncError(f"cannot write the sync setup in the config folder: {err.strerror or err}") from None
