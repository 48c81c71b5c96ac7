"""The one TUI module that knows the store underneath the model: what changed since we
last looked (polled every second, so changes by another process show), and a bound on
the parsed detail files held at once. It goes when the model offers both itself
(asked for in the team's API notes)."""

from __future__ import annotations

from collections import OrderedDict

from ..model.files import LISTING_NAMES, details_file, notes_file
from ..model.library import Library

AREAS = {
    "catalog": ("catalog", *LISTING_NAMES),
    "state": ("state",),
    "history": ("history",),
}
DETAIL_FILES_KEPT = 4  # parsed details and notes files held at once: bounds memory at 100k episodes


class LibraryWatch:
    def __init__(self, library: Library) -> None:
        self.library = library
        self._seen = self._stamps()

    def _stamps(self) -> dict[str, tuple[int, ...]]:
        store = self.library.store
        return {area: tuple(store.stamp(name) for name in names) for area, names in AREAS.items()}

    def poll(self) -> frozenset[str]:
        """The areas that changed since the last poll (reads only what changed on disk)."""
        now = self._stamps()
        changed = frozenset(area for area in now if now[area] != self._seen.get(area))
        self._seen = now
        return changed


class DetailFiles:
    """Keep the detail files of the last few episodes shown; forget older ones."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._kept: OrderedDict[str, None] = OrderedDict()

    def keep(self, eid: str) -> None:
        for name in (details_file(eid), notes_file(eid)):
            self._kept[name] = None
            self._kept.move_to_end(name)
        while len(self._kept) > DETAIL_FILES_KEPT:
            old, _ = self._kept.popitem(last=False)
            self.library.store.forget(old)
