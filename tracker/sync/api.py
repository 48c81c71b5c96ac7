"""The two server dialects: gpodder.net API 2 and Nextcloud's gpoddersync app.

Both answer with the same shapes (subscription changes with a timestamp, episode
actions with a timestamp); they differ in paths, in how a device is named, and in what
Nextcloud keeps (only ``play`` actions, one row per episode, ``-1`` for unknown
numbers). Answers are checked before use: an unexpected shape is a clear error, not a
crash deep in the merge.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from ..model.errors import SyncError
from .config import SyncSetup, timeout_of
from .http import Http

BATCH = 30  # actions per upload, as AntennaPod sends them


@dataclass
class SubChanges:
    add: list[str]
    remove: list[str]
    timestamp: int


@dataclass
class Uploaded:
    timestamp: int
    update_urls: list[tuple[str, str]] = field(default_factory=list)


class Api:
    """gpodder.net API 2 (gpodder.net, gpodder-fastapi-router, opodsync)."""

    flavor = "gpodder"
    names_device = True  # actions carry "device"; subscriptions are per device
    keeps_spans = True  # every play action is kept, not one per episode
    stamps_cursor_with_last_action = True  # GET's timestamp is the last action's (else "now")

    def __init__(self, setup: SyncSetup, http: Http | None = None) -> None:
        self.setup = setup
        self.http = http or Http(setup.server, setup.user, setup.password, timeout_of(setup))
        self._user = quote(setup.user, safe="")
        self._device = quote(setup.device, safe="")

    def close(self) -> None:
        self.http.close()

    def check_login(self) -> None:
        """Log in: the password is checked, and the session the server opens can carry the
        requests that follow (AntennaPod does the same)."""
        self.http.post(f"/api/2/auth/{self._user}/login.json", {})
        self.http.use_session(self.http.last_cookie)

    def open_session(self) -> None:
        """Before many requests: one password check instead of one per request."""
        self.check_login()

    def register_device(self, caption: str) -> None:
        self.http.post(f"/api/2/devices/{self._user}/{self._device}.json", {"caption": caption, "type": "desktop"})

    def device_ids(self) -> list[str]:
        """The devices the account has (none when the server cannot list them: a server
        without that call still syncs)."""
        try:
            data = self.http.get(f"/api/2/devices/{self._user}.json")
        except SyncError:
            return []
        return [d["id"] for d in data if isinstance(d, dict) and isinstance(d.get("id"), str)] if isinstance(data, list) else []

    def subscription_changes(self, since: int) -> SubChanges:
        data = self.http.get(f"/api/2/subscriptions/{self._user}/{self._device}.json", {"since": since})
        return _sub_changes(data, "GET subscriptions")

    def upload_subscriptions(self, add: list[str], remove: list[str]) -> Uploaded:
        data = self.http.post(f"/api/2/subscriptions/{self._user}/{self._device}.json", {"add": add, "remove": remove})
        return _uploaded(data, "POST subscriptions")

    def episode_actions(self, since: int) -> tuple[list[Any], int]:
        data = self.http.get(f"/api/2/episodes/{self._user}.json", {"since": since})
        return _actions(data, "GET episode actions")

    def upload_actions(self, actions: list[dict[str, Any]]) -> Uploaded:
        return _uploaded(self.http.post(f"/api/2/episodes/{self._user}.json", actions), "POST episode actions")

    def since_for(self, cursor: int) -> int:
        """The ``since`` to ask with: servers like gpodder.net answer actions at or after it
        (the last one comes again; the merge ignores it)."""
        return cursor


class NextcloudApi(Api):
    """Nextcloud gpoddersync: ``/index.php/apps/gpoddersync/...``, the account's login
    (an app password), no devices, only ``play`` actions, newest row per episode."""

    flavor = "nextcloud"
    names_device = False
    keeps_spans = False
    stamps_cursor_with_last_action = False
    ROOT = "/index.php/apps/gpoddersync"

    def check_login(self) -> None:
        self.subscription_changes(int(time.time()))

    def open_session(self) -> None:
        return None  # Nextcloud has no session to open: the app password goes with each request

    def register_device(self, caption: str) -> None:
        return None  # Nextcloud knows no devices

    def device_ids(self) -> list[str]:
        return []

    def subscription_changes(self, since: int) -> SubChanges:
        return _sub_changes(self.http.get(f"{self.ROOT}/subscriptions", {"since": since}), "GET subscriptions")

    def upload_subscriptions(self, add: list[str], remove: list[str]) -> Uploaded:
        data = self.http.post(f"{self.ROOT}/subscription_change/create", {"add": add, "remove": remove})
        return _uploaded(data or {"timestamp": int(time.time())}, "POST subscription changes")

    def episode_actions(self, since: int) -> tuple[list[Any], int]:
        return _actions(self.http.get(f"{self.ROOT}/episode_action", {"since": since}), "GET episode actions")

    def upload_actions(self, actions: list[dict[str, Any]]) -> Uploaded:
        data = self.http.post(f"{self.ROOT}/episode_action/create", actions)
        return _uploaded(data or {"timestamp": int(time.time())}, "POST episode actions")

    def since_for(self, cursor: int) -> int:
        """Nextcloud answers actions strictly after ``since`` and its timestamp is "now":
        ask one second earlier, so an action stamped in that same second is not missed."""
        return max(0, cursor - 1)


def make_api(setup: SyncSetup) -> Api:
    return api_class(setup)(setup)


def api_class(setup: SyncSetup) -> type[Api]:
    """The dialect of ``setup``'s server (its class attributes say what it keeps)."""
    return NextcloudApi if setup.flavor == "nextcloud" else Api


# -- answers, checked ----------------------------------------------------------------------------
def _bad(what: str) -> SyncError:
    return SyncError(f"the sync server sent an unexpected answer to {what}")


def _timestamp(data: dict[str, Any], what: str) -> int:
    ts = data.get("timestamp")
    if isinstance(ts, bool) or not isinstance(ts, (int, float)) or not 0 <= ts < 10**11:
        raise _bad(what)
    return int(ts)


def _urls(value: Any, what: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(u, str) for u in value):
        raise _bad(what)
    return value


def _sub_changes(data: Any, what: str) -> SubChanges:
    if not isinstance(data, dict):
        raise _bad(what)
    return SubChanges(_urls(data.get("add"), what), _urls(data.get("remove"), what), _timestamp(data, what))


def _uploaded(data: Any, what: str) -> Uploaded:
    if not isinstance(data, dict):
        raise _bad(what)
    pairs = []
    for pair in data.get("update_urls") or []:
        if isinstance(pair, list) and len(pair) == 2 and all(isinstance(u, str) for u in pair):
            pairs.append((pair[0], pair[1]))
    return Uploaded(_timestamp(data, what), pairs)


def _actions(data: Any, what: str) -> tuple[list[Any], int]:
    if not isinstance(data, dict) or not isinstance(data.get("actions"), list):
        raise _bad(what)
    return data["actions"], _timestamp(data, what)
