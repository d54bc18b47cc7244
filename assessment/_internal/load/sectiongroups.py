"""Sections for one group only: the groups a section names exist, a sub-section's and a
rule's groups lie within their section's, so that no part of a scheme is silently dead."""

from __future__ import annotations

from assessment._internal.load.faults import Fault, present, unknown
from assessment._internal.model.sections import Placed
from assessment.scheme import Scheme

__all__ = ["section_group_faults"]


def section_group_faults(scheme: Scheme) -> list[Fault]:
    """Every section group that does not exist or can never meet its section's parent, and
    every rule group its section leaves out."""
    known = {g.id for _, g in present(scheme.groups)}
    by_id = {p.section.id: p for p in scheme.placed()}
    faults: list[Fault] = []
    for placed in by_id.values():
        section = placed.section
        if section.groups is not None:
            outer = by_id[placed.parent].groups if placed.parent in by_id else None
            faults += _own_faults(placed, known, outer)
        if placed.groups is not None:
            faults += _rule_faults(placed)
    return faults


def _own_faults(placed: Placed, known: set[str], outer: frozenset[str] | None) -> list[Fault]:
    groups = placed.section.groups or ()
    path = (*placed.path, "groups")
    if not groups:
        message = (
            "`groups: []` applies the section to no group, so no unit has it: name the groups "
            "it applies to, or remove `groups` to apply it to every group"
        )
        return [(path, message)]
    faults: list[Fault] = []
    for i, group in enumerate(groups):
        if group not in known:
            faults.append(unknown((*path, i), "group", group, known))
        elif outer is not None and group not in outer:
            message = (
                f"the parent section applies only to the groups {', '.join(sorted(outer))}: "
                f"no unit of '{group}' has this sub-section; remove '{group}'"
            )
            faults.append(((*path, i), message))
    return faults


def _rule_faults(placed: Placed) -> list[Fault]:
    """A rule's groups within its section's: a group the section leaves out never fires."""
    faults: list[Fault] = []
    allowed = placed.groups or frozenset()
    for j, rule in present(placed.section.rules):
        for i, group in enumerate(rule.groups or ()):
            if group not in allowed:
                message = (
                    f"the section applies only to the groups {', '.join(sorted(allowed))}, so "
                    f"the rule never fires for '{group}': remove '{group}' (or the rule's "
                    "`groups`, which the section's already say)"
                )
                faults.append(((*placed.path, "rules", j, "groups", i), message))
    return faults
