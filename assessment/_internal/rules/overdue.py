"""The overdue rule kind: points per day an item stays open past its deadline in force."""

from __future__ import annotations

from typing import cast

from assessment._internal.base.arith import Q, fraction
from assessment._internal.ledger.facts import UnitFacts
from assessment._internal.rules.hits import Context, Evaluator, Hit
from assessment._internal.rules.selection import counted_items, item_facts, scale_of
from assessment.scheme import OverdueRule

__all__ = ["compile_overdue"]


def compile_overdue(rule: OverdueRule) -> Evaluator:
    per_day = fraction(rule.per_day)
    per_item = fraction(rule.cap_per_item) if rule.cap_per_item is not None else None
    scale = scale_of(rule.multiply)

    def evaluate(facts: UnitFacts, ctx: Context) -> list[Hit]:
        hits = []
        for item in counted_items(facts, rule, ctx.as_of):
            end = item.closed.date if item.closed is not None else ctx.as_of
            days = (end - item.due).days - rule.grace_days
            if days <= 0:
                continue
            points = per_day * days
            # The cap per item bounds the line's own points (what it is worth), before
            # multipliers: the limits on what lines move together are the sections'.
            # typeshed's abs of an int or a Fraction is an object: it is a Q here
            if per_item is not None and cast("Q", abs(points)) > per_item:
                points = per_item if points > 0 else -per_item
            role = item.role(ctx.unit)
            if scale is not None:
                points = scale(points, item.assigned, ctx, role)
            late = (("until", end), ("days_overdue", days + rule.grace_days))
            grace = (("grace_days", rule.grace_days), ("days_counted", days))
            ident = item.assigned.item
            words = (ident, role, days, item.due)
            shown = (*item_facts(item), *late, *(grace if rule.grace_days else ()))
            events = item.event_ids()
            hits.append(Hit(end, points, events, "overdue", words, item=ident, facts=shown))
        return hits

    return evaluate
