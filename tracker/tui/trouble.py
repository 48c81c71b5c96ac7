"""A library that cannot be read while the app runs (another process left a file damaged
with no backup, a disk error) is a notice, never the end of the app: the user can still
quit with ``q`` (status 0), and the next reload after the file is good again recovers.

Textual stops a widget's message loop after a handler raises, so reads are caught where
they happen: ``reads_library`` wraps a handler, ``TrackerApp.run_action`` every key's
action, and ``TrackerApp._handle_exception`` a worker's failure. The app says each
distinct problem once (``TrackerApp.library_trouble``), not on every poll or key.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Protocol, TypeVar, cast

from ..model.errors import StoreError

LIBRARY_ERRORS = (StoreError, OSError)  # the library could not be read (or written)

F = TypeVar("F", bound=Callable[..., Any])


class Troubled(Protocol):
    def library_trouble(self, error: BaseException) -> None: ...


def reads_library(method: F) -> F:
    """A handler that reads the library: a failure becomes the app's notice and the
    handler returns ``None`` (what was on screen stays)."""

    @functools.wraps(method)
    def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except LIBRARY_ERRORS as err:
            cast(Troubled, self.app).library_trouble(err)
            return None

    return cast(F, guarded)


def trouble_line(error: BaseException) -> str:
    return f"could not read the library: {error}"
