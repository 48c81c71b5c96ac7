"""Fault injection for the store's tests: a folder the operating system refuses to change.

Tests run as root on CI, and root ignores file modes, so a read-only folder is
simulated where the store meets the OS: every call that would change something
under the folder fails as a read-only file system (or a denied permission) does.
"""

from __future__ import annotations

import builtins
import errno
import os
from pathlib import Path
from typing import Any

import pytest

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def refuse_changes(monkeypatch: pytest.MonkeyPatch, folder: Path, code: int = errno.EROFS) -> None:
    """From now on, nothing under ``folder`` can be created, replaced, linked or removed."""
    root = os.path.realpath(folder)

    def inside(path: Any) -> bool:
        if isinstance(path, int):
            return False
        real = os.path.realpath(os.fspath(path))
        return real == root or real.startswith(root + os.sep)

    def refuse(path: Any) -> None:
        raise OSError(code, os.strerror(code), os.fspath(path))

    real_open, real_builtin_open = os.open, builtins.open

    def fake_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & WRITE_FLAGS and inside(path):
            refuse(path)
        return real_open(path, flags, *args, **kwargs)

    def fake_builtin_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if any(c in mode for c in "wax+") and inside(file):
            refuse(file)
        return real_builtin_open(file, mode, *args, **kwargs)

    def two_paths(real: Any) -> Any:
        def guarded(src: Any, dst: Any, *args: Any, **kwargs: Any) -> Any:
            if inside(src) or inside(dst):
                refuse(dst)
            return real(src, dst, *args, **kwargs)

        return guarded

    def one_path(real: Any) -> Any:
        def guarded(path: Any, *args: Any, **kwargs: Any) -> Any:
            if inside(path):
                refuse(path)
            return real(path, *args, **kwargs)

        return guarded

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(builtins, "open", fake_builtin_open)
    for name in ("replace", "rename", "link", "symlink"):
        monkeypatch.setattr(os, name, two_paths(getattr(os, name)))
    for name in ("unlink", "remove", "mkdir", "rmdir", "chmod"):
        monkeypatch.setattr(os, name, one_path(getattr(os, name)))
