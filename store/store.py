"""The library folder: versioned TinyDB files, one writer lock, backups, recovery.

Reads take no lock: files are only ever replaced whole, so a reader sees the old
file or the new one. A write is a transaction: take the lock, re-read what
changed on disk, apply the changes, replace each file atomically, let go.
"""

from __future__ import annotations

import os
import stat
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, Iterator

import orjson

from .atomic import FOLDER_MODE, clean_temp_files, real_target, reason, remove_quietly, write_atomic
from .backups import Backups
from .describe import LibraryInfo, describe
from .encode import Encoded
from .errors import CorruptFile, NoLibrary, NotALibrary, ReadOnlyFile, StoreError, UnreadableFile, WriteFailed
from .journal import JOURNAL_NAME, commit_files, pending, roll_forward
from .lock import WriterLock
from .schema import FileSpec, MissingMigration, meta, migrate, stamp_version, version_of
from .storage import AtomicJSONStorage, Damaged, Data, parse, signature_of
from .transaction import Transaction, merge

LOCK_NAME = ".lock"
BACKUP_FOLDER = "backups"


class Store:
    """A folder of TinyDB files described by ``specs``.

    Opening never writes: the folder is created (0700, files 0600) by the first write,
    and with ``create=False`` a missing folder, or one holding none of its files, is
    ``NoLibrary`` at once, so a command that only reads can say "no library here"
    instead of making one.
    """

    def __init__(
        self, folder: Path | str, specs: list[FileSpec], lock_timeout: float | None = None, create: bool = True
    ) -> None:
        self.folder = Path(folder)
        self.create = create
        check_folder(self.folder, create)
        self.specs = {spec.name: spec for spec in specs}
        if not create and not self._holds_a_library():
            raise NoLibrary(f"no library at {self.folder}")
        self.backups = Backups(self.folder / BACKUP_FOLDER)
        self.notices: list[str] = []
        self.restored: set[str] = set()  # files this store restored from an older backup
        self.read_only: dict[str, str] = {}  # file name -> why it cannot be written
        self._in_memory: dict[str, tuple[int, Data]] = {}  # upgraded but unwritable: (generation, data)
        self._lock = WriterLock(self.folder / LOCK_NAME, timeout=lock_timeout)
        self._storages: dict[str, AtomicJSONStorage] = {}
        self._checked: dict[str, int] = {}  # file name -> the generation whose schema was checked
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

    def disk_stamp(self, name: str) -> tuple[int, ...] | None:
        """What tells the file's versions on disk apart (inode, size, times; None when it
        is missing or cannot be looked at), without parsing it: for files too big to keep
        parsed just to notice that another process replaced them."""
        try:
            return signature_of(os.stat(self._storage(name).path))
        except OSError:
            return None

    def describe(self) -> LibraryInfo:
        """The folder, its size on disk and each file's schema, for ``tracker info``; reads only."""
        return describe(self.folder, list(self.specs.values()))

    @contextmanager
    def one_moment(self) -> Iterator[None]:
        """Hold the writer lock while reading several files (an export): no write lands
        between two reads, so what they return belongs together. A folder where the lock
        cannot be taken (read-only, no lock file) is read as it is: nothing writes there."""
        stack = ExitStack()
        try:
            stack.enter_context(self._locked())
        except WriteFailed:
            pass
        with stack:
            yield

    # -- writing -----------------------------------------------------------------
    @contextmanager
    def transaction(self, *names: str) -> Iterator["Transaction"]:
        """Hold the lock, yield a ``Transaction`` over ``names``, commit them all or none."""
        for name in names:
            self.read(name)  # triggers migration / recovery / read-only detection
            if name in self.read_only:
                why = self.read_only[name]
                if why in self.notices:
                    self.notices.remove(why)  # the error says it: one line, not the same line twice
                raise ReadOnlyFile(why)
        with self._locked():
            if not self._cleaned:
                self._finish_commit()  # before cleaning: a journal's temps are not litter
                self._clean_litter()
                self._cleaned = True
            tx = Transaction({name: self.read(name) for name in names})
            yield tx
            self._commit({name: tx.changes[name] for name in names if tx.changes.get(name)})

    def _commit(self, changes: dict[str, dict[str, dict[str, Any]]]) -> None:
        if not changes:
            return
        new_data: dict[str, Data] = {}
        encoded: dict[str, Encoded] = {}
        for name, tables in changes.items():
            storage = self._storage(name)
            data, grown = merge(storage.read() or {}, tables)
            stamp_version(data, name, self.specs[name].version)
            new_data[name] = data
            encoded[name] = storage.encode(data, grown)  # before the backup's link touches the file
            self.backups.before_write(storage.path, name)
        if len(new_data) == 1:
            ((name, data),) = new_data.items()
            self._storage(name).commit(data, encoded[name])
            return
        storages = {name: self._storage(name) for name in new_data}
        try:
            commit_files(self.folder, [(storages[n].path, encoded[n].parts) for n in new_data])
        except Exception:
            for storage in storages.values():
                storage.forget()
            raise
        for name, data in new_data.items():
            storages[name].adopt(data, encoded[name].spans)

    # -- opening: schema, recovery -------------------------------------------------
    def _read_checked(self, name: str, storage: AtomicJSONStorage) -> Data | None:
        if pending(self.folder):  # another process died mid-commit, or is committing now
            with self._locked():
                self._finish_commit()
        try:
            data = storage.read()
        except Damaged as err:
            data = self._recover(name, storage, str(err))
        if data is None and self._checked.get(name) != storage.generation:
            data = self._recover_missing(name, storage)  # (looked at once each time the file goes)
        held = self._in_memory.get(name)
        if held is not None:
            if held[0] == storage.generation:
                return held[1]
            del self._in_memory[name]  # the file changed on disk: look at it afresh
            self.read_only.pop(name, None)
            self._checked.pop(name, None)
        if self._checked.get(name) != storage.generation:
            # Each version of the file, not only the first one read: a backup restored (an
            # older schema) or another tracker's write (a newer one) replaces it under us.
            data = self._check_version(name, storage, data)
            self._checked[name] = storage.generation
        return data

    def _check_version(self, name: str, storage: AtomicJSONStorage, data: Data | None) -> Data | None:
        spec = self.specs[name]
        version = version_of(data)
        if version is None or version == spec.version:
            self.read_only.pop(name, None)
            return data
        if version > spec.version:
            self._open_read_only(name, self._newer_message(name))
            return data
        try:
            with self._locked():
                upgraded = self._upgrade(name, storage)
        except WriteFailed as err:
            return self._upgrade_in_memory(name, storage, str(err))
        if version_of(upgraded) == spec.version:
            self.read_only.pop(name, None)
        return upgraded

    def _upgrade(self, name: str, storage: AtomicJSONStorage) -> Data | None:
        """Migrate the file on disk, keeping the old one in backups/ (under the lock)."""
        spec = self.specs[name]
        data, version, migrated = self._migrated(name, storage)
        if migrated is None or version is None:
            return data
        kept = self.backups.folder / f"{name}.schema{version}.json"
        try:
            self.backups.ensure_folder()
            if not kept.exists():
                self.backups.keep_copy(storage.path, kept)
        except OSError as err:
            raise WriteFailed(f"its backup cannot be kept ({self.backups.why(err)})") from err
        storage.commit(migrated)
        self.notices.append(
            f"{spec.filename}: upgraded from schema {version} to {spec.version}; "
            f"the old file is kept as {BACKUP_FOLDER}/{kept.name}"
        )
        return migrated

    def _upgrade_in_memory(self, name: str, storage: AtomicJSONStorage, why: str) -> Data | None:
        """The upgrade cannot be written (a read-only folder, say): serve it read-only, write nothing."""
        spec = self.specs[name]
        data, version, migrated = self._migrated(name, storage)
        if migrated is None or version is None:
            return data
        self._in_memory[name] = (storage.generation, migrated)
        self._open_read_only(
            name,
            f"{spec.filename} needs an upgrade from schema {version} to {spec.version} that cannot be "
            f"written ({why}): it is open read-only",
        )
        return migrated

    def _migrated(self, name: str, storage: AtomicJSONStorage) -> tuple[Data | None, int | None, Data | None]:
        """The file as read, its version, and its migrated form (None when it needs none or has none)."""
        spec = self.specs[name]
        data = storage.read()
        version = version_of(data)
        if data is None or version is None or version >= spec.version:
            return data, version, None
        try:
            return data, version, migrate(_deep_copy(data), spec)
        except MissingMigration as err:
            self._open_read_only(name, f"{err}: it is open read-only")
            return data, version, None

    def _open_read_only(self, name: str, why: str) -> None:
        if self.read_only.get(name) != why:  # (said once, however often the file is looked at again)
            self.notices.append(why)
        self.read_only[name] = why

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
        with self._locked():
            try:
                return storage.read()  # another process may have recovered it already
            except Damaged:
                pass
            aside = self.backups.aside_path(storage.path, "damaged")
            try:
                # A link (or copy) keeps the damaged bytes while readers go on seeing a whole
                # file, and a symlinked library file stays a symlink.
                self.backups.keep_copy(storage.path, aside)
                write_atomic(storage.path, good.read_bytes())
            except (OSError, WriteFailed) as err:
                # The damaged file is still in place: the copy kept aside is one more per
                # attempt (a full disk, a TUI that reads again every second) and the error
                # says nothing was changed.
                remove_quietly(aside)
                detail = reason(err, self.folder) if isinstance(err, OSError) else str(err)
                raise CorruptFile(
                    f"{spec.filename} is damaged ({why}) and the backup {good.name} cannot be restored: {detail}"
                ) from err
            storage.forget()
            self.restored.add(name)
            self.notices.append(
                f"{spec.filename} was damaged ({why}): kept it as {aside.name} and restored the "
                f"backup {good.name}; changes made after that backup are lost"
            )
            return storage.read()

    def _recover_missing(self, name: str, storage: AtomicJSONStorage) -> Data | None:
        """A file with a backup existed, and the store never removes one: gone, it was lost
        (a sync tool, a slip at the shell), not emptied. Restore the newest backup that
        parses rather than read it as empty and let the next write bury the loss."""
        spec = self.specs[name]
        good = next((b for b in self.backups.list(name) if _parses(b)), None)
        if good is None:
            return None
        with self._locked():
            data = storage.read()
            if data is not None:
                return data  # another process restored it (or wrote it) meanwhile
            try:
                write_atomic(storage.path, good.read_bytes())
            except (OSError, WriteFailed) as err:
                detail = reason(err, self.folder) if isinstance(err, OSError) else str(err)
                raise CorruptFile(
                    f"{spec.filename} is missing and the backup {good.name} cannot be restored: {detail}"
                ) from err
            self.restored.add(name)
            self.notices.append(
                f"{spec.filename} was missing: restored the backup {good.name}; changes made after "
                f"that backup are lost"
            )
            return storage.read()

    def _finish_commit(self) -> None:
        """Roll forward a commit another process left half-done (under the lock)."""
        result = roll_forward(self.folder)
        if result.notice:
            self.notices.append(result.notice)

    def _clean_litter(self) -> None:
        """Temp files of killed writers: in the folder, and beside symlinked files' targets."""
        clean_temp_files(self.folder)
        beside: dict[Path, set[str]] = {}
        for spec in self.specs.values():
            path = self.folder / spec.filename
            if os.path.islink(path):
                target = real_target(path)
                beside.setdefault(target.parent, set()).add(target.name)
        for folder, names in beside.items():
            clean_temp_files(folder, only_for=names)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """The writer lock, creating the folder first when this store may."""
        self._ensure_folder()
        with self._lock.held():
            yield

    def _holds_a_library(self) -> bool:
        """An existing folder is a library only when it holds one of its files (or a journal
        or backups to recover from): ``--library ~/Music`` is a mistake to say, not an empty library."""
        names = [spec.filename for spec in self.specs.values()] + [JOURNAL_NAME, BACKUP_FOLDER]
        for name in names:
            try:
                os.lstat(self.folder / name)
            except FileNotFoundError:
                continue
            except OSError as err:
                # A folder this user may not enter (made by another user, or with sudo) hides
                # its files: "no library here, import makes one" would be wrong twice over.
                raise UnreadableFile(f"cannot open the library at {self.folder}: {reason(err, self.folder)}") from err
            return True
        return False

    def _ensure_folder(self) -> None:
        if self.folder.is_dir():
            return
        if not self.create:
            raise NoLibrary(f"no library at {self.folder}")
        check_folder(self.folder, create=True)
        try:
            self.folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        except OSError as err:
            raise WriteFailed(f"cannot create the library folder {self.folder}: {reason(err, self.folder.parent)}") from err

    # -- plumbing ------------------------------------------------------------------
    def _storage(self, name: str) -> AtomicJSONStorage:
        storage = self._storages.get(name)
        if storage is None:
            if name not in self.specs:
                raise StoreError(f"unknown library file {name!r}")
            storage = self._storages[name] = AtomicJSONStorage(self.folder / self.specs[name].filename)
        return storage


def check_folder(folder: Path, create: bool) -> None:
    """Refuse a library path that is not a folder; a missing one only when not creating."""
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        link = _dangling_link(folder)
        if link is not None:
            # A library kept on a drive or in a synced folder that is not there now: not an
            # empty library to show (the TUI) nor one to make ("file exists"), nor "no library".
            raise UnreadableFile(
                f"cannot open the library at {folder}: {link} links to {os.readlink(link)}, which does "
                "not exist (a drive not mounted?)"
            ) from None
        if create:
            return
        raise NoLibrary(f"no library at {folder}") from None
    except NotADirectoryError:
        raise NotALibrary(f"{folder} is not a library folder: part of the path is a file") from None
    except OSError as err:
        raise UnreadableFile(f"cannot open the library at {folder}: {reason(err, folder)}") from err
    if not stat.S_ISDIR(st.st_mode):
        raise NotALibrary(f"{folder} is a file, not a library folder")


def _dangling_link(folder: Path) -> Path | None:
    """The symbolic link on the way to ``folder`` whose target is missing, if there is one."""
    for path in (folder, *folder.parents):
        if os.path.islink(path) and not os.path.exists(path):
            return path
    return None


_EMPTY: dict[str, Any] = {}  # shared and never mutated: a missing table reads the same each time


def _parses(path: Path) -> bool:
    try:
        parse(path.read_bytes())
    except (Damaged, OSError):
        return False
    return True


def _deep_copy(data: Data) -> Data:
    return orjson.loads(orjson.dumps(data))
