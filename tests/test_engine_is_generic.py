"""The engine knows rule kinds, never a year: nothing of the 2023 scheme is in the package code.

Docstrings may mention the 2023 scheme as an example; code (names, string and
number constants) may not.
"""

from __future__ import annotations

import ast
import re
import typing
from pathlib import Path

from assessment import load_scheme
from assessment.events import BUILTIN_EVENT_TYPES
from assessment.scheme import Rule

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "assessment"


def _scheme_words() -> set[str]:
    scheme = load_scheme(ROOT / "schemes/2023.yaml")
    words = {scheme.id}
    words |= {k.id for k in scheme.unit_kinds} | {g.id for g in scheme.groups}
    words |= {c.id for c in scheme.categories} | {s.id for s in scheme.sections}
    words |= {r.id for _, r in scheme.rules()}
    words |= {s.name for s in scheme.sections} | {c.name for c in scheme.categories}
    # The contract's and the format's own vocabulary may appear: 2023 reuses some of
    # it as ids (the event type item_extended, the rule kind completion).
    vocabulary = set(BUILTIN_EVENT_TYPES)
    vocabulary |= {f for model in BUILTIN_EVENT_TYPES.values() for f in model.model_fields}
    vocabulary |= {
        member.model_fields["kind"].default
        or typing.get_args(member.model_fields["kind"].annotation)[0]
        for member in typing.get_args(typing.get_args(Rule)[0])
    }
    return words - vocabulary


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _code_constants() -> list[tuple[str, int, object]]:
    found: list[tuple[str, int, object]] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and id(node) not in docs:
                found.append((str(path.relative_to(ROOT)), node.lineno, node.value))
            elif isinstance(node, ast.Name | ast.Attribute):
                name = node.id if isinstance(node, ast.Name) else node.attr
                found.append((str(path.relative_to(ROOT)), node.lineno, name))
    return found


def test_no_2023_identifier_appears_in_package_code() -> None:
    words = _scheme_words()
    assert "work_report" in words and "organisation" in words  # the check has teeth
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(words)) + r")\b")
    offenders = [
        (file, line, value)
        for file, line, value in _code_constants()
        if isinstance(value, str) and pattern.search(value)
    ]
    assert offenders == []


def test_no_2023_point_value_or_date_appears_in_package_code() -> None:
    # 80, 15 and 20 are the 2023 section and category points; 2023 the year.
    forbidden_numbers = {80, 15, 20, 2023}
    offenders = [
        (file, line, value)
        for file, line, value in _code_constants()
        if (isinstance(value, int) and not isinstance(value, bool) and value in forbidden_numbers)
        or (isinstance(value, str) and "2023" in value)
    ]
    assert offenders == []


def test_every_rule_kind_of_the_format_has_a_compiler() -> None:
    """The plan finds a rule's compiler by its `kind:`: none of the format's kinds is missed."""
    from assessment._internal.rules.plan import _compiler  # noqa: PLC0415 (the registry)

    union = typing.get_args(typing.get_args(Rule)[0])
    kinds = {typing.get_args(member.model_fields["kind"].annotation)[0] for member in union}
    scheme = load_scheme(Path(__file__).resolve().parent.parent / "schemes/2023.yaml")
    assert len(kinds) == len(union) > 1
    assert set(_compiler(scheme)) == kinds
