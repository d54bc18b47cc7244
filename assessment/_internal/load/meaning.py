"""Whether a scheme's rules can do what they say: each can fire, and each sign means what it says.

The references are checked elsewhere (`references.py`); these checks read the
rules for sense. A rule that can never fire and a sign that contradicts the
rule's meaning both look like a rule that simply did not apply: nobody would
notice the score they change. Each is refused with what to write instead; a
scheme that means an unusual sign says so with `sign: any` and a `note`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

from assessment._internal.load.counting import counting_faults
from assessment._internal.load.eventtypes import event_types
from assessment._internal.load.faults import Fault
from assessment._internal.load.periods import periods
from assessment._internal.load.records import LIFECYCLE
from assessment._internal.model.sections import Placed
from assessment._internal.text.yamlsource import Path
from assessment.scheme import (
    AllItemsRule,
    CompletionRule,
    FindingRule,
    OverdueRule,
    PerEventRule,
    PeriodicRule,
    PerItemRule,
    PointsByField,
    PointsFromField,
    RateRule,
    Rule,
    Scheme,
    Section,
    ThresholdRule,
)

__all__ = ["check_meaning"]

_DEDUCTION, _ADDITION = "deduction", "addition"


def check_meaning(scheme: Scheme) -> list[Fault]:
    """Every rule that can never fire, and every sign against its rule's meaning."""
    faults: list[Fault] = []
    by_id = {rule.id: rule for _, rule in scheme.rules()}
    for placed in scheme.placed():
        section = placed.section
        for j, rule in enumerate(section.rules):
            base: Path = (*placed.path, "rules", j)
            faults += _scope_faults(scheme, base, rule)
            faults += _role_faults(scheme, base, rule)
            faults += _role_factor_faults(base, rule)
            faults += _sign_faults(section, base, rule)
            if isinstance(rule, PeriodicRule):
                faults += _periodic_faults(scheme, base, rule)
            if isinstance(rule, ThresholdRule) and rule.counts in by_id:
                reach = _groups_reached(scheme)
                meet = reach[rule.id], reach[rule.counts]
                faults += _threshold_faults(scheme, base, rule, by_id[rule.counts], meet)
            faults += _evidence_faults(base, rule)
            faults += counting_faults(scheme, base, rule, by_id)
    faults += _flag_faults(scheme, by_id)
    faults += [f for placed in scheme.placed() for f in _idle_limit_faults(placed)]
    return faults


def _idle_limit_faults(placed: Placed) -> list[Fault]:
    """`cap: none` (or a cap above the start) where every rule only takes points off, and
    `floor: none` where every rule only adds them: a limit written that can never apply."""
    section = placed.section
    if not section.rules or any(r.sign == "any" or not _points_of(r) for r in section.rules):
        return []  # sub-sections, or rules whose points may go either way
    values = [value for rule in section.rules for _, value in _points_of(rule)]
    top, start = section.top, section.start_value
    if section.cap is not None and (top is None or top > start) and all(v <= 0 for v in values):
        message = (
            "every rule of this section takes points off, so it never rises above its start: "
            "remove `cap` (or give the rule that adds points)"
        )
        return [((*placed.path, "cap"), message)]
    if section.floor == "none" and all(v >= 0 for v in values):
        message = (
            "every rule of this section adds points, so it never falls below its start: "
            "remove `floor: none` (or give the rule that takes points off)"
        )
        return [((*placed.path, "floor"), message)]
    return []


# ---------------------------------------------------------------- can it fire at all


def _occurrences_at_most(scheme: Scheme, rule: Rule) -> int | None:
    """The most lines `rule` can give a unit in a year, or None when it has no bound."""
    if isinstance(rule, FindingRule | RateRule | AllItemsRule):
        return 1
    if isinstance(rule, PeriodicRule):
        return len(periods(scheme.period, rule.every))  # each falls due, or the rule is refused
    if isinstance(rule, PerEventRule | PerItemRule) and rule.max_count is not None:
        if rule.per == "unit":
            return rule.max_count
        if rule.per != "item":  # at most so many in each period
            return rule.max_count * len(periods(scheme.period, rule.per))
    return None


def _gives_nothing(rule: Rule) -> bool:
    """Whether every number of points the rule can give is 0 (a rule that exists to raise a
    flag); completion and adjustment take theirs from elsewhere."""
    given = _points_of(rule)
    return bool(given) and all(value == 0 for _, value in given)


def _scope_faults(scheme: Scheme, base: Path, rule: Rule) -> list[Fault]:
    """`groups: []` or `categories: []` leave the rule nothing to apply to; a multiplier
    looked up by a kind or group the rule's groups leave out never applies."""
    faults: list[Fault] = []
    if rule.groups is not None and not rule.groups:
        message = (
            "`groups: []` applies the rule to no group, so it never fires: name the groups it "
            "applies to, or remove `groups` to apply it to every group"
        )
        faults.append(((*base, "groups"), message))
    categories = getattr(rule, "categories", None)
    if categories is not None and not categories and not isinstance(rule, CompletionRule):
        message = (
            "`categories: []` applies the rule to no item, so it never fires: name the "
            "categories, or remove `categories` to apply it to every category"
        )
        faults.append(((*base, "categories"), message))
    if rule.groups:
        groups = set(rule.groups)
        kinds = {kind for group in scheme.groups if group.id in groups for kind in group.kinds}
        for i, multiplier in enumerate(getattr(rule, "multiply", ())):
            reachable = {"group": groups, "unit_kind": kinds}.get(multiplier.of)
            if reachable is None:
                continue
            for key in multiplier.table:
                if key not in reachable:
                    message = (
                        f"the rule applies only to the groups {', '.join(rule.groups)}, which have "
                        f"no {multiplier.of.replace('_', ' ')} '{key}': this factor never applies"
                    )
                    faults.append(((*base, "multiply", i, "table", key), message))
    return faults


def _role_faults(scheme: Scheme, base: Path, rule: Rule) -> list[Fault]:
    """Only an item's events reach its co-handlers (its lifecycle's, and those of the
    scheme's types declared with `item: true`): other events are the unit's own."""
    if not isinstance(rule, PerEventRule) or rule.event in LIFECYCLE:
        return []
    if rule.event in event_types(scheme).item_kinds:
        return []
    faults: list[Fault] = []
    own = f"events of type '{rule.event}' are the unit's own, never a co-handler's"
    if "cohandler" in rule.roles:
        faults.append(((*base, "roles"), f"{own}: remove `roles` (the lead is the unit itself)"))
    for i, multiplier in enumerate(rule.multiply):
        if multiplier.of == "role" and "cohandler" in multiplier.table:
            message = f"{own}: this factor never applies; remove it"
            faults.append(((*base, "multiply", i, "table", "cohandler"), message))
    return faults


def _role_factor_faults(base: Path, rule: Rule) -> list[Fault]:
    """A factor by role for a role the rule does not count items for never applies (a
    co-handler's factor on a rule of `roles: [lead]`: the co-handlers get nothing, not the
    factor). Events that are a unit's own are `_role_faults`' to word."""
    if isinstance(rule, PerEventRule) and rule.event not in LIFECYCLE:
        return []
    roles = getattr(rule, "roles", None)
    if roles is None:
        return []
    faults: list[Fault] = []
    for i, multiplier in enumerate(getattr(rule, "multiply", ())):
        if multiplier.of != "role":
            continue
        for key in multiplier.table:
            if key in ("lead", "cohandler") and key not in roles:
                message = (
                    f"the rule scores items only for {', '.join(roles)} (`roles`): this factor "
                    f"for '{key}' never applies; add {key} to `roles`, or remove the factor"
                )
                faults.append(((*base, "multiply", i, "table", key), message))
    return faults


def _periodic_faults(scheme: Scheme, base: Path, rule: PeriodicRule) -> list[Fault]:
    """Every period must fall due by the last day the scheme scores: one that falls due later
    could never be charged (a unit that never reports for it would lose nothing)."""
    last = scheme.period.last_event_day
    days = timedelta(days=rule.deadline.days_after_end)
    never = [span for span in periods(scheme.period, rule.every) if span.last + days > last]
    if not never:
        return []
    first = never[0]
    which = f"{len(never)} periods, the first" if len(never) > 1 else "the period"
    message = (
        f"{which} {first.key} falls due on {first.last + days}, after {last}, the last day the "
        "scheme scores: it could never be charged; let the ledger run until then "
        f"(period.events_until: {first.last + days} or later), or shorten the deadline"
    )
    return [((*base, "deadline"), message)]


def _reach(scheme: Scheme, rule: Rule, wanted: int, count: str = "occurrences") -> str | None:
    """Why `rule` can never reach `wanted` occurrences (or lines), or None when it can."""
    if count == "occurrences" and _gives_nothing(rule):
        return f"rule '{rule.id}' gives no points, so it never has an occurrence"
    most = _occurrences_at_most(scheme, rule)
    if most is not None and wanted > most:
        return f"rule '{rule.id}' can fire at most {most} time{'s' if most != 1 else ''} a year"
    return None


def _groups_reached(scheme: Scheme) -> dict[str, frozenset[str] | None]:
    """The groups each rule applies to: its own `groups` within its section's (None: all)."""
    reached: dict[str, frozenset[str] | None] = {}
    for placed in scheme.placed():
        for rule in placed.section.rules:
            own = frozenset(rule.groups) if rule.groups is not None else None
            within = placed.groups
            reached[rule.id] = own if within is None else within if own is None else own & within
    return reached


def _threshold_faults(
    scheme: Scheme,
    base: Path,
    rule: ThresholdRule,
    counted: Rule,
    meet: tuple[frozenset[str] | None, frozenset[str] | None],
) -> list[Fault]:
    faults: list[Fault] = []
    why = _reach(scheme, counted, rule.at)
    if why is None and rule.per != "unit" and isinstance(counted, PerEventRule | PerItemRule):
        most = counted.max_count if counted.per == rule.per else None
        if most is not None and rule.at > most:
            why = f"rule '{counted.id}' counts at most {most} per {rule.per}"
    if why is not None:
        faults.append(((*base, "at"), f"{why}: `at: {rule.at}` is never reached"))
    mine, theirs = meet
    if mine is not None and theirs is not None and not mine & theirs:
        message = (
            f"rule '{counted.id}' applies only to {', '.join(sorted(theirs))}, and this rule "
            f"only to {', '.join(sorted(mine))}: it never fires"
        )
        faults.append(((*base, "groups") if rule.groups is not None else base, message))
    return faults


def _flag_faults(scheme: Scheme, by_id: dict[str, Rule]) -> list[Fault]:
    faults: list[Fault] = []
    for i, flag in enumerate(scheme.flags):
        for j, trigger in enumerate(flag.raised_by):
            rule = by_id.get(trigger.rule)
            if rule is None:
                continue  # an unknown rule, reported with the references
            why = _reach(scheme, rule, trigger.at_least, trigger.count)
            if why is None:
                continue
            advice = f"`at_least: {trigger.at_least}` is never reached"
            if trigger.count == "occurrences" and _gives_nothing(rule):
                advice = "to count every line it gives, write `count: lines`"
            faults.append((("flags", i, "raised_by", j), f"{why}: {advice}"))
    return faults


# ---------------------------------------------------------------- signs


def _counted_points(
    rule: PerEventRule | PerItemRule | ThresholdRule,
) -> Iterator[tuple[Path, Decimal]]:
    """The points of a rule that counts its lines: its steps, a table's, a band's ends."""
    if rule.steps is not None:
        yield from ((("steps", i), value) for i, value in enumerate(rule.steps))
    elif isinstance(rule.points, PointsByField):
        yield from ((("points", "table", k), v) for k, v in rule.points.table.items())
        if rule.points.default is not None:
            yield ("points", "default"), rule.points.default
    elif isinstance(rule.points, PointsFromField):
        yield from ((("points", end), getattr(rule.points, end)) for end in ("min", "max"))
    elif rule.points is not None:
        yield ("points",), rule.points


Direction = tuple[str, str]
"""A direction points must go (deduction or addition), and why."""


def _section_direction(section: Section) -> Direction | None:
    """A section that starts full only loses points; one that starts at zero with a floor of
    0 only gains them; one that starts at zero with a floor below it goes both ways."""
    top = section.top
    if section.start == "full":
        if top is not None and top == section.points:
            return _DEDUCTION, "the section starts full and loses points"
        return None  # a cap above its start (or none): it may gain too
    if section.floor == 0:
        return _ADDITION, "the section starts at zero and gains points (加分)"
    if top == 0:
        return _DEDUCTION, "the section starts at zero with a cap of 0 (deductions only)"
    return None


def _kind_direction(rule: Rule) -> Direction | None:
    """What the rule's kind means its points to be, where it means something."""
    if isinstance(rule, PeriodicRule):
        return _DEDUCTION, "a missed or late period is a deduction"
    if isinstance(rule, OverdueRule):
        return _DEDUCTION, "days overdue are a deduction"
    if isinstance(rule, RateRule):
        return _DEDUCTION, "a rate below `full_at` is a deduction"
    if isinstance(rule, AllItemsRule):
        return _ADDITION, f"every item {rule.status.replace('_', ' ')} earns points"
    if isinstance(rule, PerItemRule):
        status = rule.status.replace("_", " ")
        if rule.status in ("incomplete", "closed_late"):
            return _DEDUCTION, f"an item {status} is a deduction"
        return _ADDITION, f"an item {status} earns points"
    return None


def _points_of(rule: Rule) -> list[tuple[Path, Decimal]]:
    """The rule's own points, where they are written: completion (a category's share) and
    adjustment (signed by design) have none."""
    if isinstance(rule, PeriodicRule):
        return [(("missed",), rule.missed), (("late",), rule.late)]
    if isinstance(rule, OverdueRule):
        return [(("per_day",), rule.per_day)]
    if isinstance(rule, RateRule):
        return [(("per_point_below",), rule.per_point_below)]
    if isinstance(rule, AllItemsRule | FindingRule):
        return [(("points",), rule.points)]
    if isinstance(rule, PerEventRule | PerItemRule | ThresholdRule):
        return list(_counted_points(rule))
    return []


def _sign_faults(section: Section, base: Path, rule: Rule) -> list[Fault]:
    """Points must go the way their rule's kind and their section both mean them to."""
    if rule.sign == "any":
        if rule.note is None:
            message = "`sign: any` needs a `note` saying why the points may go either way"
            return [((*base, "sign"), message)]
        return []
    directions = [d for d in (_kind_direction(rule), _section_direction(section)) if d]
    faults: list[Fault] = []
    for path, value in _points_of(rule):
        for direction, reason in directions:
            if value > 0 if direction == _DEDUCTION else value < 0:
                faults.append(((*base, *path), _sign_message(value, direction, reason)))
                break
    return faults


def _sign_message(value: Decimal, direction: str, reason: str) -> str:
    shown = f"{value.normalize():f}"
    flipped = f"{(-value).normalize():f}"
    verb = "adds" if direction == _DEDUCTION else "takes off"
    return (
        f"{shown} {verb} points, but {reason}: write {flipped}; if the scheme means {shown}, "
        "say so with `sign: any` and a `note`"
    )


# ---------------------------------------------------------------- whose records decide


def _evidence_faults(base: Path, rule: Rule) -> list[Fault]:
    """A threshold decides nothing from records of its own: it counts another rule's lines,
    and the records behind them are that rule's. An `evidence` on it would be shown as if
    it were a source of its own."""
    if not isinstance(rule, ThresholdRule) or rule.evidence is None:
        return []
    message = (
        f"a threshold counts the lines of rule '{rule.counts}', whose records decide: "
        f"write `evidence` on rule '{rule.counts}' instead, and remove it here"
    )
    return [((*base, "evidence"), message)]
