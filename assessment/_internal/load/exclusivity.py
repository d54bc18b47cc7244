"""Exclusivity groups (不重复计分) a scheme can keep: each is declared once and named by rules
whose lines can be about one matter, and every group has something to choose between.

A group that can never choose looks exactly like one that chose: nobody would notice
that a bonus and a praise for the same item both counted. So a rule whose lines can
never share a matter under its group's scope is refused, with why, and so is a group
named by one rule or none, a group weighing a bonus against a deduction, and a rule in
ranking groups no other rule of its group reaches.
"""

from __future__ import annotations

from typing import Any

from assessment._internal.load.eventtypes import event_types
from assessment._internal.load.faults import Fault, Unknown, duplicates, present, unknown
from assessment._internal.text.yamlsource import Path
from assessment.scheme import ExclusiveGroup, PerEventRule, Scheme, Section

__all__ = ["exclusive_faults"]

# Why a rule kind can never be in an exclusivity group.
_NEVER = {
    "completion": (
        "a completion rule's lines are a category's share of the section's points, not points "
        "for one matter, so they cannot be weighed against another rule's"
    ),
    "adjustment": (
        "an adjustment's points are the assessors' own, recorded by hand with a reason, and "
        "are not weighed against a rule's"
    ),
}
# The kinds whose lines can be about one item, and about one event.
_ITEM_KINDS = frozenset({"per_event", "per_item", "overdue"})
_EVENT_KINDS = frozenset({"per_event"})
# The kinds that give at most one line per matter of a scope: alone, a group of that scope
# has nothing to choose between, even `highest_line`.
_ONE_LINE = {"item": {"per_item", "overdue"}, "event": {"per_event"}, "unit": {"finding", "rate"}}

_OTHER_SCOPE = "name a group of another scope (`scope: unit`), or remove `exclusive`"

Named = list[tuple[Path, Section, Any]]
"""The rules that name a group: each with its path and its section."""


def exclusive_faults(scheme: Scheme, *, complete: bool = True) -> list[Fault]:
    """Every fault of the scheme's exclusivity groups and of the rules that name them."""
    declared = [(i, g) for i, g in present(scheme.exclusive_groups)]
    groups = {group.id: group for _, group in declared}
    entries = ((("exclusive_groups", i), g.id) for i, g in declared)
    faults: list[Fault] = list(duplicates(entries, "exclusive group"))
    named: dict[str, Named] = {}
    for placed in scheme.placed():  # sub-sections too
        section = placed.section
        for j, rule in present(getattr(section, "rules", ())):
            if getattr(rule, "exclusive", None) is None:
                continue
            path: Path = (*placed.path, "rules", j, "exclusive")
            group = groups.get(rule.exclusive)
            if group is None:
                faults.append(_unknown(path, rule.exclusive, groups))
                continue
            why = _cannot_apply(scheme, group, rule)
            if why is not None:
                advice = "remove `exclusive`" if rule.kind in _NEVER else _OTHER_SCOPE
                faults.append((path, f"{why}: {advice}"))
                continue
            named.setdefault(group.id, []).append((path, section, rule))
    # A typo in a rule's `exclusive` leaves its group short of rules: fix the typo first.
    if complete and not any(isinstance(f, Unknown) for f in faults):
        for i, group in declared:
            faults += _group_faults(("exclusive_groups", i), group, named.get(group.id, []))
    return faults


def _unknown(path: Path, name: str, groups: dict[str, ExclusiveGroup]) -> Fault:
    if groups:
        return unknown(path, "exclusive group", name, groups)
    message = (
        f"the rule names exclusive group '{name}', and the scheme declares none: declare it "
        "in `exclusive_groups:` (with its id, name, scope and choice)"
    )
    return Unknown(path, message, name)


def _cannot_apply(scheme: Scheme, group: ExclusiveGroup, rule: Any) -> str | None:
    """Why `rule` can never be weighed against another rule under `group`'s scope."""
    if rule.kind in _NEVER:
        return _NEVER[rule.kind]
    if group.scope == "item" and rule.kind not in _ITEM_KINDS:
        return (
            f"a {rule.kind} rule's lines are about no item, so under group '{group.id}' "
            "(scope: item) each would be a matter of its own and never be weighed"
        )
    if group.scope == "event" and rule.kind not in _EVENT_KINDS:
        return (
            f"a {rule.kind} rule's lines are not each about one event, so under group "
            f"'{group.id}' (scope: event) they would never be weighed"
        )
    if group.scope == "item" and isinstance(rule, PerEventRule):
        model = event_types(scheme).models.get(rule.event)
        if model is not None and "item" not in model.model_fields:
            return (
                f"events of type '{rule.event}' name no item, so under group '{group.id}' "
                "(scope: item) each would be a matter of its own and never be weighed"
            )
    return None


def _group_faults(base: Path, group: ExclusiveGroup, named: Named) -> list[Fault]:
    """A group must have rules to choose between, of one direction, that can meet."""
    if not named:
        message = (
            f"exclusive group '{group.id}' is named by no rule: name it in `exclusive:` on the "
            "rules that must not count the same matter twice, or remove it"
        )
        return [((*base, "id"), message)]
    if len(named) == 1 and group.choice != "highest_line":
        message = (
            f"only rule '{named[0][2].id}' names exclusive group '{group.id}': a group chooses "
            "between rules, so alone it changes nothing; name it on the other rules that must "
            "not count the same matter, or remove it"
        )
        return [((*base, "id"), message)]
    if len(named) == 1 and named[0][2].kind in _ONE_LINE[group.scope]:
        rule = named[0][2]
        message = (
            f"only rule '{rule.id}' names exclusive group '{group.id}', and a {rule.kind} rule "
            f"gives at most one line per {group.scope}: alone it changes nothing; name the group "
            "on the other rules that must not count the same matter, or remove it"
        )
        return [((*base, "id"), message)]
    return (
        _direction_faults(group, named)
        + _meeting_faults(group, named)
        + _event_faults(group, named)
    )


def _direction(section: Section) -> str | None:
    if section.start == "full":
        return "takes points off (its section starts full)"
    if section.floor == 0:
        return "adds points (its section starts at zero and gains)"
    return None


def _direction_faults(group: ExclusiveGroup, named: Named) -> list[Fault]:
    """ "Take the highest" cannot weigh a bonus against a deduction."""
    seen: dict[str, str] = {}
    faults: list[Fault] = []
    for path, section, rule in named:
        direction = None if rule.sign == "any" else _direction(section)
        if direction is None:
            continue
        other = next(((d, r) for d, r in seen.items() if d != direction), None)
        if other is not None:
            message = (
                f"rule '{rule.id}' {direction} and rule '{other[1]}' {other[0]}: group "
                f"'{group.id}' would weigh points added against points taken off; put them in "
                "separate groups"
            )
            faults.append((path, message))
        seen.setdefault(direction, rule.id)
    return faults


def _meeting_faults(group: ExclusiveGroup, named: Named) -> list[Fault]:
    """A rule applying only to ranking groups no other rule of its group reaches is never
    weighed against another."""
    faults: list[Fault] = []
    for path, _, rule in named:
        if rule.groups is None:
            continue
        others = [r.groups for _, _, r in named if r is not rule]
        if any(theirs is None or set(theirs) & set(rule.groups) for theirs in others):
            continue
        message = (
            f"rule '{rule.id}' applies only to {', '.join(rule.groups)}, which no other rule "
            f"of group '{group.id}' applies to: it is never weighed against another; remove "
            "`exclusive` or the groups that keep the rules apart"
        )
        faults.append((path, message))
    return faults


def _event_faults(group: ExclusiveGroup, named: Named) -> list[Fault]:
    """Under `scope: event`, rules share a matter only when they read the same event type."""
    faults: list[Fault] = []
    if group.scope != "event":
        return faults
    kinds = [getattr(rule, "event", None) for _, _, rule in named]
    for path, _, rule in named:
        if rule.kind != "per_event" or kinds.count(rule.event) > 1:
            continue
        message = (
            f"no other rule of this group reads events of type '{rule.event}': under "
            "`scope: event` it is never weighed against another; group rules that read the "
            "same events, or use `scope: item` or `scope: unit`"
        )
        faults.append((path, message))
    return faults
