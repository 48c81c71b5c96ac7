"""What changed in the library since we last looked, by area ("catalog", "state",
"history"): the app polls this every second, so changes made by another process (a
CLI command, another TUI, the player's worker) show, and after each write of its own.
The model says what changed (``Library.area_stamps``): the TUI never names store files."""

from __future__ import annotations

from ..model.library import Library


class LibraryWatch:
    def __init__(self, library: Library) -> None:
        self.library = library
        self._seen = library.area_stamps()

    def poll(self) -> frozenset[str]:
        """The areas that changed since the last poll (reads only what changed on disk)."""
        now = self.library.area_stamps()
        changed = frozenset(area for area in now if now[area] != self._seen.get(area))
        self._seen = now
        return changed
