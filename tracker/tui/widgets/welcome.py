"""What an empty library shows: how to bring episodes in."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

WELCOME = """Welcome to tracker.

Your library is empty. Bring episodes in:

  i        import here: a feed URL, a feed or OPML file, or a show page copied from a podcast app
  tracker import SOURCE...   the same from the command line
  tracker --demo             try everything on a sample show (your library is not touched)

Then: space marks listened, a queues, enter opens the chapters, ? lists every key."""


class Welcome(Static):
    DEFAULT_CSS = "Welcome { padding: 2 4; color: $text; }"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(WELCOME, markup=False, **kwargs)
