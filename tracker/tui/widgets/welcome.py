"""What an empty library shows: how to bring episodes in."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from ..keys import key_of

WELCOME = """Welcome to tracker.

Your library is empty. Bring episodes in:

  {import_:<8} import here: a feed URL, a feed or OPML file, or a show page copied from a podcast app
  tracker import SOURCE...   the same from the command line
  tracker --demo             try everything on a sample show (your library is not touched)

Then: {listened} marks listened, {queue} queues, {open} opens the chapters, {help} lists every key."""


def welcome_text(app: object) -> str:
    """The welcome, naming the keys the user's keymap gives (not always the defaults)."""
    return WELCOME.format(import_=key_of(app, "app.import"), listened=key_of(app, "episode.listened"),
                          queue=key_of(app, "episode.queue"), open=key_of(app, "catalog.open"),
                          help=key_of(app, "app.help"))


class Welcome(Static):
    DEFAULT_CSS = "Welcome { padding: 2 4; color: $text; }"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, **kwargs)

    def on_mount(self) -> None:
        self.update(welcome_text(self.app))
