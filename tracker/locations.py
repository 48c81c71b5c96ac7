"""Where tracker keeps things: the library folder and the config folder.

One place for the rule, so the CLI, the TUI and the sync setup agree:
``--library DIR``, else ``$TRACKER_LIBRARY``, else the platform's user data folder;
the config (sync credentials) lives apart from the library, never inside it.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "tracker"


def library_folder(explicit: str | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("TRACKER_LIBRARY")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir  # platformdirs costs ~10 ms: only when needed

    return Path(user_data_dir(APP_NAME, appauthor=False))


def config_folder() -> Path:
    """``$TRACKER_CONFIG``, else the platform's user config folder."""
    env = os.environ.get("TRACKER_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))
