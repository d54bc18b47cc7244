"""The per_event rule kind: points for each matching event, fixed, by field or escalating."""

from __future__ import annotations

from collections.abc import Callable

from assessment._internal.base.arith import Q, fraction
from assessment._internal.ledger.facts import UnitFacts
from assessment._internal.load.conditions import compile_where, table_key
from assessment._internal.rules.hits import Context, Evaluator, Hit
from assessment._internal.rules.selection import role_of, scale_of
from assessment.scheme import PerEventRule, PointsByField

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
    assert spec is not None  # the model requires points or steps
    fixed = fraction(spec)
    return lambda event, n, ctx: fixed


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
            hits.append(Hit(event.date, points, (event.id,), "event", item=item, subject=event))
        return hits

    return evaluate
