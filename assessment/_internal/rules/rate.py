"""The rate rule kind: points per point that a rate over the counted items falls below
its mark (the completion rate, or the share closed on time)."""

from __future__ import annotations

from assessment._internal.base.arith import Q, div, fraction
from assessment._internal.ledger.facts import ItemFacts, UnitFacts
from assessment._internal.rules.hits import Context, Evaluator, Hit
from assessment._internal.rules.selection import counted_items
from assessment.scheme import RateRule

__all__ = ["compile_rate"]


def _completion(item: ItemFacts, ctx: Context) -> Q:
    standing = item.standing(ctx.as_of)
    assert standing is not None  # only counted items are rated
    return standing.completion


def _on_time(item: ItemFacts, ctx: Context) -> Q:
    return 1 if item.closed is not None and item.closed.date <= item.due else 0


def compile_rate(rule: RateRule) -> Evaluator:
    full_at = fraction(rule.full_at)
    per_point = fraction(rule.per_point_below)
    part = _completion if rule.of == "completion" else _on_time

    def evaluate(facts: UnitFacts, ctx: Context) -> list[Hit]:
        items = counted_items(facts, rule, ctx.as_of)
        if not items:
            return []
        rate = div(sum(part(i, ctx) for i in items), len(items))
        if rate >= full_at:
            return []
        points = per_point * (full_at - rate) * 100
        events = tuple(i.assigned.id for i in items)
        shown = (("of", rule.of), ("items", len(items)), ("rate", rate), ("full_at", full_at))
        words = (len(items), rate, full_at)
        return [Hit(ctx.as_of, points, events, "rate", words, facts=shown)]

    return evaluate
