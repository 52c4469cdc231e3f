"""The layout reads as the data flow: subpackages by role, imports only downwards, no cycles.

The import graph is read from the source with ``ast`` (imports inside functions count), so a
cycle or an upward import fails here however it is hidden.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "src" / "edugraph"

# Layers, lowest first: a module may import its own layer's modules and those of lower layers.
# build and query share a layer but never import each other: the build hands the query side a
# callable that compiles the graph.
LAYERS: dict[str, int] = {
    "edugraph": 0, "edugraph.errors": 0, "edugraph.files": 0, "edugraph.formats": 0,
    "edugraph.netguard": 0, "edugraph.outputs": 0,
    "edugraph.vocab": 1,
    "edugraph.model": 2,
    "edugraph.build": 3, "edugraph.query": 3,
    "edugraph.explore": 4,
    "edugraph.render": 5,
    "edugraph.cli": 6,
    "edugraph.__main__": 7,
}
SIBLINGS_APART = {("edugraph.build", "edugraph.query"), ("edugraph.query", "edugraph.build")}
MAX_LINES = 400


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    names: tuple[str, ...]
    line: int
    in_function: bool


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                found.extend(Import(name, alias.name, (), child.lineno, in_function)
                             for alias in child.names if alias.name.split(".")[0] == "edugraph")
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")[: len(package.split(".")) - child.level + 1]
                    target = ".".join([*base, *([child.module] if child.module else [])])
                else:
                    target = child.module or ""
                if target.split(".")[0] == "edugraph":
                    found.append(Import(name, target, tuple(a.name for a in child.names), child.lineno,
                                        in_function))
            visit(child, nested)

    visit(tree, False)
    return found


def resolved(imp: Import, known: dict[str, Path]) -> list[str]:
    """The edugraph modules an import loads (``from edugraph.x import y`` may name a module y)."""
    out = [imp.imported] if imp.imported in known else []
    out += [f"{imp.imported}.{n}" for n in imp.names if f"{imp.imported}.{n}" in known]
    return out or [imp.imported]


def layer(module: str) -> tuple[str, int]:
    for prefix in sorted(LAYERS, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return prefix, LAYERS[prefix]
    raise AssertionError(f"{module} belongs to no layer; add its package to LAYERS")


ALL = modules()
IMPORTS = [imp for name, path in ALL.items() for imp in imports_of(name, path)]


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {name: set() for name in ALL}
    for imp in IMPORTS:
        for target in resolved(imp, ALL):
            if target in ALL and target != imp.importer:
                edges[imp.importer].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                strong(w)
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

    for v in sorted(edges):
        if v not in index:
            strong(v)
    return found


def test_every_module_belongs_to_a_layer() -> None:
    for name in ALL:
        layer(name)


def test_no_import_cycle() -> None:
    assert cycles(graph()) == []


def test_cycles_are_found() -> None:
    # The check itself: a cycle of three and a self-contained pair are found, a chain is not.
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"e"}, "e": set(), "f": {"g"}, "g": {"f"}}
    assert cycles(edges) == [["a", "b", "c"], ["f", "g"]]


def test_imports_go_only_downwards() -> None:
    upward = []
    for imp in IMPORTS:
        (own, mine) = layer(imp.importer)
        for target in resolved(imp, ALL):
            (theirs, rank) = layer(target)
            if rank > mine or (own, theirs) in SIBLINGS_APART:
                upward.append(f"{imp.importer}:{imp.line} imports {target}")
    assert upward == []


def test_nothing_imports_the_cli_top() -> None:
    # Command modules register on edugraph.cli.app; only the console script (edugraph.cli.quick,
    # for what it does not answer itself) and the table derived from the app import the top
    # (edugraph.cli.main), and the package's own __init__ imports nothing.
    importers = sorted({imp.importer for imp in IMPORTS if "edugraph.cli.main" in resolved(imp, ALL)})
    assert importers == ["edugraph.cli.quick", "edugraph.cli.quicktable"]
    assert [imp for imp in IMPORTS if imp.importer == "edugraph.cli"] == []


def test_library_imports_sit_at_module_level() -> None:
    # Only the command modules import the library inside a command, so that `edugraph --help`
    # loads no RDF library.
    inside = [f"{imp.importer}:{imp.line} imports {imp.imported}" for imp in IMPORTS
              if imp.in_function and layer(imp.importer)[0] != "edugraph.cli"]
    assert inside == []


def test_no_private_name_crosses_modules() -> None:
    private = [f"{imp.importer}:{imp.line} imports {n} from {imp.imported}" for imp in IMPORTS
               for n in imp.names if n.startswith("_") and n != "__version__"]
    assert private == []


def test_only_the_cli_imports_typer_and_rich() -> None:
    offenders = []
    for name, path in ALL.items():
        if layer(name)[0] in ("edugraph.cli", "edugraph.__main__"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                roots = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                roots = [(node.module or "").split(".")[0]]
            else:
                continue
            offenders += [f"{name}:{node.lineno} imports {r}" for r in roots if r in ("typer", "rich", "click")]
    assert offenders == []


@pytest.mark.parametrize("name", sorted(ALL))
def test_no_module_over_400_lines(name: str) -> None:
    lines = len(ALL[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{ALL[name].relative_to(ROOT)} has {lines} lines"


def test_every_public_function_is_typed() -> None:
    untyped = []
    for name, path in ALL.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        scopes: list[tuple[str, ast.AST]] = [("", tree)]
        scopes += [(f"{c.name}.", c) for c in tree.body if isinstance(c, ast.ClassDef) and not c.name.startswith("_")]
        for prefix, scope in scopes:
            for fn in getattr(scope, "body", []):
                if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                if fn.name.startswith("_") and not (fn.name.startswith("__") and fn.name.endswith("__")):
                    continue
                params = [a for a in (*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs)
                          if a.arg not in ("self", "cls")]
                params += [a for a in (fn.args.vararg, fn.args.kwarg) if a is not None]
                if any(a.annotation is None for a in params) or (fn.returns is None and fn.name != "__init__"):
                    untyped.append(f"{name}.{prefix}{fn.name}")
    assert untyped == []


def test_the_readme_layout_names_every_module() -> None:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Layout\n", 1)[1].split("\n## ", 1)[0]
    listed = section.split("```\n", 2)[1]
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.name == "__init__.py" or relative.name == "__main__.py":
            continue
        shown = relative.as_posix() if len(relative.parts) < 3 else relative.name
        if shown not in listed:
            missing.append(relative.as_posix())
    assert missing == []
