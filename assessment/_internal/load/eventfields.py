"""The event fields a scheme's rules name: each exists on its event type, and what a rule
writes for it (a `where:` condition, a table's keys, a finding's value) is possible."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from assessment._internal.load.conditions import scope_of
from assessment._internal.load.eventtypes import COMMON_FIELDS, event_types
from assessment._internal.load.faults import Fault, Unknown, unknown
from assessment._internal.load.fieldvalues import condition_faults, field_values, keys_faults
from assessment._internal.load.periods import written
from assessment._internal.load.scopes import item_scoped_fault, scoped_faults
from assessment._internal.text.suggest import did_you_mean
from assessment._internal.text.yamlsource import Path
from assessment.events import ItemAssigned
from assessment.scheme import (
    FindingRule,
    Multiplier,
    PerEventRule,
    PeriodicRule,
    PointsByField,
    Scheme,
)

__all__ = ["assignment_field_faults", "event_rule_faults"]


def event_rule_faults(
    scheme: Scheme, base: Path, rule: FindingRule | PerEventRule | PeriodicRule
) -> list[Fault]:
    """The event type and fields a finding, per_event or periodic rule names exist."""
    model, faults = _event_model(scheme, base, rule.event)
    if model is None:
        return faults
    if not isinstance(rule, PerEventRule) and rule.event in event_types(scheme).item_kinds:
        return [item_scoped_fault((*base, "event"), rule)]
    if isinstance(rule, FindingRule):
        return _field_faults((*base, "field"), model, rule.field) or _value_faults(
            (*base, "equals"), model, rule.field, rule.equals
        )
    if isinstance(rule, PeriodicRule):
        return _field_faults((*base, "period_field"), model, rule.period_field) or (
            _period_field_faults(scheme, base, rule)
        )
    return _per_event_faults(scheme, base, model, rule)


def assignment_field_faults(multipliers: Iterable[tuple[Path, Multiplier]]) -> list[Fault]:
    """An item rule's multipliers by field read the item's assignment: the field exists
    there, and each table key is a value it can hold."""
    faults: list[Fault] = []
    for path, multiplier in multipliers:
        if multiplier.of == "field" and multiplier.field is not None:
            faults += _table_faults(path, ItemAssigned, multiplier.field, multiplier.table)
    return faults


def _event_model(
    scheme: Scheme, path: Path, event: str
) -> tuple[type[BaseModel] | None, list[Fault]]:
    models = event_types(scheme).models
    model = models.get(event)
    if model is None:
        return None, [unknown((*path, "event"), "event type", event, models)]
    return model, []


def _field_faults(path: Path, model: type[BaseModel], field: str) -> list[Fault]:
    event_type = model.model_fields["type"].default
    fields = sorted(f for f in model.model_fields if f not in COMMON_FIELDS)
    if field in model.model_fields and field not in ("id", "type"):
        return []
    hint = did_you_mean(field, fields) or f"; its fields: {', '.join(fields)}"
    return [Unknown(path, f"unknown field '{field}' of event type '{event_type}'{hint}", field)]


def _table_faults(
    path: Path, model: type[BaseModel], field: str, keys: Iterable[str]
) -> list[Fault]:
    """Each table key must be a possible value of the field it is looked up by."""
    found = _field_faults((*path, "field" if path[-1] != "points" else "by"), model, field)
    return found or keys_faults(path, field_values(model, field), keys)


def _value_faults(path: Path, model: type[BaseModel], field: str, value: Any) -> list[Fault]:
    message = field_values(model, field).impossible(value)
    return [] if message is None else [(path, message)]


def _per_event_faults(
    scheme: Scheme, base: Path, model: type[BaseModel], rule: PerEventRule
) -> list[Fault]:
    faults: list[Fault] = []
    period = scheme.__dict__.get("period")  # absent from a scheme salvaged after a fault
    for key, condition in rule.where.items():
        path = (*base, "where", key)
        if scope_of(key)[0] != "event":  # item.<field>, unit.kind, unit.group
            faults += scoped_faults(scheme, path, rule, key)
            continue
        unknown_field = _field_faults(path, model, key)
        # A condition on the event's own date is checked against the days the ledger takes.
        ledger = (period.start, period.last_event_day) if period is not None else None
        days = ledger if key == "date" else None
        faults += unknown_field or condition_faults(path, field_values(model, key), condition, days)
    if isinstance(rule.points, PointsByField):
        faults += _table_faults((*base, "points"), model, rule.points.by, rule.points.table)
    for i, multiplier in enumerate(rule.multiply):
        if multiplier.of == "field" and multiplier.field is not None:
            path = (*base, "multiply", i)
            faults += _table_faults(path, model, multiplier.field, multiplier.table)
    return faults


def _period_field_faults(scheme: Scheme, base: Path, rule: PeriodicRule) -> list[Fault]:
    """The period field names periods of the rule's `every`, checked as such on every event:
    free text would let `2024年` through, and the unit would lose the period."""
    kind = event_types(scheme).periods.get((rule.event, rule.period_field))
    where = f"{rule.event}.{rule.period_field}"
    if kind is None:
        message = (
            f"{where} is not a period field: declare it with `type: {rule.every}` in "
            f"event_types (its events then name a {rule.every} as {written(rule.every)})"
        )
        return [((*base, "period_field"), message)]
    if kind != rule.every:
        message = (
            f"`every: {rule.every}`, but {where} names a {kind} ({written(kind)}): "
            f"write `every: {kind}`, or name a field of type {rule.every}"
        )
        return [((*base, "every"), message)]
    return []
