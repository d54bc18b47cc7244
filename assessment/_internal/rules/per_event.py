"""The per_event rule kind: points for each matching event, fixed, by field or escalating."""

from __future__ import annotations

from collections.abc import Callable

from assessment._internal.base.arith import Q, fraction
from assessment._internal.ledger.facts import UnitFacts
from assessment._internal.load.conditions import compile_where, table_key
from assessment._internal.load.records import CompactEvent
from assessment._internal.rules.counting import Tally
from assessment._internal.rules.hits import Context, Evaluator, Hit
from assessment._internal.rules.selection import role_of, scale_of
from assessment.scheme import PerEventRule, PointsByField, PointsFromField

__all__ = ["compile_per_event", "points_of"]

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
    if isinstance(spec, PointsFromField):
        return _from_field(spec.from_)
    assert spec is not None  # the model requires points or steps
    fixed = fraction(spec)
    return lambda event, n, ctx: fixed


def _from_field(name: str) -> PointsOf:
    """The event's own value (checked against the rule's band when the ledger was read)."""

    def points(event: object, n: int, ctx: Context) -> Q | None:
        value = getattr(event, name, None)
        return None if value is None else fraction(value)

    return points


def points_of(rule: PerEventRule) -> PointsOf:
    """The rule's points for an event: its base (fixed, by field or escalating) times its factors."""
    base = _base_points(rule)
    scale = scale_of(rule.multiply)
    if scale is None:
        return base

    def points(event: object, n: int, ctx: Context) -> Q | None:
        value = base(event, n, ctx)
        return None if value is None else scale(value, event, ctx, role_of(event, ctx))

    return points


Selected = Callable[[UnitFacts, Context], list[CompactEvent]]
"""The events a rule reads for a unit, in scoring order: of its type, roles and `where`."""


def _selected(rule: PerEventRule) -> Selected:
    matches = compile_where(rule.where)
    every_role = set(rule.roles) >= {"lead", "cohandler"}
    matches_all = not rule.where

    def selected(facts: UnitFacts, ctx: Context) -> list[CompactEvent]:
        return [
            event
            for event in facts.by_type.get(rule.event, ())
            if (every_role or role_of(event, ctx) in rule.roles) and (matches_all or matches(event))
        ]

    return selected


def compile_per_event(rule: PerEventRule) -> Evaluator:
    if rule.per != "unit":
        return _per_scope(rule)
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
            hits.append(Hit(event.date, points, (event.id,), "event", item=item, subject=event))
        return hits

    return evaluate


def _per_scope(rule: PerEventRule) -> Evaluator:
    """Steps and `max_count` counted per item or per period: the 2nd notice on an item is
    its 2nd, whatever other items had."""
    selected = _selected(rule)
    points_for = points_of(rule)

    def evaluate(facts: UnitFacts, ctx: Context) -> list[Hit]:
        hits: list[Hit] = []
        tally = Tally(rule)
        for event in selected(facts, ctx):
            item = getattr(event, "item", None)
            key = tally.key(item, event.date)
            n = tally.number(key)
            if n is None:
                continue
            points = points_for(event, n, ctx)
            if points is None:
                continue
            tally.take(key)
            hits.append(Hit(event.date, points, (event.id,), "event", item=item, subject=event))
        return hits

    return evaluate
