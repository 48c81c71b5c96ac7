"""Messages between the app, its workers and the screens: the app never calls into a
screen; it posts one of these and the screen decides what to redraw."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from textual.message import Message


class LibraryChanged(Message, bubble=False):
    """The library changed: by a write of ours, another process or an import.
    ``areas`` says what: "catalog", "state", "history", "details" (empty: everything). Sent to each
    screen; it does not bubble back up to the app."""

    def __init__(self, areas: frozenset[str] = frozenset(), keep: str | None = None) -> None:
        super().__init__()
        self.areas = areas
        self.keep = keep  # an episode the cursor should stay on

    def touches(self, *areas: str) -> bool:
        return not self.areas or any(a in self.areas for a in areas)


class Looked(Message):
    """The watch thread's look at the library (``watch.Look``), for the app to broadcast."""

    def __init__(self, look: Any) -> None:
        super().__init__()
        self.look = look


@dataclass
class Write:
    """One model change, run on the writer thread; ``done`` runs on the event loop after."""

    label: str
    do: Callable[[], Any]
    done: Callable[[Any], None] | None = None
    quiet: bool = False  # no "what changed" notice (the caller says it itself)
    keep: str | None = None  # the episode the cursor stays on after the redraw
    areas: frozenset[str] = field(default_factory=lambda: frozenset({"state", "history"}))


class Written(Message):
    """A write finished: ``result`` is what the model returned, or ``error`` why not."""

    def __init__(self, write: Write, result: Any = None, error: BaseException | None = None) -> None:
        super().__init__()
        self.write = write
        self.result = result
        self.error = error


class Waiting(Message):
    """Writes are held up by the library lock (``True``) or flowing again (``False``)."""

    def __init__(self, waiting: bool) -> None:
        super().__init__()
        self.waiting = waiting


class Progress(Message, bubble=False):
    """A background job (an import, a refresh) says where it is; ``done`` at the end.
    Posted to the app, which hands a copy to each screen (that copy stays there)."""

    def __init__(self, text: str, done: bool = False, fraction: float | None = None) -> None:
        super().__init__()
        self.text = text
        self.done = done
        self.fraction = fraction


class ShowOnly(Message, bubble=False):
    """The Library screen: list only the episodes of show ``show_id`` (None: every show)."""

    def __init__(self, show_id: str | None) -> None:
        super().__init__()
        self.show_id = show_id
