"""The project's import graph, read from the source with `ast` (nothing is imported), and the layering it must keep.

Bottom to top: `contract` (plain data: names, labels, taints, version pins) imports nothing of the project;
`stacks` (synthesis) and `bootstrap` (tools, cluster) each import only `contract`, never each other; the
local-environment runner `localenv`, the load tests and the e2e suite sit above them, and the checks of the
synthesized stacks (`stackcheck`) above `bootstrap` (they read synthesized JSON, never `stacks`). Every import
counts, including one inside a function (a lazy import is still a dependency), except those under
`if TYPE_CHECKING:`, which never run.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

# Which project packages each one may import (besides itself). Anything not listed here is not checked.
ALLOWED = {
    "contract": set(),
    "stacks": {"contract"},
    "bootstrap": {"contract"},
    "localenv": {"contract", "stacks", "bootstrap"},
    "loadtests": {"contract", "stacks", "bootstrap"},
    "e2e": {"contract", "stacks", "bootstrap", "localenv", "loadtests"},
    "main": {"stacks"},
    "pipelines": {"contract", "stacks"},  # the workflows' helpers read the environment model
    # The checks of the synthesized stacks read the synthesized JSON, never `stacks`; they run the pinned binaries,
    # the providers built and OpenTofu through bootstrap.
    "stackcheck": {"contract", "bootstrap"},
}


@dataclass(frozen=True)
class Edge:
    source: str  # importing module, dotted
    target: str  # imported project module, dotted
    file: str  # the importing file, relative to the root
    line: int

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules(root: Path) -> dict[str, Path]:
    """Every module of the packages ALLOWED names (plus main.py), by dotted name."""
    found = {}
    for package in ALLOWED:
        single = root / f"{package}.py"
        if single.is_file():
            found[package] = single
        for path in (root / package).rglob("*.py") if (root / package).is_dir() else ():
            found[module_name(root, path)] = path
    return found


def _resolve(importer: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".") if is_package else importer.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def runtime_nodes(tree: ast.AST):
    """Every node except the bodies of `if TYPE_CHECKING:` blocks."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING":
            yield from (child for orelse in node.orelse for child in (orelse, *runtime_nodes(orelse)))
            continue
        yield node
        yield from runtime_nodes(node)


def imports(root: Path) -> list[Edge]:
    """Every import of a project module by a project module."""
    modules = project_modules(root)
    edges = []
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in runtime_nodes(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(name, is_package, node)
                # `from package import module` names a module; `from module import thing` names the module.
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names
                ]
            else:
                continue
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]  # `import a.b.c` of a non-module attribute: its module
                if target and target != name:
                    edges.append(Edge(name, target, str(path.relative_to(root)), node.lineno))
    return edges


def layer_violations(edges: list[Edge]) -> list[str]:
    wrong = []
    for edge in edges:
        source, target = edge.source.split(".")[0], edge.target.split(".")[0]
        if source != target and source in ALLOWED and target not in ALLOWED[source]:
            wrong.append(
                f"{edge.where} imports {edge.target}: {source} may import only "
                f"{', '.join(sorted(ALLOWED[source])) or 'nothing of the project'}"
            )
    return wrong


def cycles(edges: list[Edge]) -> list[list[str]]:
    """Each import cycle once, as the modules around it (depth-first search over the module graph)."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.source, set()).add(edge.target)
    found, seen, state = [], set(), {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = "open"
        stack.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                loop = stack[stack.index(target) :]
                key = frozenset(loop)
                if key not in seen:
                    seen.add(key)
                    found.append(loop + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module)
    return found
