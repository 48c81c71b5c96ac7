"""The library folder: versioned TinyDB files, one writer lock, backups, recovery.

Reads take no lock: files are only ever replaced whole, so a reader sees the old
file or the new one. A write is a transaction: take the lock, re-read what
changed on disk, apply the changes, replace each file atomically, let go.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import orjson

from .atomic import clean_temp_files, write_atomic
from .journal import commit_files, pending, roll_forward
from .backups import Backups
from .errors import CorruptFile, ReadOnlyFile, StoreError
from .lock import WriterLock
from .schema import META_TABLE, FileSpec, meta, migrate, stamp_version, version_of
from .storage import AtomicJSONStorage, Damaged, Data, parse

LOCK_NAME = ".lock"
BACKUP_FOLDER = "backups"


class Store:
    """A folder of TinyDB files described by ``specs``."""

    def __init__(self, folder: Path | str, specs: list[FileSpec], lock_timeout: float | None = None) -> None:
        self.folder = Path(folder)
        self.specs = {spec.name: spec for spec in specs}
        self.backups = Backups(self.folder / BACKUP_FOLDER)
        self.notices: list[str] = []
        self.read_only: set[str] = set()
        self._lock = WriterLock(self.folder / LOCK_NAME, timeout=lock_timeout)
        self._storages: dict[str, AtomicJSONStorage] = {}
        self._checked: set[str] = set()
        self._cleaned = False

    # -- reading -----------------------------------------------------------------
    def read(self, name: str) -> Data:
        """The file's tables as plain dicts (shared: do not mutate). Missing file: empty."""
        storage = self._storage(name)
        data = self._read_checked(name, storage)
        return data or _EMPTY

    def table(self, name: str, table: str) -> dict[str, Any]:
        return self.read(name).get(table, _EMPTY)

    def stamp(self, name: str) -> int:
        """A number that changes whenever the file's data changes (on disk or by a commit
        here): compare stamps, never the identity of what ``read`` returned."""
        self.read(name)
        return self._storage(name).generation

    def forget(self, name: str) -> None:
        """Drop a file's parsed data from memory; the next read parses it again."""
        if name in self._storages:
            self._storages[name].forget()

    def changed(self, name: str) -> bool:
        """True when another process replaced the file since we last read it."""
        return not self._storage(name).is_current()

    # -- writing -----------------------------------------------------------------
    @contextmanager
    def transaction(self, *names: str) -> Iterator["Transaction"]:
        """Hold the lock, yield a ``Transaction`` over ``names``, commit them all or none."""
        for name in names:
            self.read(name)  # triggers migration / recovery / read-only detection
            if name in self.read_only:
                raise ReadOnlyFile(self._newer_message(name))
        with self._lock.held():
            if not self._cleaned:
                roll_forward(self.folder)  # before cleaning: a journal's temps are not litter
                clean_temp_files(self.folder)
                self._cleaned = True
            tx = Transaction({name: self.read(name) for name in names})
            yield tx
            self._commit({name: tx.changes[name] for name in names if tx.changes.get(name)})

    def _commit(self, changes: dict[str, dict[str, dict[str, Any]]]) -> None:
        if not changes:
            return
        new_data: dict[str, Data] = {}
        for name, tables in changes.items():
            current = self._storage(name).read() or {}
            data: Data = dict(current)  # the cache stays as it was until the write succeeds
            for table, docs in tables.items():
                merged = dict(current.get(table, {}))
                for key, doc in docs.items():
                    if doc is None:
                        merged.pop(key, None)
                    else:
                        merged[key] = doc
                data[table] = merged
            stamp_version(data, name, self.specs[name].version)
            new_data[name] = data
            self.backups.before_write(self._storage(name).path, name)
        if len(new_data) == 1:
            ((name, data),) = new_data.items()
            self._storage(name).commit(data)
            return
        storages = {name: self._storage(name) for name in new_data}
        try:
            commit_files(self.folder, [(storages[n].path, orjson.dumps(d)) for n, d in new_data.items()])
        except Exception:
            for storage in storages.values():
                storage.forget()
            raise
        for name, data in new_data.items():
            storages[name].adopt(data)

    # -- opening: schema, recovery -------------------------------------------------
    def _read_checked(self, name: str, storage: AtomicJSONStorage) -> Data | None:
        if pending(self.folder):  # another process died mid-commit, or is committing now
            with self._lock.held():
                roll_forward(self.folder)
        try:
            data = storage.read()
        except Damaged as err:
            data = self._recover(name, storage, str(err))
        if name not in self._checked:
            self._checked.add(name)
            data = self._check_version(name, storage, data)
        return data

    def _check_version(self, name: str, storage: AtomicJSONStorage, data: Data | None) -> Data | None:
        spec = self.specs[name]
        version = version_of(data)
        if version is None or version == spec.version:
            return data
        if version > spec.version:
            self.read_only.add(name)
            self.notices.append(self._newer_message(name))
            return data
        with self._lock.held():
            data = storage.read()
            version = version_of(data)
            if data is None or version is None or version >= spec.version:
                return data
            kept = self.backups.folder / f"{name}.schema{version}.json"
            self.backups.folder.mkdir(parents=True, exist_ok=True)
            if not kept.exists():
                self.backups.keep_copy(storage.path, kept)
            migrated = migrate(_deep_copy(data), spec)
            storage.commit(migrated)
            self.notices.append(
                f"{spec.filename}: upgraded from schema {version} to {spec.version}; "
                f"the old file is kept as {BACKUP_FOLDER}/{kept.name}"
            )
            return migrated

    def _newer_message(self, name: str) -> str:
        spec = self.specs[name]
        data = self._storage(name)._data
        found = meta(data).get("version", "?")
        return (
            f"{spec.filename} was written by a newer tracker (schema {found}; this one knows "
            f"{spec.version}): it is open read-only"
        )

    def _recover(self, name: str, storage: AtomicJSONStorage, why: str) -> Data | None:
        """Keep the damaged file aside and restore the newest backup that parses."""
        spec = self.specs[name]
        good = next((b for b in self.backups.list(name) if _parses(b)), None)
        if good is None:
            raise CorruptFile(
                f"{spec.filename} is damaged ({why}) and there is no good backup; nothing was "
                f"changed: move it aside to start a new file, or repair it"
            )
        with self._lock.held():
            try:
                return storage.read()  # another process may have recovered it already
            except Damaged:
                pass
            aside = self.backups.aside_path(storage.path, "damaged")
            storage.path.rename(aside)
            write_atomic(storage.path, good.read_bytes())
            storage.forget()
            self.notices.append(
                f"{spec.filename} was damaged ({why}): kept it as {aside.name} and restored the "
                f"backup {good.name}; changes made after that backup are lost"
            )
            return storage.read()

    # -- plumbing ------------------------------------------------------------------
    def _storage(self, name: str) -> AtomicJSONStorage:
        storage = self._storages.get(name)
        if storage is None:
            if name not in self.specs:
                raise StoreError(f"unknown library file {name!r}")
            self.folder.mkdir(parents=True, exist_ok=True)
            storage = self._storages[name] = AtomicJSONStorage(self.folder / self.specs[name].filename)
        return storage


class Transaction:
    """Reads see the committed data plus this transaction's own changes.

    Changes are kept apart and applied at commit, so a failure part-way leaves the
    shared, cached data untouched. Put whole documents; never mutate what ``get`` returns.
    """

    def __init__(self, data: dict[str, Data]) -> None:
        self._data = data
        self.changes: dict[str, dict[str, dict[str, Any]]] = {}

    def get(self, file: str, table: str, key: str) -> Any:
        pending = self.changes.get(file, {}).get(table, {})
        if key in pending:
            return pending[key]
        return self._data[file].get(table, {}).get(key)

    def put(self, file: str, table: str, key: str, doc: dict[str, Any]) -> None:
        if table == META_TABLE:
            raise StoreError("the _meta table belongs to the store")
        self.changes.setdefault(file, {}).setdefault(table, {})[key] = doc

    def delete(self, file: str, table: str, key: str) -> None:
        self.changes.setdefault(file, {}).setdefault(table, {})[key] = None

    def keys(self, file: str, table: str) -> list[str]:
        base = list(self._data[file].get(table, {}))
        pending = self.changes.get(file, {}).get(table, {})
        seen = set(base)
        out = [k for k in base if pending.get(k, True) is not None]
        out.extend(k for k, v in pending.items() if k not in seen and v is not None)
        return out


_EMPTY: dict[str, Any] = {}  # shared and never mutated: a missing table reads the same each time


def _parses(path: Path) -> bool:
    try:
        parse(path.read_bytes())
    except (Damaged, OSError):
        return False
    return True


def _deep_copy(data: Data) -> Data:
    return orjson.loads(orjson.dumps(data))
