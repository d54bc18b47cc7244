"""Compiling `where:` conditions into plain predicates over event fields."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from assessment.scheme import Condition

__all__ = ["SCOPES", "Predicate", "compile_where", "scope_of", "table_key"]

Predicate = Callable[[Any], bool]

_ORDER = {"lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge}


def table_key(value: object) -> str:
    """An event value as tables and explanations write it: `true`, `0.5`, `city`."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def _safe(test: Callable[[Any, Any], bool], bound: Any) -> Predicate:
    def check(value: Any) -> bool:
        try:
            return value is not None and test(value, bound)
        except TypeError:  # a value of another type never satisfies an ordering
            return False

    return check


def _compile_condition(cond: Condition) -> list[Predicate]:
    tests: list[Predicate] = []
    given = cond.model_fields_set
    if "eq" in given:
        tests.append(partial(_equals, cond.eq))
    if "ne" in given:
        tests.append(partial(_differs, cond.ne))
    if cond.in_ is not None:
        tests.append(partial(_member, cond.in_))
    if cond.not_in is not None:
        tests.append(partial(_not_member, cond.not_in))
    for name, test in _ORDER.items():
        if name in given:
            tests.append(_safe(test, getattr(cond, name)))
    if cond.present is not None:
        tests.append(partial(_presence, cond.present))
    return tests


def _equals(expected: Any, value: Any) -> bool:
    return bool(value == expected)


def _differs(expected: Any, value: Any) -> bool:
    return bool(value != expected)


def _member(choices: tuple[Any, ...], value: Any) -> bool:
    return value in choices


def _not_member(choices: tuple[Any, ...], value: Any) -> bool:
    return value not in choices


def _presence(wanted: bool, value: Any) -> bool:
    return (value is not None) == wanted


SCOPES = ("item", "unit")
"""What a `where:` key may test besides the event: `item.<field>` (the item the event names,
read on its assignment) and `unit.kind` or `unit.group` (the unit scored)."""


def scope_of(key: str) -> tuple[str, str]:
    """A `where:` key's scope (`event`, `item` or `unit`) and the name it tests there."""
    scope, dot, name = key.partition(".")
    return (scope, name) if dot and scope in SCOPES else ("event", key)


def compile_where(where: Mapping[str, Condition], scope: str = "event") -> Callable[[object], bool]:
    """One predicate over an event (or, with `scope`, over the item's assignment or the unit
    scored): every field's every operator of that scope must hold."""
    checks = [
        (name, test)
        for key, cond in where.items()
        if (found := scope_of(key))[0] == scope
        for name in (found[1],)
        for test in _compile_condition(cond)
    ]

    def matches(event: object) -> bool:
        return all(test(getattr(event, name, None)) for name, test in checks)

    return matches
