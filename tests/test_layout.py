"""The package's shape: stages that import only forward, small modules and functions.

The layers, lowest first (docs/design.md draws them). A module may import its own
layer and those below, never one above, and no two modules import each other, even
through others. Imports under `if TYPE_CHECKING:` count too: a type named from a
higher stage is a sign the code is in the wrong place.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "assessment"

LAYERS: list[tuple[str, ...]] = [
    # foundations: exact numbers, text with positions, the problems and errors they word
    (
        "assessment._version",
        "assessment._internal.base",
        "assessment._internal.text",
        "assessment.errors",
    ),
    # the public models; `_internal.model` holds the scheme model's parts, which
    # `assessment.scheme` re-exports under its own name (so they sit in its layer)
    (
        "assessment.events",
        "assessment.roster",
        "assessment.results",
        "assessment.scheme",
        "assessment._internal.model",
    ),
    ("assessment._internal.load",),
    ("assessment._internal.ledger",),
    ("assessment._internal.rules",),
    ("assessment._internal.score",),
    ("assessment._internal.render", "assessment.render"),
    ("assessment.testing",),
    ("assessment._internal.app",),
    # the HTTP service (the `server` extra): the app's work over HTTP
    ("assessment._internal.serve",),
    ("assessment.cli", "assessment.__main__", "assessment"),
]

# Hooks that others call back into, each deferred on purpose: (module, imported, why).
DEFERRED = {
    ("assessment._hypothesis_plugin", "assessment.testing"): (
        "Hypothesis' entry point, loaded by every `import hypothesis`: the strategies are "
        "imported only when a test draws a Scheme"
    ),
    ("assessment.scheme", "assessment._hypothesis_plugin"): (
        "registers the strategy when Hypothesis came first; the plugin imports nothing "
        "of the engine"
    ),
}

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 50


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _layer(module: str) -> int:
    best, depth = -1, -1
    for index, members in enumerate(LAYERS):
        for member in members:
            if (module == member or module.startswith(member + ".")) and len(member) > depth:
                best, depth = index, len(member)
    if module == "assessment._hypothesis_plugin":
        return _layer("assessment.scheme")
    assert best >= 0, f"{module} is in no layer: add it to LAYERS"
    return best


def _imports(module: str) -> set[str]:
    """The package's modules that `module` imports, at its top, in functions or for types."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    if module == "assessment":  # the lazy table of public names imports each home
        names.update(_homes(tree))
    return {name for name in names if name in MODULES and name != module}


def _homes(tree: ast.Module) -> set[str]:
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.startswith("assessment.")
    }


GRAPH = {module: _imports(module) for module in MODULES}


def test_every_import_runs_forward() -> None:
    upward = [
        f"{module} (layer {_layer(module)}) imports {target} (layer {_layer(target)})"
        for module, targets in GRAPH.items()
        for target in sorted(targets)
        if _layer(target) > _layer(module) and (module, target) not in DEFERRED
    ]
    assert upward == []


def test_no_module_imports_itself_through_others() -> None:
    edges = {
        module: {t for t in targets if (module, t) not in DEFERRED}
        for module, targets in GRAPH.items()
    }
    circles = []
    for start, first in edges.items():
        seen: set[str] = set()
        todo = list(first)
        while todo:
            current = todo.pop()
            if current == start:
                circles.append(start)
                break
            if current not in seen:
                seen.add(current)
                todo.extend(edges.get(current, ()))
    assert circles == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_and_functions_are_small(module: str) -> None:
    source = MODULES[module].read_text(encoding="utf-8")
    assert len(source.splitlines()) <= MAX_MODULE_LINES
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_complexity_waivers_or_frozen_writes(module: str) -> None:
    source = MODULES[module].read_text(encoding="utf-8")
    waivers = ("C901", "PLR0911", "PLR0912", "PLR0913", "PLR0915", "PLR1702")
    assert [code for code in waivers if code in source] == []
    assert "object.__setattr__" not in source
    assert "__pydantic_fields_set__" not in source


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_private_name_of_another_module(module: str) -> None:
    """`from x import _y` and `x._y` reach into another module's privacy."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    reached = []
    imported_modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                target = f"{node.module}.{alias.name}"
                if target in MODULES:
                    imported_modules.add(alias.asname or alias.name)
                elif alias.name.startswith("_") and not alias.name.startswith("__"):
                    reached.append(f"from {node.module} import {alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                imported_modules.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
        ):
            reached.append(ast.unparse(node))
    assert reached == []


def test_every_module_is_in_a_layer() -> None:
    for module in MODULES:
        _layer(module)
