"""The smallest library that has something to lose: two files written together."""

from __future__ import annotations

from pathlib import Path

from store import FileSpec, Store

SPECS = [FileSpec("state", 1), FileSpec("catalog", 1)]


def library(folder: Path) -> Store:
    """A store whose two files were written in one transaction."""
    s = Store(folder, SPECS)
    with s.transaction("state", "catalog") as tx:
        tx.put("state", "t", "a", {"v": 1})
        tx.put("catalog", "t", "a", {"v": 1})
    return s
