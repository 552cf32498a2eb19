"""The package's shape: folders that are the layers, imports that only go down, no import circles,
small modules. Read from the source (imports inside functions and under TYPE_CHECKING count too)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "altcraft_contract"

# Each layer and the layers it may import (itself included). The reference endpoint stands beside
# the suite: the checks and the scenarios never import it (a shared mistake could not show), and it
# never imports them.
MAY_IMPORT: dict[str, set[str]] = {
    "base": {"base"},
    "contract": {"base", "contract"},
    "wire": {"base", "contract", "wire"},
    "reference": {"base", "contract", "wire", "reference"},
    "checks": {"base", "contract", "wire", "checks"},
    "run": {"base", "contract", "wire", "reference", "checks", "run"},
    "scenarios": {"base", "contract", "wire", "checks", "run", "scenarios"},
    "reports": {"base", "contract", "wire", "reference", "checks", "run", "scenarios", "reports"},
    "frontends": {"base", "contract", "wire", "reference", "checks", "run", "scenarios", "reports", "frontends"},
}
# A file of an endpoint folder belongs to the layer its name says.
ENDPOINT_FILES = {"__init__": "contract", "base": "contract", "model": "contract", "reference": "reference",
                  "faults": "reference", "checks": "checks", "consistency": "checks", "steps": "scenarios",
                  "scenarios": "scenarios", "machine": "scenarios", "depth": "scenarios", "choices": "scenarios",
                  "baseline": "reports"}
# The modules loose at the top: the package, its one-line errors, and stable names users type
# (``python -m altcraft_contract.mutation``, the pytest plugin, schemathesis' hooks).
LOOSE = {"altcraft_contract": "base", "altcraft_contract.errors": "base", "altcraft_contract.__main__": "frontends",
         "altcraft_contract.pytest_plugin": "frontends", "altcraft_contract.st_checks": "frontends",
         "altcraft_contract.mutation": "frontends", "altcraft_contract.contract_doc": "frontends"}


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


MODULES = _modules()


def layer_of(name: str) -> str:
    if name in LOOSE:
        return LOOSE[name]
    parts = name.split(".")
    if parts[1] == "endpoints":
        return ENDPOINT_FILES[parts[-1] if len(parts) > 3 or parts[-1] == "base" else "__init__"]
    return parts[1]


def imports_of(name: str) -> set[str]:
    """Every module of the package that ``name`` imports, with the packages each import passes through."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in MODULES else mod for a in node.names]
        elif isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            continue
        for t in targets:
            parts = t.split(".")
            for k in range(1, len(parts) + 1):
                anc = ".".join(parts[:k])
                if anc in MODULES and anc != name and not name.startswith(anc + "."):
                    found.add(anc)
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def test_every_module_has_a_layer() -> None:
    assert {name: layer_of(name) for name in MODULES if layer_of(name) not in MAY_IMPORT} == {}


def climbs(graph: dict[str, set[str]]) -> list[str]:
    return sorted(f"{name} ({layer_of(name)}) imports {t} ({layer_of(t)})"
                  for name, targets in graph.items() for t in targets if layer_of(t) not in MAY_IMPORT[layer_of(name)])


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles of ``graph``: its strongly connected components of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, set()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_imports_only_go_down_the_layers() -> None:
    assert climbs(GRAPH) == []


def test_there_are_no_import_circles() -> None:
    assert circles(GRAPH) == []


def test_few_modules_lie_loose_and_none_is_long() -> None:
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(loose) <= 8, loose
    long = {str(p.relative_to(PACKAGE.parent)): n for p in [*PACKAGE.rglob("*.py"), *PACKAGE.parent.glob("tests/**/*.py")]
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}


def test_the_layers_are_folders() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    assert folders == set(MAY_IMPORT) - {"base"} | {"endpoints"}


def test_a_climb_and_a_circle_are_found() -> None:
    """The rules are not vacuous: the circle the package once had (client -> gate -> failures ->
    client) and the climb in it are both found."""
    old = {"altcraft_contract.wire.client": {"altcraft_contract.wire.gate"},
           "altcraft_contract.wire.gate": {"altcraft_contract.checks.failures"},
           "altcraft_contract.checks.failures": {"altcraft_contract.wire.client"}}
    assert circles(old) == [sorted(old)]
    assert climbs(old) == ["altcraft_contract.wire.gate (wire) imports altcraft_contract.checks.failures (checks)"]
    assert climbs({"altcraft_contract.checks.base": {"altcraft_contract.reference.data"}}) != []


def _global_random_calls(tree: ast.AST) -> list[int]:
    """Lines that call a function of the ``random`` module itself (``random.shuffle``, ...), not of a
    ``random.Random`` of its own."""
    return [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
            and isinstance(n.func.value, ast.Name) and n.func.value.id == "random" and n.func.attr != "Random"]


def test_nothing_in_the_package_draws_from_the_global_random() -> None:
    """Hypothesis watches the global generator while a strategy runs: a server thread of the embedded
    endpoint that shuffled with it made Hypothesis call the suite's own scenarios flaky."""
    found = {str(p.relative_to(PACKAGE)): lines for p in PACKAGE.rglob("*.py")
             if (lines := _global_random_calls(ast.parse(p.read_text(encoding="utf-8"))))}
    assert found == {}
    assert _global_random_calls(ast.parse("import random\nrandom.shuffle(x)\nrandom.Random().shuffle(x)")) == [2]


def test_every_scenario_family_has_a_file_in_contract_tests() -> None:
    """A scenario whose family no ``scenario_params`` of contract_tests/ names is never collected."""
    import re

    from altcraft_contract.scenarios.all import all_scenarios

    root = Path(__file__).resolve().parents[1] / "contract_tests"
    named = "".join(m for f in root.glob("test_*.py") for m in re.findall(r'scenario_params\("([A-Z]+)"\)', f.read_text()))
    assert {s.clause[0] for s in all_scenarios()} <= set(named)
