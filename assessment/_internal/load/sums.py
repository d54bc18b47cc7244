"""The sums a scheme must make: its full sections add up to the base, and the
categories of a completion rule are worth no more than the rule's section."""

from __future__ import annotations

from assessment._internal.load.faults import Fault, present
from assessment.scheme import CompletionRule, Scheme

__all__ = ["sum_faults"]


def sum_faults(scheme: Scheme, *, complete: bool) -> list[Fault]:
    """Every sum that does not add up; the base only in a `complete` scheme."""
    faults = _category_weight_faults(scheme)
    return faults + _base_faults(scheme) if complete else faults


def _category_weight_faults(scheme: Scheme) -> list[Fault]:
    faults: list[Fault] = []
    for i, section in present(scheme.sections):
        for j, rule in present(section.rules):
            if not isinstance(rule, CompletionRule):
                continue
            weight = sum(
                c.points
                for _, c in present(scheme.categories)
                if c.id in rule.categories and c.points is not None
            )
            if weight > section.points:
                message = (
                    f"these categories are worth {weight}, more than the section's {section.points}"
                )
                faults.append((("sections", i, "rules", j, "categories"), message))
    return faults


def _base_faults(scheme: Scheme) -> list[Fault]:
    full = sum((s.points for s in scheme.sections if s.start == "full"), start=scheme.base * 0)
    if full == scheme.base:
        return []
    return [
        (("base",), f"the sections that start full add up to {full}, not the base {scheme.base}")
    ]
