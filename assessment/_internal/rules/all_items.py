"""The all_items rule kind: points once, when every counted item of the unit is in a status
(all done on time, all closed early), and what a unit with no counted item gets."""

from __future__ import annotations

from assessment._internal.base.arith import Q, fraction
from assessment._internal.ledger.facts import UnitFacts
from assessment._internal.rules.hits import Context, Evaluator, Facts, Hit
from assessment._internal.rules.per_item import status_test
from assessment._internal.rules.selection import counted_items, scale_of
from assessment.scheme import AllItemsRule

__all__ = ["compile_all_items"]


def compile_all_items(rule: AllItemsRule) -> Evaluator:
    points = fraction(rule.points)
    test = status_test(rule, rule.item_counts)
    scale = scale_of(rule.multiply)  # by unit kind or group only: the model refuses the others
    scope: Facts = (("status", rule.status), ("categories", rule.categories), ("roles", rule.roles))

    def scaled(ctx: Context) -> Q:
        return points if scale is None else scale(points, None, ctx, "lead")

    def evaluate(facts: UnitFacts, ctx: Context) -> list[Hit]:
        items = counted_items(facts, rule, ctx.as_of, rule.item_counts)
        if not items:
            shown: Facts = (*scope, ("items_counted", 0), ("no_items", rule.no_items))
            if rule.no_items == "points":
                return [Hit(ctx.as_of, scaled(ctx), (), "no_items", (True,), facts=shown)]
            return [Hit(ctx.as_of, 0, (), "no_items", (False,), info=True, facts=shown)]
        decided = []
        for item in items:
            matched, day = test(item, ctx.as_of)
            if not matched:
                return []  # one item not in status: the unit has not done them all
            decided.append(day)
        when = max(decided)  # the day the last of them was done
        ids = tuple(item.assigned.item for item in items)
        shown = (*scope, ("items_counted", len(items)), ("items", ids))
        events = tuple(e for item in items for e in item.event_ids())
        words = (len(items), rule.status)
        return [Hit(when, scaled(ctx), events, "all_items", words, facts=shown)]

    return evaluate
