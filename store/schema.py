"""Schema versions: each file records the layout it was written with.

The version lives in a reserved TinyDB table, ``_meta``, as document ``schema``.
A migration turns the whole document of version v into version v+1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .storage import Data

META_TABLE = "_meta"
META_DOC = "schema"

Migration = Callable[[Data], Data]


@dataclass(frozen=True)
class FileSpec:
    """One library file: its name (``state`` -> ``state.json``), current version, migrations."""

    name: str
    version: int
    migrations: dict[int, Migration] = field(default_factory=dict)

    @property
    def filename(self) -> str:
        return f"{self.name}.json"


def version_of(data: Data | None) -> int | None:
    """The schema version of a parsed file; ``None`` for a file not yet written.

    A file without the meta table is taken as version 1, the first layout; so is one
    whose version is not a whole number from 1 up (0, -3, "2", 1.5, true): there is no
    layout before the first, and guessing upwards could skip a migration.
    """
    if data is None:
        return None
    return recorded_version(data) or 1


def recorded_version(data: Data | None) -> int | None:
    """The version the file itself records, when it is a usable one."""
    version = meta(data).get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version >= 1:
        return version
    return None


def migrate(data: Data, spec: FileSpec) -> Data:
    """Apply each step from the file's version up to ``spec.version``; the result records it."""
    version = version_of(data) or spec.version
    while version < spec.version:
        step = spec.migrations.get(version)
        if step is None:
            raise MissingMigration(f"{spec.filename}: this tracker cannot upgrade schema {version} to {spec.version}")
        data = step(data)
        version += 1
    stamp_version(data, spec.name, max(version, spec.version))
    return data


class MissingMigration(Exception):
    """No step from a file's version to the next (internal: the file opens read-only)."""


def stamp_version(data: Data, name: str, version: int) -> None:
    """Record the version, always as the last table (a reader of the raw file finds it at the end)."""
    old = data.pop(META_TABLE, None)
    table = dict(old) if isinstance(old, dict) else {}
    table[META_DOC] = {"version": version, "file": name}
    data[META_TABLE] = table


def meta(data: Data | None) -> dict[str, Any]:
    tables = data or {}
    table = tables.get(META_TABLE)
    doc = table.get(META_DOC) if isinstance(table, dict) else None
    return doc if isinstance(doc, dict) else {}
