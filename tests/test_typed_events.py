"""The core's events keep a static type: no `Any` stands for an event in assessment/_internal.

The compact twins are made at run time; `load/records.py` says their type with Protocols
(`CompactEvent` and the kinds the core reads). An `Any` in their place would switch strict
typing off wherever the core handles events, silently: this test keeps it from coming back.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

INTERNAL = Path(__file__).resolve().parent.parent / "assessment" / "_internal"

# Names that hold an event, or events, in the core: parameters, fields and variables.
EVENT_NAMES = frozenset(
    {
        "event",
        "events",
        "first",
        "earlier",
        "assignment",
        "assigned",
        "extensions",
        "closed",
        "assessed",
        "compact",
        "accepted",
        "kept",
        "latest",
        "by_type",
        "due_set_by",
    }
)


def _says_event(name: str) -> bool:
    return name in EVENT_NAMES or name.endswith(("_event", "_events"))


def _mentions_any(annotation: ast.expr) -> bool:
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return _mentions_any(ast.parse(annotation.value, mode="eval").body)
    return any(
        (isinstance(node, ast.Name) and node.id == "Any")
        or (isinstance(node, ast.Attribute) and node.attr == "Any")
        for node in ast.walk(annotation)
    )


def _is_any(value: ast.expr | None) -> bool:
    return (isinstance(value, ast.Name) and value.id == "Any") or (
        isinstance(value, ast.Attribute) and value.attr == "Any"
    )


def _untyped_events(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Each place in `tree` where `Any` stands for an event, with what it is."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and _is_any(node.value):
            names = ", ".join(ast.unparse(target) for target in node.targets)
            yield node.lineno, f"{names} = Any (an alias that switches typing off)"
        elif isinstance(node, ast.AnnAssign) and _mentions_any(node.annotation):
            name = ast.unparse(node.target).rsplit(".", 1)[-1]
            if _says_event(name):
                yield node.lineno, f"{name}: {ast.unparse(node.annotation)}"
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args
            for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
                if _says_event(arg.arg) and arg.annotation and _mentions_any(arg.annotation):
                    yield node.lineno, f"{node.name}({arg.arg}: {ast.unparse(arg.annotation)})"
            if "event" in node.name and node.returns and _mentions_any(node.returns):
                yield node.lineno, f"{node.name}(...) -> {ast.unparse(node.returns)}"


def _modules() -> list[Path]:
    return sorted(INTERNAL.rglob("*.py"))


def test_the_core_is_where_it_was_looked_for() -> None:
    assert (INTERNAL / "load" / "records.py").is_file()
    assert len(_modules()) > 30


@pytest.mark.parametrize("module", _modules(), ids=lambda path: str(path.relative_to(INTERNAL)))
def test_no_any_stands_for_an_event(module: Path) -> None:
    found = [
        f"{module.relative_to(INTERNAL)}:{line}: {what}"
        for line, what in _untyped_events(ast.parse(module.read_text(encoding="utf-8")))
    ]
    assert not found, "an event typed Any (use load/records.py's Protocols):\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "Compact = Any",
        "def sort_key(event: Any) -> tuple[Any, int, str]: ...",
        "def f(first: 'Any | None') -> None: ...",
        "class C:\n    kept: list[Any]",
        "def events_of(item: str) -> list[typing.Any]: ...",
    ],
)
def test_the_check_sees_an_event_typed_any(source: str) -> None:
    assert list(_untyped_events(ast.parse(source)))


@pytest.mark.parametrize(
    "source",
    [
        "def record(self, record: Any, where: int) -> None: ...",  # a JSON value, not yet an event
        "def shown(value: Any) -> str: ...",
        "def sort_key(event: CompactEvent) -> tuple[date, int, str]: ...",
    ],
)
def test_the_check_leaves_other_values_alone(source: str) -> None:
    assert not list(_untyped_events(ast.parse(source)))
