"""Cross-reference checks a scheme must pass after its shape is valid.

pydantic checks each value; these check that the values agree with each other:
ids are unique and every reference names something that exists. The event fields
rules name are checked in `eventfields`, the sums in `sums`, the rules' sense in
`meaning`; `check_references` runs them all.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from assessment._internal.load.conditions import compile_where
from assessment._internal.load.counting import band_faults
from assessment._internal.load.eligibility import eligibility_faults, extension_faults
from assessment._internal.load.eventfields import assignment_field_faults, event_rule_faults
from assessment._internal.load.eventtypes import COMMON_FIELDS, event_types
from assessment._internal.load.exclusivity import exclusive_faults
from assessment._internal.load.faults import Fault, coded, duplicates, present, unknown
from assessment._internal.load.meaning import check_meaning
from assessment._internal.load.records import LIFECYCLE
from assessment._internal.load.rollups import rollup_faults
from assessment._internal.load.scopes import unused_shared_faults
from assessment._internal.load.sectiongroups import section_group_faults
from assessment._internal.load.sums import sum_faults
from assessment._internal.text.yamlsource import Path
from assessment.events import BUILTIN_EVENT_TYPES
from assessment.scheme import (
    AllItemsRule,
    Category,
    CompletionRule,
    FindingRule,
    Multiplier,
    OverdueRule,
    PerEventRule,
    PeriodicRule,
    PerItemRule,
    RateRule,
    Scheme,
    ThresholdRule,
)

__all__ = ["check_references"]

ITEM_RULES = (CompletionRule, PerItemRule, AllItemsRule, OverdueRule, RateRule)
ROLES = ("lead", "cohandler")


def check_references(scheme: Scheme, *, complete: bool = True) -> list[Fault]:
    """Every cross-reference fault, each with the path of the value at fault.

    With `complete=False` the scheme holds only the parts that passed
    validation (see `salvage`): checks that need the whole file are skipped.
    """
    faults = _id_faults(scheme) + _group_faults(scheme, complete) + _event_type_faults(scheme)
    faults += extension_faults(scheme)
    for placed in scheme.placed():
        for j, rule in present(placed.section.rules):
            faults += _rule_faults(scheme, (*placed.path, "rules", j), rule)
    faults += section_group_faults(scheme)
    faults += _category_faults(scheme, complete)
    faults += coded(sum_faults(scheme, complete=complete), "scheme.sums")
    faults += exclusive_faults(scheme, complete=complete)
    if complete:
        faults += _outcome_faults(scheme) + coded(check_meaning(scheme), "scheme.meaning")
        faults += rollup_faults(scheme)
        faults += eligibility_faults(scheme)
        faults += unused_shared_faults(scheme)
    return faults


def _id_faults(scheme: Scheme) -> list[Fault]:
    faults: list[Fault] = []
    for key, what in (
        ("unit_kinds", "unit kind"),
        ("groups", "group"),
        ("categories", "category"),
    ):
        entries = getattr(scheme, key)
        faults += duplicates((((key, i), e.id) for i, e in present(entries)), what)
    faults += duplicates(((p.path, p.section.id) for p in scheme.placed()), "section")
    faults += duplicates(_rule_paths(scheme), "rule")
    return faults


def _rule_paths(scheme: Scheme) -> list[tuple[Path, str]]:
    return [
        ((*placed.path, "rules", j), rule.id)
        for placed in scheme.placed()
        for j, rule in present(placed.section.rules)
    ]


def _group_faults(scheme: Scheme, complete: bool) -> list[Fault]:
    faults: list[Fault] = []
    kinds = {k.id for _, k in present(scheme.unit_kinds)}
    grouped: Counter[str] = Counter()
    for i, group in present(scheme.groups):
        for j, kind in enumerate(group.kinds):
            grouped[kind] += 1
            if kind not in kinds:
                faults.append(unknown(("groups", i, "kinds", j), "unit kind", kind, kinds))
            elif grouped[kind] == 2:
                message = f"unit kind '{kind}' is already in another group"
                faults.append((("groups", i, "kinds", j), message))
    for i, unit_kind in present(scheme.unit_kinds):
        if complete and grouped[unit_kind.id] == 0:
            message = f"unit kind '{unit_kind.id}' is in no group: add it to one"
            faults.append((("unit_kinds", i, "id"), message))
    return faults


def _event_type_faults(scheme: Scheme) -> list[Fault]:
    faults: list[Fault] = []
    for i, spec in present(scheme.event_types):
        if spec.id in BUILTIN_EVENT_TYPES:
            message = (
                f"'{spec.id}' is a built-in event type: give the new type another id, or "
                "add values to its enum fields with `extends:`"
            )
            faults.append((("event_types", i, "id"), message))
        seen: set[str] = set()
        for j, field in enumerate(spec.fields):
            path = ("event_types", i, "fields", j, "id")
            if field.id in COMMON_FIELDS:
                message = f"every event already has '{field.id}': give this field another id"
                faults.append((path, message))
            elif field.id == "item" and spec.item:
                message = (
                    "`item: true` gives every event of this type its `item`: remove this field"
                )
                faults.append((path, message))
            elif field.id in seen:
                faults.append((path, f"duplicate field id '{field.id}'"))
            seen.add(field.id)
    entries = ((("event_types", i), s.id) for i, s in present(scheme.event_types))
    return faults + list(duplicates(entries, "event type"))


def _rule_faults(scheme: Scheme, base: Path, rule: Any) -> list[Fault]:
    faults: list[Fault] = []
    groups = {g.id for _, g in present(scheme.groups)}
    for i, group in enumerate(rule.groups or ()):
        if group not in groups:
            faults.append(unknown((*base, "groups", i), "group", group, groups))
    if isinstance(rule, FindingRule | PerEventRule | PeriodicRule):
        faults += event_rule_faults(scheme, base, rule)
    if isinstance(rule, PerEventRule):
        faults += band_faults(scheme, base, rule)
    if isinstance(rule, PerEventRule | PerItemRule | AllItemsRule | OverdueRule):
        faults += _multiplier_key_faults(scheme, base, rule)
    if isinstance(rule, ThresholdRule):
        faults += _threshold_faults(scheme, base, rule)
    if isinstance(rule, ITEM_RULES):
        faults += _item_rule_faults(scheme, base, rule)
    return faults


def _multiplier_key_faults(
    scheme: Scheme, base: Path, rule: PerEventRule | PerItemRule | AllItemsRule | OverdueRule
) -> list[Fault]:
    faults: list[Fault] = []
    known = {
        "unit_kind": ("unit kind", {k.id for _, k in present(scheme.unit_kinds)}),
        "group": ("group", {g.id for _, g in present(scheme.groups)}),
        "role": ("role", set(ROLES)),
    }
    for i, multiplier in enumerate(rule.multiply):
        if multiplier.of not in known:
            continue
        what, names = known[multiplier.of]
        for key in multiplier.table:
            if key not in names:
                faults.append(unknown((*base, "multiply", i, "table", key), what, key, names))
    return faults


def _threshold_faults(scheme: Scheme, base: Path, rule: ThresholdRule) -> list[Fault]:
    kinds = {other.id: other.kind for _, other in scheme.rules()}
    if rule.counts not in kinds:
        return [unknown((*base, "counts"), "rule", rule.counts, kinds)]
    if kinds[rule.counts] == "threshold":
        return [((*base, "counts"), "a threshold must count a rule that is not a threshold")]
    return []


def _item_rule_faults(scheme: Scheme, base: Path, rule: Any) -> list[Fault]:
    """Categories named by item rules exist; their multipliers name what exists."""
    faults: list[Fault] = []
    categories = {c.id for _, c in present(scheme.categories)}
    for i, cat in enumerate(rule.categories or ()):
        if cat not in categories:
            faults.append(unknown((*base, "categories", i), "category", cat, categories))
    multipliers: list[tuple[Path, Multiplier]] = [
        ((*base, "multiply", i), m) for i, m in enumerate(getattr(rule, "multiply", ()))
    ]
    weight = getattr(rule, "item_weight", None)
    if weight is not None:
        multipliers.append(((*base, "item_weight"), weight))
        if weight.of == "role":  # `multiply` is checked with the other rules' multipliers
            for key in weight.table:
                if key not in ROLES:
                    path = (*base, "item_weight", "table", key)
                    faults.append(unknown(path, "role", key, ROLES))
    return faults + assignment_field_faults(multipliers)


def _category_faults(scheme: Scheme, complete: bool) -> list[Fault]:
    """Each category is scored by some rule, by at most one completion rule, and has a share
    (`points`, `method`) exactly when a completion rule scores it."""
    faults: list[Fault] = []
    used: Counter[str] = Counter()
    for _, rule in scheme.rules():
        if isinstance(rule, CompletionRule):
            used.update(rule.categories)
    reached = _categories_reached(scheme) if complete else set()
    for i, category in present(scheme.categories):
        fault = _category_fault(category, used[category.id], category.id in reached, complete)
        if fault is not None:
            faults.append(((("categories", i, *fault[0])), fault[1]))
    return faults


def _category_fault(
    category: Category, completions: int, reached: bool, complete: bool
) -> tuple[Path, str] | None:
    """What is wrong with one category, given how many completion rules score it and whether
    a rule on items reads it: (the path within the category, the message)."""
    ident = category.id
    if completions > 1:
        return ("id",), f"category '{ident}' is scored by several completion rules"
    if completions == 1 and category.points is None:
        message = (
            f"category '{ident}' is scored by a completion rule, which divides its points "
            "among categories by their share: give the category `points` and `method`"
        )
        return (), message
    if not complete or completions:
        return None
    if category.points is not None:
        message = (
            f"category '{ident}' has a share (`points`, `method`) but no completion rule "
            "scores it: list it in a completion rule's `categories`, or remove `points` and "
            "`method` if its items are scored one by one (per_item, all_items, overdue, rate)"
        )
        return ("points",), message
    if not reached:
        message = (
            f"category '{ident}' is scored by no rule: list it in a completion rule, or score "
            "its items with a per_item, all_items, overdue, rate or per_event rule"
        )
        return ("id",), message
    return None


def _categories_reached(scheme: Scheme) -> set[str]:
    """The categories some rule reads the items of: an item rule's (every category, when it
    names none), or a per_event rule's on an item's events (those its `where` lets through)."""
    every = {c.id for _, c in present(scheme.categories)}
    reached: set[str] = set()
    for _, rule in scheme.rules():
        if isinstance(rule, ITEM_RULES):
            reached |= every if rule.categories is None else set(rule.categories)
        elif isinstance(rule, PerEventRule) and rule.event in LIFECYCLE:
            condition = rule.where.get("category")
            if condition is None:
                reached |= every
            else:
                test = compile_where({"category": condition})
                reached |= {c for c in every if test(_CategoryOf(c))}
    return reached


class _CategoryOf:
    """An item of a category, as a `where:` on `category` reads it."""

    __slots__ = ("category",)

    def __init__(self, category: str) -> None:
        self.category = category


def _outcome_faults(scheme: Scheme) -> list[Fault]:
    """The total's cap, the grades and the flags refer to things that exist and make sense."""
    faults: list[Fault] = []
    sections = {s.id for _, s in present(scheme.sections)}
    nested = {p.section.id for p in scheme.placed() if p.parent is not None}
    for i, section in enumerate(scheme.total.beyond_cap):
        if section in nested:
            message = (
                f"'{section}' is a sub-section, added into its parent: name a top-level "
                "section (or move this one to the top level)"
            )
            faults.append((("total", "beyond_cap", i), message))
        elif section not in sections:
            faults.append(unknown(("total", "beyond_cap", i), "section", section, sections))
    rules = {ident for _, ident in _rule_paths(scheme)}
    for i, flag in enumerate(scheme.flags):
        for j, trigger in enumerate(flag.raised_by):
            if trigger.rule not in rules:
                path = ("flags", i, "raised_by", j, "rule")
                faults.append(unknown(path, "rule", trigger.rule, rules))
    faults += _grade_faults(scheme) + _expectation_faults(scheme)
    faults += duplicates(((("flags", i), f.id) for i, f in enumerate(scheme.flags)), "flag")
    return faults


def _grade_faults(scheme: Scheme) -> list[Fault]:
    faults: list[Fault] = []
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
    return faults + list(duplicates(((("grades", i), g.id) for i, g in enumerate(grades)), "grade"))


def _not_below(value: Decimal | None, previous: Decimal | None) -> bool:
    return value is not None and previous is not None and value >= previous


def _expectation_faults(scheme: Scheme) -> list[Fault]:
    faults: list[Fault] = []
    targets = {"total"} | {p.section.id for p in scheme.placed()}
    models = event_types(scheme).models
    for i, expectation in enumerate(scheme.expectations):
        if expectation.of not in targets:
            faults.append(unknown(("expectations", i, "of"), "section", expectation.of, targets))
        event = getattr(expectation, "event", None)
        if event is not None and event not in models:
            faults.append(unknown(("expectations", i, "event"), "event type", event, models))
        elif event in LIFECYCLE:
            message = "an item's events depend on each other: choose another event type"
            faults.append((("expectations", i, "event"), message))
    entries = ((("expectations", i), e.id) for i, e in enumerate(scheme.expectations))
    return faults + list(duplicates(entries, "expectation"))
