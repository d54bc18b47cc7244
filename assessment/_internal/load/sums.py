"""The sums a scheme must make: its full sections add up to the base (for each ranking
group), a section's sub-sections start where it starts, and the categories of a completion
rule are worth no more than the rule's section."""

from __future__ import annotations

from decimal import Decimal

from assessment._internal.load.faults import Fault, present
from assessment._internal.model.sections import Placed
from assessment.scheme import CompletionRule, Scheme

__all__ = ["sum_faults"]


def sum_faults(scheme: Scheme, *, complete: bool) -> list[Fault]:
    """Every sum that does not add up; the base only in a `complete` scheme."""
    faults = _category_weight_faults(scheme)
    return faults + _base_faults(scheme) + _nested_faults(scheme) if complete else faults


def _category_weight_faults(scheme: Scheme) -> list[Fault]:
    faults: list[Fault] = []
    for placed in scheme.placed():
        section = placed.section
        worth = section.points if section.start == "full" else section.top
        for j, rule in present(section.rules):
            if not isinstance(rule, CompletionRule) or worth is None:
                continue
            weight = sum(
                c.points
                for _, c in present(scheme.categories)
                if c.id in rule.categories and c.points is not None
            )
            if weight > worth:
                message = f"these categories are worth {weight}, more than the section's {worth}"
                faults.append(((*placed.path, "rules", j, "categories"), message))
    return faults


def _group_ids(scheme: Scheme) -> list[str]:
    return [g.id for _, g in present(scheme.groups)]


def _starts(sections: list[Placed], group: str) -> Decimal:
    """What the sections that apply to `group` start with, added."""
    applying = (p for p in sections if p.groups is None or group in p.groups)
    return sum((p.section.start_value for p in applying), start=Decimal(0))


def _base_faults(scheme: Scheme) -> list[Fault]:
    top = [p for p in scheme.placed() if p.parent is None]
    if all(p.groups is None for p in top):
        full = sum((p.section.start_value for p in top), start=scheme.base * 0)
        if full == scheme.base:
            return []
        message = f"the sections that start full add up to {full}, not the base {scheme.base}"
        return [(("base",), message)]
    faults: list[Fault] = []
    for group in _group_ids(scheme):
        full = _starts(top, group)
        if full != scheme.base:
            message = (
                f"for the group '{group}', the sections that start full add up to {full}, not "
                f"the base {scheme.base}: each group's sections must add up to the base"
            )
            faults.append((("base",), message))
    return faults


def _nested_faults(scheme: Scheme) -> list[Fault]:
    """A section with sub-sections starts where they start, for every group they apply to."""
    faults: list[Fault] = []
    placed = scheme.placed()
    for parent in placed:
        if not parent.section.sections:
            continue
        children = [p for p in placed if p.parent == parent.section.id]
        own = parent.section.start_value
        groups = _group_ids(scheme) if parent.groups is None else sorted(parent.groups)
        for group in groups:
            starts = _starts(children, group)
            if starts != own:
                message = (
                    f"its sub-sections that start full add up to {starts} for the group "
                    f"'{group}', but this section starts at {own}: a section's points are its "
                    "full sub-sections' points added (start: zero if they all start at zero)"
                )
                faults.append(((*parent.path, "sections"), message))
                break
    return faults
