"""The package's shape: no import cycles (imports inside functions count), modules and
functions short enough to hold one concern.

Run as a script (``python tests/test_layout.py``) it prints every cycle, long module and long
function instead of stopping at the first.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "segkit"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 100


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name."""
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path, name: str, known: set[str]) -> set[str]:
    """The package's modules that ``name`` imports anywhere in its body, functions included, with
    the packages that hold them (their ``__init__`` runs first)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from segkit import io` imports the module segkit.io; `from segkit.io import x` the package
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name and target != "segkit":
                found.add(target)  # a submodule importing its own package's __init__ counts too
            # importing segkit.report.outputs runs segkit/report/__init__.py first
            parent = target.rpartition(".")[0]
            while parent and parent != "segkit":
                if not name.startswith(parent + "."):
                    found.add(parent)
                parent = parent.rpartition(".")[0]
    return found


def import_graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: _imports(path, name, known) for name, path in found.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
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
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def long_modules() -> list[str]:
    return [f"{name}: {n} lines" for name, path in modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES]


def function_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines of a function's code: its signature and body, its docstring left out (docstrings
    with examples are wanted, and say nothing of how much the function does)."""
    body = node.body
    doc = body[0] if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
        and isinstance(body[0].value.value, str) else None
    lines = node.end_lineno - node.lineno + 1
    return lines - (doc.end_lineno - doc.lineno + 1 if doc is not None else 0)


def long_functions() -> list[str]:
    out = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = function_lines(node)
                if n > MAX_FUNCTION_LINES:
                    out.append(f"{name}.{node.name}: {n} lines")
    return out


def test_no_import_cycles():
    assert cycles(import_graph()) == []


def test_no_module_holds_more_than_one_concern_by_length():
    assert long_modules() == []


def test_no_function_is_too_long_to_read():
    assert long_functions() == []


if __name__ == "__main__":
    problems = [f"cycle: {' -> '.join(c)}" for c in cycles(import_graph())] + long_modules() + long_functions()
    print("\n".join(problems) or "ok")
    sys.exit(1 if problems else 0)
