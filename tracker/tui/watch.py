"""What changed in the library since we last looked, by area ("catalog", "state",
"history"): the app polls this every second, so changes made by another process (a
CLI command, another TUI, the player's worker) show, and after each write of its own.
The model says what changed (``Library.area_stamps``): the TUI never names store files.

The second's poll runs in a thread (``look``): at 100k episodes parsing a file another
process rewrote (the player's progress write, every 10 s) takes tens of ms, which on the
event loop would hold a frame. The thread parses and pre-reads what the screens then
read, so their reload on the loop finds everything parsed already."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from ..model.library import Library
from .trouble import LIBRARY_ERRORS
from .view import CatalogView


@dataclass(frozen=True)
class Look:
    """One poll's outcome: the areas that changed, or why the library could not be read."""

    areas: frozenset[str] = frozenset()
    error: BaseException | None = None


class LibraryWatch:
    def __init__(self, library: Library) -> None:
        self.library = library
        self._lock = threading.Lock()  # the loop (after a write) and the thread both poll
        self._seen = library.area_stamps()

    def poll(self) -> frozenset[str]:
        """The areas that changed since the last poll (reads only what changed on disk)."""
        with self._lock:
            now = self.library.area_stamps()
            changed = frozenset(area for area in now if now[area] != self._seen.get(area))
            self._seen = now
            return changed

    def look(self, view: CatalogView) -> Look:
        """Poll, then read ahead what changed (off the loop: a thread calls this)."""
        try:
            areas = self.poll()
        except LIBRARY_ERRORS as err:
            return Look(error=err)
        if areas:
            try:
                view.prepare()
            except LIBRARY_ERRORS:
                pass  # the screens' reload meets it again and says it (trouble.py)
        return Look(areas)
