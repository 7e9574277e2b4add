"""The layout shows the architecture: no import cycles, lower layers never import upper ones,
one search package that depends on nothing above it, modules of a readable size."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "ideapankki"
MAX_LINES = 300
# Below the web and the CLI; they may import one another, never upwards.
LOWER = ("ideapankki.models", "ideapankki.config", "ideapankki.reference", "ideapankki.changes",
         "ideapankki.db_reads")
SEARCH_MAY_IMPORT = LOWER + ("ideapankki.search",)


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Every ideapankki module NAME imports, at the top or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[:len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                full = f"{module}.{alias.name}"
                found.add(full if full in MODULES else module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
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
                found.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles():
    # A package's __init__ importing its own modules is wiring, not a cycle, as long as they do
    # not import it back; function-level imports count too: a late import is still a cycle.
    assert _cycles() == []


def test_the_search_package_depends_on_nothing_above_it():
    outside = {(name, target) for name, targets in GRAPH.items() if name.startswith("ideapankki.search")
               for target in targets if not target.startswith(SEARCH_MAY_IMPORT)}
    assert outside == set()


def test_only_the_web_layer_and_the_composition_root_import_the_web():
    importers = {name for name, targets in GRAPH.items() for target in targets
                 if target.startswith("ideapankki.web") and not name.startswith("ideapankki.web")}
    assert importers <= {"ideapankki", "ideapankki.cli"}


def test_the_serving_layer_knows_no_view():
    """web/serving wraps whatever views there are: the middleware never imports one."""
    crossing = {(name, target) for name, targets in GRAPH.items() if name.startswith("ideapankki.web.serving")
                for target in targets if target.startswith("ideapankki.web.views")}
    assert crossing == set()


def test_one_search_module():
    searches = ({path.stem for path in PACKAGE.rglob("search*.py")}
                | {path.name for path in PACKAGE.rglob("search*") if path.is_dir()})
    assert searches <= {"search"}, "search lives in the ideapankki.search package (the web's page is views/search.py)"


def test_modules_are_a_readable_size():
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in MODULES.items()}
    long = {name: n for name, n in sizes.items() if n > MAX_LINES}
    assert long == {}
