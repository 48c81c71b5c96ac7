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

    A file without the meta table is taken as version 1, the first layout.
    """
    if data is None:
        return None
    meta = data.get(META_TABLE, {}).get(META_DOC)
    if not meta:
        return 1
    version = meta.get("version")
    return version if isinstance(version, int) else 1


def migrate(data: Data, spec: FileSpec) -> Data:
    """Apply each step from the file's version up to ``spec.version``."""
    version = version_of(data) or spec.version
    while version < spec.version:
        step = spec.migrations.get(version)
        if step is None:
            raise KeyError(f"no migration for {spec.filename} from schema {version}")
        data = step(data)
        version += 1
        stamp_version(data, spec.name, version)
    return data


def stamp_version(data: Data, name: str, version: int) -> None:
    data[META_TABLE] = {**data.get(META_TABLE, {}), META_DOC: {"version": version, "file": name}}


def meta(data: Data | None) -> dict[str, Any]:
    return (data or {}).get(META_TABLE, {}).get(META_DOC, {})
