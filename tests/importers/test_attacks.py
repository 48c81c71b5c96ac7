"""Entity attacks are refused fast and cheaply, and nothing is stored."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from tests import feeds
from tracker.importers.service import import_sources
from tracker.model.library import Library

ATTACKS = {
    "billion laughs": feeds.BILLION_LAUGHS,
    "quadratic blowup": feeds.quadratic_blowup(),
    "external entity": feeds.EXTERNAL_ENTITY,
    "external dtd": feeds.EXTERNAL_DTD,
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_attack_is_refused_in_under_a_second_and_100_mb(tmp_path: Path, name: str) -> None:
    path = tmp_path / "attack.xml"
    path.write_bytes(ATTACKS[name])
    library = Library(tmp_path / "lib")
    tracemalloc.start()
    started = time.perf_counter()
    (o,) = import_sources(library, [str(path)])
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert not o.ok
    assert "refused" in o.message or "malformed" in o.message or "undefined entity" in o.message
    assert "root:" not in o.message  # nothing of /etc/passwd leaks
    assert elapsed < 1.0, f"{name} took {elapsed:.2f} s"
    assert peak < 100 * 1024 * 1024, f"{name} peaked at {peak / 1e6:.0f} MB"
    assert library.episodes() == {} and library.shows() == {}
