"""The `where:` conditions beyond an event's own fields: on the item it names (`item.<field>`,
read on the item's assignment) and on the unit scored (`unit.kind`, `unit.group`), each name
and value checked as strictly as an event field's."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from assessment._internal.load.conditions import scope_of
from assessment._internal.load.eventtypes import COMMON_FIELDS, event_types
from assessment._internal.load.faults import Fault, Unknown, present, unknown
from assessment._internal.load.fieldvalues import condition_faults, field_values, meets
from assessment._internal.load.records import LIFECYCLE
from assessment._internal.text.suggest import did_you_mean
from assessment._internal.text.yamlsource import Path
from assessment.events import ItemAssigned
from assessment.scheme import (
    Condition,
    FindingRule,
    PerEventRule,
    PeriodicRule,
    PointsByField,
    Scheme,
)

__all__ = [
    "ITEM_FIELDS",
    "item_fields",
    "item_naming_types",
    "item_scoped_fault",
    "scoped_faults",
    "unused_shared_faults",
]


def item_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """What `item.<field>` may test: the fields of the item's assignment (category,
    assigned_by, due as assigned, title, and any the scheme's `item_assigned` adds)."""
    return tuple(sorted(f for f in model.model_fields if f not in (*COMMON_FIELDS, *_NOT_TESTED)))


_NOT_TESTED = ("item", "cohandlers")  # the item itself; co-handlers are scored by `roles`
ITEM_FIELDS = item_fields(ItemAssigned)
"""The built-in item's fields that `item.<field>` may test."""

_UNIT_FIELDS = ("group", "kind")
_BUILT_IN_NAMING = (*LIFECYCLE, "commendation")  # a commendation may name an item


def item_naming_types(scheme: Scheme) -> tuple[str, ...]:
    """The event types whose events (may) name an item: the item's own lifecycle, a
    commendation, and the scheme's types declared with `item: true`."""
    return (*_BUILT_IN_NAMING, *sorted(event_types(scheme).item_kinds))


def item_scoped_fault(path: Path, rule: FindingRule | PeriodicRule) -> Fault:
    """A finding or periodic rule reads a unit's own events, never an item's."""
    return (
        path,
        f"events of type '{rule.event}' name an item (`item: true`) and are read by per_event "
        f"rules only: a {rule.kind} rule reads the unit's own events; declare a type without "
        "`item` for it",
    )


def scoped_faults(scheme: Scheme, path: Path, rule: PerEventRule, key: str) -> list[Fault]:
    """The faults of one `where:` condition on the item (`item.<field>`) or the unit."""
    scope, name = scope_of(key)
    condition = rule.where[key]
    if scope == "unit":
        return _unit_faults(scheme, path, rule, name, condition)
    naming = item_naming_types(scheme)
    if rule.event not in naming:
        message = (
            f"events of type '{rule.event}' name no item, so `item.{name}` never holds: declare "
            f"the type with `item: true` in event_types, or test a field of the event (the types "
            f"that name an item: {', '.join(naming)})"
        )
        return [(path, message)]
    assignment = event_types(scheme).models["item_assigned"]
    fields = item_fields(assignment)
    if name not in fields:
        hint = did_you_mean(name, fields) or f"; an item has {', '.join(fields)}"
        return [Unknown(path, f"unknown field '{name}' of an item{hint}", name)]
    faults = condition_faults(path, field_values(assignment, name), condition)
    if name == "category" and not faults:
        categories = {c.id for _, c in present(scheme.categories)}
        faults += _named_faults(path, condition, "category", categories)
    return faults


def _unit_faults(
    scheme: Scheme, path: Path, rule: PerEventRule, name: str, condition: Condition
) -> list[Fault]:
    if name not in _UNIT_FIELDS:
        hint = did_you_mean(name, _UNIT_FIELDS) or "; a unit is tested by unit.kind or unit.group"
        return [Unknown(path, f"unknown field '{name}' of the unit scored{hint}", name)]
    given = condition.model_fields_set - {"eq", "ne", "in_", "not_in"}
    if given:
        operator = sorted(given)[0].rstrip("_")
        message = (
            f"`{operator}` cannot test unit.{name}, an id every unit has: use eq, ne, in or "
            "not_in with its ids"
        )
        return [((*path, operator), message)]
    if name == "kind":
        known = {k.id for _, k in present(scheme.unit_kinds)}
        faults = _named_faults(path, condition, "unit kind", known)
        reachable = {
            kind
            for g in scheme.groups
            if rule.groups is None or g.id in rule.groups
            for kind in g.kinds
        }
    else:
        known = {g.id for _, g in present(scheme.groups)}
        faults = _named_faults(path, condition, "group", known)
        reachable = set(rule.groups) if rule.groups is not None else known
    if not faults and not any(meets(condition, value) for value in reachable):
        message = (
            f"no unit the rule applies to has a {name} that meets this condition (its groups "
            f"reach {', '.join(sorted(reachable))}): the rule never fires"
        )
        faults.append((path, message))
    return faults


def _named_faults(path: Path, condition: Condition, what: str, known: set[str]) -> list[Fault]:
    """Each value of an eq, ne, in or not_in names a `what` of the scheme."""
    faults: list[Fault] = []
    for operator, attribute in (("eq", "eq"), ("ne", "ne"), ("in", "in_"), ("not_in", "not_in")):
        value: Any = getattr(condition, attribute)
        if value is None:
            continue
        values = value if isinstance(value, tuple) else (value,)
        for i, one in enumerate(values):
            where = (*path, operator, i) if isinstance(value, tuple) else (*path, operator)
            if not isinstance(one, str) or one not in known:
                faults.append(unknown(where, what, str(one), known))
    return faults


def unused_shared_faults(scheme: Scheme) -> list[Fault]:
    """A table or selection no rule names is most likely a rule's name misspelt elsewhere
    or a rule removed: refused, so that the file says only what it scores. (A rule names it
    when it holds what it names: the names are read as what they name.)"""
    tables, wheres = [], []
    for _, rule in scheme.rules():
        points = getattr(rule, "points", None)
        tables += [points.table] if isinstance(points, PointsByField) else []
        tables += [m.table for m in getattr(rule, "multiply", ())]
        weight = getattr(rule, "item_weight", None)
        tables += [weight.table] if weight is not None else []
        wheres += [rule.where] if isinstance(rule, PerEventRule) else []
    faults: list[Fault] = []
    for i, shared in present(scheme.tables):
        if not any(table == shared.table for table in tables):
            message = (
                f"no rule names table '{shared.id}': name it (`table: {shared.id}`) or remove it"
            )
            faults.append((("tables", i, "id"), message))
    for i, selection in present(scheme.selections):
        if not any(selection.where.items() <= where.items() for where in wheres):
            message = (
                f"no rule names selection '{selection.id}': name it (`where: {selection.id}`) "
                "or remove it"
            )
            faults.append((("selections", i, "id"), message))
    return faults
