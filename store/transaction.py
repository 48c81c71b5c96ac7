"""A transaction: changes kept apart from the cached data, and their merge at commit."""

from __future__ import annotations

from typing import Any, Collection

from .errors import StoreError
from .schema import META_TABLE
from .storage import Data


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

    def put_many(self, file: str, table: str, docs: dict[str, dict[str, Any]]) -> None:
        """``put`` of every ``key: doc`` in ``docs``, in their order (one call for the
        thousands of new episodes of an import)."""
        if table == META_TABLE:
            raise StoreError("the _meta table belongs to the store")
        if docs:
            self.changes.setdefault(file, {}).setdefault(table, {}).update(docs)

    def existing(self, file: str, table: str, keys: Collection[str]) -> set[str]:
        """Which of ``keys`` the table holds, as ``get`` sees it: one set operation for
        thousands of keys instead of a ``get`` each."""
        found = self._data[file].get(table, {}).keys() & keys
        pending = self.changes.get(file, {}).get(table, {})
        if pending:
            for key in pending.keys() & keys:
                if pending[key] is None:
                    found.discard(key)
                else:
                    found.add(key)
        return found

    def delete(self, file: str, table: str, key: str) -> None:
        self.changes.setdefault(file, {}).setdefault(table, {})[key] = None

    def keys(self, file: str, table: str) -> list[str]:
        base = list(self._data[file].get(table, {}))
        pending = self.changes.get(file, {}).get(table, {})
        seen = set(base)
        out = [k for k in base if pending.get(k, True) is not None]
        out.extend(k for k, v in pending.items() if k not in seen and v is not None)
        return out


def merge(current: Data, changes: dict[str, dict[str, Any]]) -> tuple[Data, dict[str, dict[str, Any]]]:
    """``current`` with the changes applied (a ``None`` document deletes), as new dicts:
    ``current`` is the cache, which stays as it was until the write succeeds. Also the
    tables the changes only add new keys to, with those entries: the merged table is the
    old one with them appended, in that order, which lets the storage splice its bytes."""
    data: Data = dict(current)
    grown: dict[str, dict[str, Any]] = {}
    for table, docs in changes.items():
        merged = dict(current.get(table, {}))
        if None not in docs.values() and merged.keys().isdisjoint(docs):  # (set operations, no loop)
            merged.update(docs)
            data[table] = merged
            if table in current:
                grown[table] = docs
            continue
        for key, doc in docs.items():  # (a delete or a key it held: not only added)
            if doc is None:
                merged.pop(key, None)
            else:
                merged[key] = doc
        data[table] = merged
    return data, grown
