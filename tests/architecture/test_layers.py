"""Imports point one way: down the layers of the design map, with no cycle.

Every import is counted, function-level ones included, so a cycle cannot hide
inside a function body.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("store", "tracker")

# What each area may import, besides itself. An area is `store` or `tracker.<name>`.
ALLOWED: dict[str, set[str]] = {
    "store": set(),
    "tracker": set(),  # the package's own __init__ (the version)
    "tracker.locations": set(),
    "tracker.dates": set(),
    "tracker.deadline": set(),
    "tracker.model": {"store", "tracker"},
    "tracker.chapters": {"tracker.model"},
    "tracker.exchange": {"tracker.model", "tracker.chapters", "tracker", "store"},
    "tracker.importers": {"tracker.model", "tracker.chapters", "tracker.exchange", "tracker.dates", "tracker.deadline", "tracker"},
    "tracker.playback": {"tracker.model", "tracker.chapters", "tracker.locations"},
    "tracker.sync": {"store", "tracker.model", "tracker.exchange", "tracker.importers", "tracker.locations", "tracker.deadline", "tracker"},
    "tracker.demo": {"tracker.model", "tracker.importers"},
    "tracker.tui": {
        "store", "tracker", "tracker.model", "tracker.chapters", "tracker.importers", "tracker.exchange",
        "tracker.playback", "tracker.sync", "tracker.demo", "tracker.locations", "tracker.dates",
    },
    "tracker.cli": {
        "store", "tracker", "tracker.model", "tracker.chapters", "tracker.importers", "tracker.exchange",
        "tracker.playback", "tracker.sync", "tracker.demo", "tracker.locations", "tracker.dates", "tracker.tui",
    },
    "tracker.__main__": {"tracker.cli"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[module_name(path)] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Every project module ``name`` imports, at any depth of its body."""
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base if is_package else base[:-1]
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            targets = [prefix] + [f"{prefix}.{alias.name}" for alias in node.names]
        for target in targets:
            # the longest known module this names (``from . import x`` may name a module)
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                out.add(target)
    return out


def area(module: str) -> str:
    if module.startswith("store"):
        return "store"
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else parts[0]


GRAPH = {name: imports_of(name, path, set(modules())) for name, path in modules().items()}


def test_every_area_is_known() -> None:
    unknown = sorted({area(m) for m in GRAPH} - set(ALLOWED))
    assert not unknown, f"add these areas to the layer map: {unknown}"


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_point_down(module: str) -> None:
    mine = area(module)
    wrong = sorted(t for t in GRAPH[module] if area(t) != mine and area(t) not in ALLOWED.get(mine, set()))
    assert not wrong, f"{module} imports upward or sideways: {wrong}"


def test_no_import_cycle() -> None:
    # Tarjan's strongly connected components; a component of two or more is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH.get(v, ()):
            if w not in GRAPH:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    assert not cycles, f"import cycles: {cycles}"


def test_the_checker_sees_function_level_imports(tmp_path: Path) -> None:
    """The walker must not miss an import hidden in a function (the way cycles hid)."""
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from tracker.cli import main\n")
    found = imports_of("tracker.model.m", module, {"tracker.cli.main", "tracker.cli"})
    assert found == {"tracker.cli", "tracker.cli.main"}
