"""The per_item rule kind: points for each counted item in a status (complete, incomplete,
closed late, closed early)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from assessment._internal.base.arith import Q
from assessment._internal.ledger.facts import ItemFacts, UnitFacts
from assessment._internal.rules.counting import Tally, numbered_points
from assessment._internal.rules.hits import Context, Evaluator, Hit
from assessment._internal.rules.selection import counted_items, item_facts, scale_of
from assessment.scheme import AllItemsRule, PerItemRule

__all__ = ["compile_per_item", "status_test"]


def status_test(
    rule: PerItemRule | AllItemsRule, item_counts: str = "when_due"
) -> Callable[[ItemFacts, date], tuple[bool, date]]:
    """Whether an item is in the rule's status, and the day the event that put it there
    happened: its closure, its year-end assessment (which overrides a closure), or its
    deadline passing while it was open."""
    status, days_early = rule.status, rule.days_early or 0

    def test(item: ItemFacts, as_of: date) -> tuple[bool, date]:
        if status in ("complete", "incomplete"):
            standing = item.standing(as_of, item_counts=item_counts)
            assert standing is not None  # only counted items are tested
            complete = standing.completion == 1
            return complete == (status == "complete"), standing.when
        if item.closed is None:
            return False, as_of
        closed = item.closed.date
        if status == "closed_late":
            return closed > item.due, closed
        early = (item.due - closed).days
        return early >= days_early, closed

    return test


def compile_per_item(rule: PerItemRule) -> Evaluator:
    points_of = numbered_points(rule)
    test = status_test(rule)
    line = _line(rule)
    if rule.steps is not None or rule.max_count is not None:
        return _counting(rule, line)
    points = points_of(0)

    def evaluate(facts: UnitFacts, ctx: Context) -> list[Hit]:
        hits = []
        for item in counted_items(facts, rule, ctx.as_of):
            matched, when = test(item, ctx.as_of)
            if matched:
                hits.append(line(item, when, points, ctx))
        return hits

    return evaluate


Line = Callable[[ItemFacts, date, Q, Context], Hit]
"""An item's line: the item, the day that decided it, its points before factors."""


def _line(rule: PerItemRule) -> Line:
    scale = scale_of(rule.multiply)

    def line(item: ItemFacts, when: date, points: Q, ctx: Context) -> Hit:
        role = item.role(ctx.unit)
        value = points if scale is None else scale(points, item.assigned, ctx, role)
        shown = (*item_facts(item), ("status", rule.status))
        ident = item.assigned.item
        words = (ident, role, rule.status, item.due)
        return Hit(when, value, item.event_ids(), "item_status", words, item=ident, facts=shown)

    return line


def _counting(rule: PerItemRule, line: Line) -> Evaluator:
    """Steps and `max_count` over the items in the order the days decided them (per `per`)."""
    points_of = numbered_points(rule)
    test = status_test(rule)

    def evaluate(facts: UnitFacts, ctx: Context) -> list[Hit]:
        matched = []
        for item in counted_items(facts, rule, ctx.as_of):
            found, when = test(item, ctx.as_of)
            if found:
                matched.append((when, item.assigned.item, item))
        matched.sort(key=lambda each: each[:2])
        hits = []
        tally = Tally(rule)
        for when, ident, item in matched:
            key = tally.key(ident, when)
            n = tally.number(key)
            if n is not None:
                tally.take(key)
                hits.append(line(item, when, points_of(n), ctx))
        return hits

    return evaluate
