"""The TUI's garbage-collection policy, in one place and applied once.

At 100k episodes each full collection walked every catalog object (~100 ms, several
times during start-up). So the collector is off while the library loads, and after
the first paint what is loaded so far is frozen out of its way and it runs again.
Freezing again later would keep every object alive at that moment (closed screens,
replaced catalogs) for good: ``settle`` does its work only the first time.
"""

from __future__ import annotations

import gc

_settled = False


def hold() -> None:
    """Before the library loads: no collections until ``settle``."""
    if not _settled:
        gc.disable()


def release() -> None:
    """The load failed: collect as usual again."""
    gc.enable()


def settle() -> None:
    """After the first paint: freeze the start-up objects once and collect again."""
    global _settled
    if not _settled:
        _settled = True
        gc.freeze()
    gc.enable()
