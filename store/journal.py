"""Atomic commits that span several files.

Each new file is first written in full beside its target and fsynced; then a
journal naming every (temp, target) pair is written atomically; then the temps
are renamed over their targets and the journal removed. A crash before the
journal exists leaves the old files; a crash after it is rolled forward by the
next process that opens the library. Either way a reader ends up with all of a
transaction or none of it.

The journal is input like any file on disk: it is applied only when it has the
shape this module writes and names only the store's own temp files and plain
library file names, so it can never move a file into or out of the folder. Any
other journal is kept aside, none of it applied, and the store says so.
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from .atomic import Pieces, fsync_dir, real_target, reason, remove_quietly, stage_many, temp_target, write_atomic
from .errors import WriteFailed

JOURNAL_NAME = ".journal"
MAX_JOURNAL_BYTES = 1 << 20  # a journal names a few dozen files: anything bigger is not ours
MAX_NAME = 255


class BadJournal(Exception):
    """The journal is not one the store wrote (internal: it is kept aside)."""


@dataclass
class RollForward:
    """What finishing a commit did: the files renamed, and a line for the user if any."""

    renamed: list[str] = field(default_factory=list)
    notice: str | None = None


def commit_files(folder: Path, files: "list[tuple[Path, bytes | Pieces]]") -> None:
    """Replace every ``path`` (a file directly in ``folder``) with its bytes, all or nothing."""
    temps = stage_many([(real_target(path), data) for path, data in files])
    staged = [(tmp, path) for tmp, (path, _) in zip(temps, files)]
    journal = folder / JOURNAL_NAME
    try:
        write_atomic(journal, orjson.dumps([[tmp.name, path.name] for tmp, path in staged]))
    except Exception:
        for tmp, _ in staged:
            remove_quietly(tmp)
        raise
    roll_forward(folder)


def pending(folder: Path) -> bool:
    return os.path.lexists(folder / JOURNAL_NAME)


def roll_forward(folder: Path) -> RollForward:
    """Finish a journalled commit (call under the writer lock)."""
    journal = folder / JOURNAL_NAME
    try:
        pairs = read_journal(folder)
    except FileNotFoundError:
        return RollForward()
    except BadJournal as err:
        return RollForward(notice=set_aside(journal, str(err)))
    done = []
    try:
        for tmp, target in pairs:
            if os.path.lexists(tmp):
                os.replace(tmp, target)
                done.append(target.name)
        fsync_dir(folder)
        # No fsync after this: should the unlink be lost in a crash, the journal is replayed,
        # finds every temp renamed already, and does nothing. One fsync less per commit.
        journal.unlink()
    except OSError as err:
        raise WriteFailed(
            f"an interrupted commit in {folder} cannot be finished ({reason(err, folder)}); "
            "make the folder writable and run tracker again"
        ) from err
    return RollForward(renamed=done)


def read_journal(folder: Path) -> list[tuple[Path, Path]]:
    """The (temp, target) paths a journal names; ``BadJournal`` unless it is one of ours."""
    journal = folder / JOURNAL_NAME
    st = os.lstat(journal)
    if not stat.S_ISREG(st.st_mode):
        raise BadJournal("it is not a regular file")
    if st.st_size > MAX_JOURNAL_BYTES:
        raise BadJournal("it is too large")
    try:
        raw = orjson.loads(journal.read_bytes())
    except orjson.JSONDecodeError:
        raise BadJournal("it is not valid JSON") from None
    if not isinstance(raw, list):
        raise BadJournal("it is not a list of files")
    pairs: list[tuple[Path, Path]] = []
    targets: set[str] = set()
    for item in raw:
        if not (isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item)):
            raise BadJournal("an entry is not a (temp, target) pair of names")
        tmp_name, target_name = item
        if not plain_library_name(target_name) or target_name in targets:
            raise BadJournal(f"it names {target_name[:80]!r}, which is not a library file")
        targets.add(target_name)
        target = real_target(folder / target_name)
        if temp_target(tmp_name) != target.name:
            raise BadJournal(f"it names {tmp_name[:80]!r}, which is not a temp file of the store")
        tmp = target.parent / tmp_name
        try:
            if not stat.S_ISREG(os.lstat(tmp).st_mode):
                raise BadJournal(f"{tmp_name[:80]!r} is not a regular file")
        except FileNotFoundError:
            pass  # renamed already: a roll-forward that was itself interrupted
        pairs.append((tmp, target))
    return pairs


def plain_library_name(name: str) -> bool:
    """A file name directly in the folder, not hidden, of the kind the store writes."""
    return (
        0 < len(name) <= MAX_NAME
        and name.endswith(".json")
        and not name.startswith(".")
        and "/" not in name
        and "\\" not in name
        and "\x00" not in name
    )


def set_aside(journal: Path, why: str) -> str:
    """Keep a journal the store did not write, apply none of it, and say so once."""
    aside = journal.with_name(f"journal.rejected-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}")
    try:
        os.rename(journal, aside)
    except OSError as err:
        raise WriteFailed(
            f"{journal.parent} holds a commit journal the store did not write ({why}), and it cannot "
            f"be moved aside ({reason(err, journal.parent)}); move {journal.name} away by hand"
        ) from err
    return (
        f"the library's commit journal was not one tracker writes ({why}): none of it was applied, "
        f"and it is kept as {aside.name}"
    )
