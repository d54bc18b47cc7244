"""Cross-reference checks a scheme must pass after its shape is valid.

pydantic checks each value; these check that the values agree with each other:
ids are unique, every reference names something that exists, event fields exist
on their event type, and the sections add up to the base.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from assessment._internal.locate import did_you_mean
from assessment._internal.yamlsource import Path
from assessment.events import BUILTIN_EVENT_TYPES
from assessment.scheme import (
    CompletionRule,
    FindingRule,
    PerEventRule,
    PeriodicRule,
    Scheme,
    ThresholdRule,
)

__all__ = ["check_references"]

Fault = tuple[Path, str]
_COMMON_FIELDS = frozenset({"id", "type", "date", "unit"})


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
    return path, f"unknown {what} '{name}'{hint}"


def _event_model(path: Path, event: str) -> tuple[type[BaseModel] | None, list[Fault]]:
    model = BUILTIN_EVENT_TYPES.get(event)
    if model is None:
        return None, [_unknown((*path, "event"), "event type", event, BUILTIN_EVENT_TYPES)]
    return model, []


def _field_faults(path: Path, model: type[BaseModel], field: str, value: Any = None) -> list[Fault]:
    event_type = model.model_fields["type"].default
    fields = [f for f in model.model_fields if f not in _COMMON_FIELDS]
    if field not in model.model_fields or field in ("id", "type"):
        return [_unknown(path, f"field of '{event_type}'", field, fields)]
    if value is None:
        return []
    try:
        TypeAdapter(model.model_fields[field].annotation).validate_python(value)
    except ValidationError:
        return [(path, f"{value!r} can never be a value of '{event_type}.{field}'")]
    return []


def _rule_faults(scheme: Scheme, base: Path, rule: Any, rule_ids: set[str]) -> list[Fault]:
    faults: list[Fault] = []
    groups = {g.id for g in scheme.groups}
    for i, group in enumerate(rule.groups or ()):
        if group not in groups:
            faults.append(_unknown((*base, "groups", i), "group", group, groups))
    if isinstance(rule, FindingRule | PerEventRule | PeriodicRule):
        model, faults_here = _event_model(base, rule.event)
        faults += faults_here
        if model is not None:
            if isinstance(rule, FindingRule):
                faults += _field_faults((*base, "field"), model, rule.field, rule.equals)
            elif isinstance(rule, PeriodicRule):
                faults += _field_faults((*base, "period_field"), model, rule.period_field)
            else:
                for key, cond in rule.where.items():
                    faults += _field_faults((*base, "where", key), model, key)
                    del cond
    if isinstance(rule, ThresholdRule):
        if rule.counts not in rule_ids:
            faults.append(_unknown((*base, "counts"), "rule", rule.counts, rule_ids))
        elif rule.counts == rule.id or any(
            isinstance(r, ThresholdRule) and r.id == rule.counts for _, r in scheme.rules()
        ):
            faults.append(
                ((*base, "counts"), "a threshold must count a rule that is not a threshold")
            )
    if isinstance(rule, CompletionRule):
        categories = {c.id for c in scheme.categories}
        for i, cat in enumerate(rule.categories):
            if cat not in categories:
                faults.append(_unknown((*base, "categories", i), "category", cat, categories))
    return faults


def check_references(scheme: Scheme) -> list[Fault]:
    """Every cross-reference fault, each with the path of the value at fault."""
    faults: list[Fault] = []
    faults += _duplicates(
        ((("unit_kinds", i), k.id) for i, k in enumerate(scheme.unit_kinds)), "unit kind"
    )
    faults += _duplicates(((("groups", i), g.id) for i, g in enumerate(scheme.groups)), "group")
    faults += _duplicates(
        ((("categories", i), c.id) for i, c in enumerate(scheme.categories)), "category"
    )
    faults += _duplicates(
        ((("sections", i), s.id) for i, s in enumerate(scheme.sections)), "section"
    )
    rule_paths = [
        (("sections", i, "rules", j), rule.id)
        for i, section in enumerate(scheme.sections)
        for j, rule in enumerate(section.rules)
    ]
    faults += _duplicates(rule_paths, "rule")

    kinds = {k.id for k in scheme.unit_kinds}
    grouped: Counter[str] = Counter()
    for i, group in enumerate(scheme.groups):
        for j, kind in enumerate(group.kinds):
            grouped[kind] += 1
            if kind not in kinds:
                faults.append(_unknown(("groups", i, "kinds", j), "unit kind", kind, kinds))
            elif grouped[kind] == 2:
                faults.append(
                    (("groups", i, "kinds", j), f"unit kind '{kind}' is already in another group")
                )
    for i, unit_kind in enumerate(scheme.unit_kinds):
        if grouped[unit_kind.id] == 0:
            message = f"unit kind '{unit_kind.id}' is in no group: add it to one"
            faults.append((("unit_kinds", i, "id"), message))

    rule_ids = {ident for _, ident in rule_paths}
    used: Counter[str] = Counter()
    for i, section in enumerate(scheme.sections):
        for j, rule in enumerate(section.rules):
            faults += _rule_faults(scheme, ("sections", i, "rules", j), rule, rule_ids)
            if isinstance(rule, CompletionRule):
                used.update(rule.categories)
                weight = sum(c.points for c in scheme.categories if c.id in rule.categories)
                if weight > section.points:
                    faults.append(
                        (
                            ("sections", i, "rules", j, "categories"),
                            f"these categories are worth {weight}, "
                            f"more than the section's {section.points}",
                        )
                    )
    for i, category in enumerate(scheme.categories):
        if used[category.id] == 0:
            faults.append(
                (
                    ("categories", i, "id"),
                    f"category '{category.id}' is scored by no completion rule",
                )
            )
        elif used[category.id] > 1:
            faults.append(
                (
                    ("categories", i, "id"),
                    f"category '{category.id}' is scored by several completion rules",
                )
            )

    full = sum((s.points for s in scheme.sections if s.start == "full"), start=scheme.base * 0)
    if full != scheme.base:
        faults.append(
            (
                ("base",),
                f"the sections that start full add up to {full}, not the base {scheme.base}",
            )
        )
    return faults
