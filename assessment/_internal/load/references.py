"""Cross-reference checks a scheme must pass after its shape is valid.

pydantic checks each value; these check that the values agree with each other:
ids are unique, every reference names something that exists, event fields exist
on their event type, and the sections add up to the base.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from assessment._internal.load.eventtypes import COMMON_FIELDS, event_types
from assessment._internal.load.fieldvalues import condition_faults, field_values, keys_faults
from assessment._internal.load.meaning import check_meaning
from assessment._internal.load.periods import written
from assessment._internal.text.pydantic_errors import did_you_mean
from assessment._internal.text.yamlsource import Path
from assessment.events import BUILTIN_EVENT_TYPES, ItemAssigned
from assessment.scheme import (
    Category,
    CompletionRule,
    EventTypeSpec,
    FindingRule,
    Group,
    OverdueRule,
    PerEventRule,
    PeriodicRule,
    PerItemRule,
    PointsByField,
    RateRule,
    Rule,
    Scheme,
    Section,
    ThresholdRule,
    UnitKind,
)

__all__ = ["check_references", "is_reference_to", "salvage"]

Fault = tuple[Path, str]
ITEM_RULES = (CompletionRule, PerItemRule, OverdueRule, RateRule)


class _Unknown(tuple[Path, str]):
    """A fault naming something that does not exist: `ref` is the name given."""

    ref: str

    def __new__(cls, path: Path, message: str, ref: str) -> _Unknown:
        fault = super().__new__(cls, (path, message))
        fault.ref = ref
        return fault


def _duplicates(entries: Iterable[tuple[Path, str]], what: str) -> Iterator[Fault]:
    seen: dict[str, Path] = {}
    for path, ident in entries:
        if ident in seen:
            yield (*path, "id"), f"duplicate {what} id '{ident}': ids must be unique"
        else:
            seen[ident] = path


def _unknown(path: Path, what: str, name: str, known: Iterable[str]) -> Fault:
    known = sorted(set(known))
    hint = did_you_mean(name, known) or f"; known: {', '.join(known)}"
    return _Unknown(path, f"unknown {what} '{name}'{hint}", name)


def _event_model(
    scheme: Scheme, path: Path, event: str
) -> tuple[type[BaseModel] | None, list[Fault]]:
    models = event_types(scheme).models
    model = models.get(event)
    if model is None:
        return None, [_unknown((*path, "event"), "event type", event, models)]
    return model, []


def _event_type_faults(scheme: Scheme) -> list[Fault]:
    faults: list[Fault] = []
    for i, spec in _present(scheme.event_types):
        if spec.id in BUILTIN_EVENT_TYPES:
            message = f"'{spec.id}' is a built-in event type: give the new type another id"
            faults.append((("event_types", i, "id"), message))
        seen: set[str] = set()
        for j, field in enumerate(spec.fields):
            path = ("event_types", i, "fields", j, "id")
            if field.id in COMMON_FIELDS:
                message = f"every event already has '{field.id}': give this field another id"
                faults.append((path, message))
            elif field.id in seen:
                faults.append((path, f"duplicate field id '{field.id}'"))
            seen.add(field.id)
    entries = ((("event_types", i), s.id) for i, s in _present(scheme.event_types))
    return faults + list(_duplicates(entries, "event type"))


def _field_faults(path: Path, model: type[BaseModel], field: str) -> list[Fault]:
    event_type = model.model_fields["type"].default
    fields = sorted(f for f in model.model_fields if f not in COMMON_FIELDS)
    if field in model.model_fields and field not in ("id", "type"):
        return []
    hint = did_you_mean(field, fields) or f"; its fields: {', '.join(fields)}"
    return [_Unknown(path, f"unknown field '{field}' of event type '{event_type}'{hint}", field)]


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
        unknown = _field_faults(path, model, key)
        # A condition on the event's own date is checked against the days the ledger takes.
        ledger = (period.start, period.last_event_day) if period is not None else None
        days = ledger if key == "date" else None
        faults += unknown or condition_faults(path, field_values(model, key), condition, days)
    if isinstance(rule.points, PointsByField):
        faults += _table_faults((*base, "points"), model, rule.points.by, rule.points.table)
    for i, multiplier in enumerate(rule.multiply):
        if multiplier.of == "field" and multiplier.field is not None:
            path = (*base, "multiply", i)
            faults += _table_faults(path, model, multiplier.field, multiplier.table)
    return faults


def _multiplier_key_faults(
    scheme: Scheme, base: Path, rule: PerEventRule | PerItemRule | OverdueRule
) -> list[Fault]:
    faults: list[Fault] = []
    known = {
        "unit_kind": ("unit kind", {k.id for _, k in _present(scheme.unit_kinds)}),
        "group": ("group", {g.id for _, g in _present(scheme.groups)}),
        "role": ("role", {"lead", "cohandler"}),
    }
    for i, multiplier in enumerate(rule.multiply):
        if multiplier.of not in known:
            continue
        what, names = known[multiplier.of]
        for key in multiplier.table:
            if key not in names:
                faults.append(_unknown((*base, "multiply", i, "table", key), what, key, names))
    return faults


def _event_rule_faults(scheme: Scheme, base: Path, rule: Any) -> list[Fault]:
    """The event type and fields a finding, per_event or periodic rule names exist."""
    model, faults = _event_model(scheme, base, rule.event)
    if model is None:
        return faults
    if isinstance(rule, FindingRule):
        return _field_faults((*base, "field"), model, rule.field) or _value_faults(
            (*base, "equals"), model, rule.field, rule.equals
        )
    if isinstance(rule, PeriodicRule):
        return _field_faults((*base, "period_field"), model, rule.period_field) or (
            _period_field_faults(scheme, base, rule)
        )
    return _per_event_faults(scheme, base, model, rule)


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


def _threshold_faults(scheme: Scheme, base: Path, rule: ThresholdRule) -> list[Fault]:
    kinds = dict(_rule_kinds(scheme))
    if rule.counts not in kinds:
        return [_unknown((*base, "counts"), "rule", rule.counts, kinds)]
    if kinds[rule.counts] == "threshold":
        return [((*base, "counts"), "a threshold must count a rule that is not a threshold")]
    return []


def _rule_kinds(scheme: Scheme) -> list[tuple[str, str]]:
    return [
        (rule.id, rule.kind)
        for _, section in _present(scheme.sections)
        for _, rule in _present(section.rules)
    ]


def _item_rule_faults(scheme: Scheme, base: Path, rule: Any) -> list[Fault]:
    """Categories named by item rules exist; their field multipliers read the assignment."""
    faults: list[Fault] = []
    categories = {c.id for _, c in _present(scheme.categories)}
    for i, cat in enumerate(rule.categories or ()):
        if cat not in categories:
            faults.append(_unknown((*base, "categories", i), "category", cat, categories))
    multipliers: list[tuple[Path, Any]] = [
        ((*base, "multiply", i), m) for i, m in enumerate(getattr(rule, "multiply", ()))
    ]
    if getattr(rule, "item_weight", None) is not None:
        multipliers.append(((*base, "item_weight"), rule.item_weight))
    for path, multiplier in multipliers:
        if multiplier.of == "field" and multiplier.field is not None:
            faults += _table_faults(path, ItemAssigned, multiplier.field, multiplier.table)
        elif multiplier.of == "role" and path[-1] == "item_weight":  # `multiply` is checked above
            for key in multiplier.table:
                if key not in ("lead", "cohandler"):
                    faults.append(
                        _unknown((*path, "table", key), "role", key, ("lead", "cohandler"))
                    )
    return faults


def _rule_faults(scheme: Scheme, base: Path, rule: Any) -> list[Fault]:
    faults: list[Fault] = []
    groups = {g.id for _, g in _present(scheme.groups)}
    for i, group in enumerate(rule.groups or ()):
        if group not in groups:
            faults.append(_unknown((*base, "groups", i), "group", group, groups))
    if isinstance(rule, FindingRule | PerEventRule | PeriodicRule):
        faults += _event_rule_faults(scheme, base, rule)
    if isinstance(rule, PerEventRule | PerItemRule | OverdueRule):
        faults += _multiplier_key_faults(scheme, base, rule)
    if isinstance(rule, ThresholdRule):
        faults += _threshold_faults(scheme, base, rule)
    if isinstance(rule, ITEM_RULES):
        faults += _item_rule_faults(scheme, base, rule)
    return faults


def _present(entries: Iterable[Any]) -> Iterator[tuple[int, Any]]:
    """Index and entry, skipping the holes `salvage` leaves for invalid entries."""
    return ((i, entry) for i, entry in enumerate(entries) if entry is not None)


def _id_faults(scheme: Scheme) -> list[Fault]:
    faults: list[Fault] = []
    for key, what in (
        ("unit_kinds", "unit kind"),
        ("groups", "group"),
        ("categories", "category"),
        ("sections", "section"),
    ):
        entries = getattr(scheme, key)
        faults += _duplicates((((key, i), e.id) for i, e in _present(entries)), what)
    faults += _duplicates(_rule_paths(scheme), "rule")
    return faults


def _rule_paths(scheme: Scheme) -> list[tuple[Path, str]]:
    return [
        (("sections", i, "rules", j), rule.id)
        for i, section in _present(scheme.sections)
        for j, rule in _present(section.rules)
    ]


def _group_faults(scheme: Scheme, complete: bool) -> list[Fault]:
    faults: list[Fault] = []
    kinds = {k.id for _, k in _present(scheme.unit_kinds)}
    grouped: Counter[str] = Counter()
    for i, group in _present(scheme.groups):
        for j, kind in enumerate(group.kinds):
            grouped[kind] += 1
            if kind not in kinds:
                faults.append(_unknown(("groups", i, "kinds", j), "unit kind", kind, kinds))
            elif grouped[kind] == 2:
                message = f"unit kind '{kind}' is already in another group"
                faults.append((("groups", i, "kinds", j), message))
    for i, unit_kind in _present(scheme.unit_kinds):
        if complete and grouped[unit_kind.id] == 0:
            message = f"unit kind '{unit_kind.id}' is in no group: add it to one"
            faults.append((("unit_kinds", i, "id"), message))
    return faults


def _category_faults(scheme: Scheme, complete: bool) -> list[Fault]:
    faults: list[Fault] = []
    used: Counter[str] = Counter()
    for i, section in _present(scheme.sections):
        for j, rule in _present(section.rules):
            if not isinstance(rule, CompletionRule):
                continue
            used.update(rule.categories)
            weight = sum(
                c.points for _, c in _present(scheme.categories) if c.id in rule.categories
            )
            if weight > section.points:
                message = (
                    f"these categories are worth {weight}, more than the section's {section.points}"
                )
                faults.append((("sections", i, "rules", j, "categories"), message))
    for i, category in _present(scheme.categories):
        if complete and used[category.id] == 0:
            message = f"category '{category.id}' is scored by no completion rule"
            faults.append((("categories", i, "id"), message))
        elif used[category.id] > 1:
            message = f"category '{category.id}' is scored by several completion rules"
            faults.append((("categories", i, "id"), message))
    return faults


def _base_faults(scheme: Scheme) -> list[Fault]:
    full = sum((s.points for s in scheme.sections if s.start == "full"), start=scheme.base * 0)
    if full == scheme.base:
        return []
    return [
        (("base",), f"the sections that start full add up to {full}, not the base {scheme.base}")
    ]


def _not_below(value: Decimal | None, previous: Decimal | None) -> bool:
    return value is not None and previous is not None and value >= previous


_LIFECYCLE = ("item_assigned", "item_extended", "item_closed", "item_assessed")


def _expectation_faults(scheme: Scheme) -> list[Fault]:
    faults: list[Fault] = []
    targets = {"total"} | {s.id for _, s in _present(scheme.sections)}
    models = event_types(scheme).models
    for i, expectation in enumerate(scheme.expectations):
        if expectation.of not in targets:
            faults.append(_unknown(("expectations", i, "of"), "section", expectation.of, targets))
        event = getattr(expectation, "event", None)
        if event is not None and event not in models:
            faults.append(_unknown(("expectations", i, "event"), "event type", event, models))
        elif event in _LIFECYCLE:
            message = "an item's events depend on each other: choose another event type"
            faults.append((("expectations", i, "event"), message))
    entries = ((("expectations", i), e.id) for i, e in enumerate(scheme.expectations))
    return faults + list(_duplicates(entries, "expectation"))


def _outcome_faults(scheme: Scheme) -> list[Fault]:
    """The total's cap, the grades and the flags refer to things that exist and make sense."""
    faults: list[Fault] = []
    sections = {s.id for _, s in _present(scheme.sections)}
    for i, section in enumerate(scheme.total.beyond_cap):
        if section not in sections:
            faults.append(_unknown(("total", "beyond_cap", i), "section", section, sections))
    grades = list(scheme.grades)
    for i, grade in enumerate(grades):
        last = i == len(grades) - 1
        if last and grade.min is not None:
            message = "the last grade takes every unit left: remove its `min`"
            faults.append((("grades", i, "min"), message))
        elif not last and grade.min is None:
            faults.append((("grades", i), "every grade but the last needs a `min`"))
        elif i and _not_below(grade.min, grades[i - 1].min):
            message = "grades go from best to worst: this `min` must be below the one before"
            faults.append((("grades", i, "min"), message))
    rules = {ident for _, ident in _rule_paths(scheme)}
    for i, flag in enumerate(scheme.flags):
        for j, trigger in enumerate(flag.raised_by):
            if trigger.rule not in rules:
                path = ("flags", i, "raised_by", j, "rule")
                faults.append(_unknown(path, "rule", trigger.rule, rules))
    faults += _expectation_faults(scheme)
    faults += _duplicates(((("grades", i), g.id) for i, g in enumerate(grades)), "grade")
    faults += _duplicates(((("flags", i), f.id) for i, f in enumerate(scheme.flags)), "flag")
    return faults


def check_references(scheme: Scheme, *, complete: bool = True) -> list[Fault]:
    """Every cross-reference fault, each with the path of the value at fault.

    With `complete=False` the scheme holds only the parts that passed
    validation (see `salvage`): checks that need the whole file are skipped.
    """
    faults = _id_faults(scheme) + _group_faults(scheme, complete) + _event_type_faults(scheme)
    for i, section in _present(scheme.sections):
        for j, rule in _present(section.rules):
            faults += _rule_faults(scheme, ("sections", i, "rules", j), rule)
    faults += _category_faults(scheme, complete)
    if complete:
        faults += _base_faults(scheme) + _outcome_faults(scheme)
        faults += check_meaning(scheme)
    return faults


def _each(annotation: Any, values: Any) -> tuple[Any, ...]:
    """Validate list entries one by one; an invalid entry leaves a hole (None)."""
    if not isinstance(values, list):
        return ()
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)
    out = []
    for value in values:
        try:
            out.append(adapter.validate_python(value))
        except ValidationError:
            out.append(None)
    return tuple(out)


def _salvage_section(raw: Any) -> Section | None:
    try:
        return Section.model_validate(raw)
    except ValidationError:
        pass
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        return None
    rules = _each(Rule, raw.get("rules"))
    try:
        points = Decimal(str(raw.get("points")))
    except ArithmeticError:
        points = Decimal(0)
    return Section.model_construct(id=raw["id"], points=points, rules=rules)  # type: ignore[call-arg]


def salvage(data: dict[str, Any]) -> tuple[Scheme, set[str]]:
    """The valid parts of a scheme that failed validation, and every id it names.

    Lets reference problems be reported with the shape problems, in one pass.
    Faults about a name in the returned set are not real: that entry exists
    but is itself invalid.
    """
    sections = data.get("sections")
    parts = {
        "unit_kinds": _each(UnitKind, data.get("unit_kinds")),
        "groups": _each(Group, data.get("groups")),
        "categories": _each(Category, data.get("categories")),
        "event_types": _each(EventTypeSpec, data.get("event_types")),
        "sections": tuple(_salvage_section(s) for s in sections)
        if isinstance(sections, list)
        else (),
    }
    names: set[str] = set()
    for key in ("unit_kinds", "groups", "categories", "event_types", "sections"):
        for entry in data.get(key) or ():
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                names.add(entry["id"])
            for rule in (entry.get("rules") or ()) if isinstance(entry, dict) else ():
                if isinstance(rule, dict) and isinstance(rule.get("id"), str):
                    names.add(rule["id"])
    partial = Scheme.model_construct(**parts)  # type: ignore[arg-type]
    return partial, names


def is_reference_to(fault: Fault, names: set[str]) -> bool:
    """Whether `fault` says a name in `names` does not exist."""
    return isinstance(fault, _Unknown) and fault.ref in names
