"""The shape of the code: no import cycles between backcoach's parts, and the layers of
docs/architecture.md kept (domain <- records <- services <- app <- cli/web).

The import graph is grimp's, built from the source: every import counts, including those
inside functions and under ``TYPE_CHECKING``, so a cycle cannot hide in a function body.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from itertools import pairwise
from pathlib import Path

import grimp
import pytest

PACKAGE = "backcoach"

DOMAIN = ("catalogue", "body", "safety", "planning", "session", "motion")
LAYERS: dict[str, tuple[str, ...]] = {
    **{part: ("records", "reports", "services", "app", "jobs", "cli", "web") for part in DOMAIN},
    "services": ("app", "cli", "web"),
    "records": ("services", "reports", "app", "cli", "web"),
    "reports": ("services", "app", "jobs", "cli", "web"),
    "jobs": ("app", "cli", "web"),
    "app": ("cli", "web"),
}
"""What each part never imports (DESIGN.md "Packages"; docs/architecture.md)."""


def part_graph(graph: grimp.ImportGraph, package: str) -> dict[str, set[str]]:
    """Which of the package's parts (its subpackages and top-level modules) import which."""
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        importer = _part(module, package)
        if importer is None:
            continue
        edges.setdefault(importer, set())
        for imported in graph.find_modules_directly_imported_by(module):
            target = _part(imported, package)
            if target is not None and target != importer:
                edges[importer].add(target)
    return edges


def _part(module: str, package: str) -> str | None:
    names = module.split(".")
    if names[0] != package or len(names) < 2:
        return None
    return names[1]


def cycles(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Every group of parts that import each other (strongly connected, more than one part),
    as a closed chain ``a -> b -> ... -> a`` through the group (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return [_closed_chain(edges, group) for group in groups]


def _closed_chain(edges: Mapping[str, Iterable[str]], group: set[str]) -> list[str]:
    """A shortest way from the group's first part back to itself, inside the group."""
    start = min(group)
    paths = {nxt: [start, nxt] for nxt in sorted(edges.get(start, ())) if nxt in group}
    while start not in paths:
        grown: dict[str, list[str]] = {}
        for node, path in paths.items():
            for nxt in sorted(edges.get(node, ())):
                if nxt in group and nxt not in paths and nxt not in grown:
                    grown[nxt] = [*path, nxt]
        paths.update(grown)
    return paths[start]


def explain(graph: grimp.ImportGraph, package: str, chain: list[str]) -> str:
    """The chain of parts with, for each step, one module import that makes it."""
    lines = [" -> ".join(chain)]
    for importer, imported in pairwise(chain):
        found = graph.find_shortest_chain(
            importer=f"{package}.{importer}", imported=f"{package}.{imported}", as_packages=True
        )
        lines.append(f"  {importer} -> {imported}: {' -> '.join(found or ())}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(PACKAGE, cache_dir=None)


def test_no_cycle_between_the_parts(graph: grimp.ImportGraph) -> None:
    found = cycles(part_graph(graph, PACKAGE))
    assert not found, "import cycles:\n" + "\n".join(
        explain(graph, PACKAGE, chain) for chain in found
    )


@pytest.mark.parametrize("part", sorted(LAYERS))
def test_each_layer_imports_only_inward(graph: grimp.ImportGraph, part: str) -> None:
    if part not in part_graph(graph, PACKAGE):
        pytest.skip(f"backcoach.{part} does not exist yet")
    wrong = []
    for forbidden in LAYERS[part]:
        found = graph.find_shortest_chain(
            importer=f"{PACKAGE}.{part}", imported=f"{PACKAGE}.{forbidden}", as_packages=True
        )
        direct = graph.direct_import_exists(
            importer=f"{PACKAGE}.{part}", imported=f"{PACKAGE}.{forbidden}", as_packages=True
        )
        if direct:
            wrong.append(f"{part} imports {forbidden}: {' -> '.join(found or ())}")
    assert not wrong, "\n".join(wrong)


def test_the_checker_reports_a_cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A throwaway package whose parts import each other (one of them inside a function) is
    reported, with the chain named; one without a cycle is not."""
    root = tmp_path / "cyclic"
    for part in ("alpha", "beta", "gamma"):
        (root / part).mkdir(parents=True)
        (root / part / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "alpha" / "one.py").write_text("from cyclic.beta import two\n")
    (root / "beta" / "two.py").write_text("def later():\n    from cyclic.gamma import three\n")
    (root / "gamma" / "three.py").write_text("import cyclic.alpha.one\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    found = grimp.build_graph("cyclic", cache_dir=None)
    chains = cycles(part_graph(found, "cyclic"))
    assert chains == [["alpha", "beta", "gamma", "alpha"]]
    assert "cyclic.beta.two -> cyclic.gamma.three" in explain(found, "cyclic", chains[0])

    (root / "gamma" / "three.py").write_text("import json\n")
    sys.modules.pop("cyclic", None)
    assert cycles(part_graph(grimp.build_graph("cyclic", cache_dir=None), "cyclic")) == []
