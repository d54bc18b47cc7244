"""The rule kinds: each compiles a rule of the scheme into a plain function.

A compiled rule takes a unit's facts and the scoring context and returns its
hits: dated movements of points with the events behind them. Rules know their
kind, never a year: every number, field and event type comes from the scheme.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from assessment._internal.base.arith import Q, fraction
from assessment._internal.ledger.facts import UnitFacts
from assessment._internal.load.periods import periods
from assessment._internal.rules.conditions import compile_where, table_key
from assessment.scheme import (
    AdjustmentRule,
    FindingRule,
    Multiplier,
    PerEventRule,
    Period,
    PeriodicRule,
    PointsByField,
    ThresholdRule,
)

__all__ = [
    "Context",
    "Evaluator",
    "Hit",
    "compile_adjustment",
    "compile_finding",
    "compile_per_event",
    "compile_periodic",
    "compile_threshold",
]


@dataclass(slots=True)
class Hit:
    """Points a rule gives: `points` as written, `allowed` after the rule's own cap.

    Treated as immutable (copies are made with `replace`); not frozen, because a
    frozen dataclass is several times slower to create and there are many hits.
    """

    date: date
    points: Q
    events: tuple[str, ...]
    detail: str
    allowed: Q | None = None
    item: str | None = None
    excluded: bool = False  # another rule of its `exclusive` group counted instead
    info: bool = False  # says something (a category's points moved) without being an occurrence
    excludes_unit: bool = False  # the unit is not assessed (left out of ranking and grading)
    # What decided it, for the explanation: (name, value) pairs, or else the one event it is
    # about (its fields are read only when a trail is wanted).
    facts: tuple[tuple[str, object], ...] = ()
    subject: object = None

    @property
    def capped(self) -> Q:
        return self.points if self.allowed is None else self.allowed

    @property
    def occurs(self) -> bool:
        """Whether the line is an occurrence of its rule, as thresholds and flags count them:
        it gave points (its multipliers did not make them 0), whatever caps, floors or
        another rule of its `exclusive` group then did with them."""
        return self.points != 0 and not self.info


@dataclass(frozen=True)
class Context:
    """What a rule may know besides the unit's facts."""

    as_of: date
    period: Period
    section_starts_full: bool
    unit_kind: str = ""
    group: str = ""
    unit: str = ""
    earlier: dict[str, list[Hit]] = field(default_factory=dict)


Evaluator = Callable[[UnitFacts, Context], list[Hit]]


def compile_finding(rule: FindingRule) -> Evaluator:
    key = (rule.event, rule.field)
    points = fraction(rule.points)

    def evaluate(facts: UnitFacts, ctx: Context) -> list[Hit]:
        event = facts.latest.get(key)
        if event is None or getattr(event, rule.field) != rule.equals:
            return []
        detail = f"{rule.event} 最近一次({event.date})记录 {rule.field} = {table_key(rule.equals)}"
        shown = ((rule.field, rule.equals),)
        return [Hit(event.date, points, (event.id,), detail, facts=shown)]

    return evaluate


def capped(hits: list[Hit], cap: Q) -> list[Hit]:
    """Apply a rule's cap on the points it moves in all (either sign), in date order.

    Applied after another rule of an `exclusive` group took a line's place: such a line
    (already at 0) uses none of the room.
    """
    out: list[Hit] = []
    used: Q = 0
    for hit in sorted(hits, key=lambda h: (h.date, h.events)):
        if hit.excluded:
            out.append(hit)
            continue
        room = max(0, cap - used)
        allowed = max(-room, min(room, hit.points))
        used += allowed if allowed >= 0 else -allowed
        out.append(replace(hit, allowed=allowed))
    return out


PointsOf = Callable[[object, int, Context], Q | None]
"""The points a rule gives an event, the n-th (from 0) it matched; None: it earns nothing."""


def _base_points(rule: PerEventRule) -> PointsOf:
    if rule.steps is not None:
        steps = [fraction(s) for s in rule.steps]
        return lambda event, n, ctx: steps[min(n, len(steps) - 1)]
    spec = rule.points
    if isinstance(spec, PointsByField):
        table = {key: fraction(value) for key, value in spec.table.items()}
        default = fraction(spec.default) if spec.default is not None else None
        return lambda event, n, ctx: table.get(table_key(getattr(event, spec.by, None)), default)
    assert spec is not None  # the model requires points or steps
    fixed = fraction(spec)
    return lambda event, n, ctx: fixed


Factor = Callable[[object, Context, str], Q]
"""A factor for a subject (an event, or an item's assignment), in a context, for a role."""


def factor_of(multiplier: Multiplier) -> Factor:
    table = {key: fraction(value) for key, value in multiplier.table.items()}
    default = fraction(multiplier.default)
    if multiplier.of == "unit_kind":
        return lambda subject, ctx, role: table.get(ctx.unit_kind, default)
    if multiplier.of == "group":
        return lambda subject, ctx, role: table.get(ctx.group, default)
    if multiplier.of == "role":
        return lambda subject, ctx, role: table.get(role, default)
    name = multiplier.field or ""
    return lambda subject, ctx, role: table.get(table_key(getattr(subject, name, None)), default)


def role_of(event: object, ctx: Context) -> str:
    """An event's role for the unit being scored: its own (lead), or an item it co-handles."""
    return "lead" if getattr(event, "unit", None) == ctx.unit else "cohandler"


def points_of(rule: PerEventRule) -> PointsOf:
    """The rule's points for an event: its base (fixed, by field or escalating) times its factors."""
    base = _base_points(rule)
    factors = [factor_of(m) for m in rule.multiply]
    if not factors:
        return base

    def points(event: object, n: int, ctx: Context) -> Q | None:
        value = base(event, n, ctx)
        if value is None:
            return None
        role = role_of(event, ctx)
        for factor in factors:
            value *= factor(event, ctx, role)
        return value

    return points


def compile_per_event(rule: PerEventRule) -> Evaluator:
    matches = compile_where(rule.where)
    points_for = points_of(rule)

    every_role = set(rule.roles) >= {"lead", "cohandler"}
    matches_all = not rule.where

    def evaluate(facts: UnitFacts, ctx: Context) -> list[Hit]:
        hits: list[Hit] = []
        for event in facts.by_type.get(rule.event, ()):
            if not every_role and role_of(event, ctx) not in rule.roles:
                continue
            if not matches_all and not matches(event):
                continue
            if rule.max_count is not None and len(hits) >= rule.max_count:
                break
            points = points_for(event, len(hits), ctx)
            if points is None:
                continue
            item = getattr(event, "item", None)
            detail = _describe(event)
            hits.append(Hit(event.date, points, (event.id,), detail, item=item, subject=event))
        return hits

    return evaluate


def _describe(event: object) -> str:
    item = getattr(event, "item", None)
    extra = f" 事项 {item}" if item else ""
    return f"{getattr(event, 'type', '')} {getattr(event, 'date', '')}{extra}"


def compile_periodic(rule: PeriodicRule) -> Evaluator:
    missed, late = fraction(rule.missed), fraction(rule.late)
    delay = timedelta(days=rule.deadline.days_after_end)

    def evaluate(facts: UnitFacts, ctx: Context) -> list[Hit]:
        first: dict[str, tuple[date, str]] = {}
        for event in facts.by_type.get(rule.event, ()):
            key = str(getattr(event, rule.period_field))
            first.setdefault(key, (event.date, event.id))
        hits = []
        for key, _, last in periods(ctx.period, rule.every):
            deadline = last + delay
            if deadline > ctx.as_of:
                break
            arrived = first.get(key)
            shown: tuple[tuple[str, object], ...] = (("period", key), ("deadline", deadline))
            if arrived is None:  # decided when the deadline passed
                detail = f"{key} 未报送(截止 {deadline})"
                hits.append(Hit(deadline, missed, (), detail, facts=shown))
            elif arrived[0] > deadline:  # decided when the late report arrived
                detail = f"{key} 逾期报送(截止 {deadline},{arrived[0]} 报送)"
                shown += (("submitted", arrived[0]),)
                hits.append(Hit(arrived[0], late, (arrived[1],), detail, facts=shown))
        return hits  # a period with 0 points still says what happened: a flag may count it

    return evaluate


def compile_threshold(rule: ThresholdRule) -> Evaluator:
    points = fraction(rule.points)

    def evaluate(facts: UnitFacts, ctx: Context) -> list[Hit]:
        counted = sorted(ctx.earlier.get(rule.counts, ()), key=lambda h: h.date)
        hits = []
        reached = range(rule.at, len(counted) + 1, rule.at) if rule.repeat else [rule.at]
        for n in reached:
            if n > len(counted):
                break
            upto = counted[:n]
            events = tuple(e for hit in upto for e in hit.events)
            detail = f"{rule.counts} 累计第 {n} 次"
            shown = (("counts", rule.counts), ("occurrence", n))
            hits.append(Hit(upto[-1].date, points, events, detail, facts=shown))
        return hits

    return evaluate


def compile_adjustment(rule: AdjustmentRule) -> Evaluator:
    low, high = fraction(rule.min), fraction(rule.max)

    def evaluate(facts: UnitFacts, ctx: Context) -> list[Hit]:
        hits = []
        running: Q = 0
        for event in facts.by_type.get("adjustment", ()):
            if event.rule != rule.id:
                continue
            points = fraction(event.points)
            allowed = max(low, min(high, running + points)) - running
            running += allowed
            detail = f"调整理由: {event.reason}"
            hits.append(Hit(event.date, points, (event.id,), detail, allowed, subject=event))
        return hits

    return evaluate
