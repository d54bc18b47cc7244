"""Rule kinds over supervised items: per item in a state, per overdue day, rates.

They share one reading of an item as of the scoring date: it counts once its
deadline in force has passed or it was closed or assessed; it is complete when
closed by that deadline (or assessed at 1).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from assessment._internal.base.arith import Q, div, fraction, readable
from assessment._internal.ledger.facts import ItemFacts, UnitFacts
from assessment._internal.rules.kinds import Context, Evaluator, Hit, factor_of
from assessment.scheme import OverdueRule, PerItemRule, RateRule

__all__ = ["compile_overdue", "compile_per_item", "compile_rate"]


def counts(item: ItemFacts, as_of: date) -> bool:
    return item.standing(as_of) is not None


def completion(item: ItemFacts, as_of: date) -> Q:
    """1 when closed by the deadline in force; the latest assessment overrides."""
    standing = item.standing(as_of)
    return standing.completion if standing is not None else 0


def _items(
    facts: UnitFacts, rule: OverdueRule | PerItemRule | RateRule, as_of: date
) -> list[ItemFacts]:
    wanted = None if rule.categories is None else set(rule.categories)
    chosen = [
        item
        for item in facts.items.values()
        if (wanted is None or item.category in wanted)
        and item.role(facts.unit) in rule.roles
        and counts(item, as_of)
    ]
    return sorted(chosen, key=lambda item: item.assigned.item)


def _status_test(rule: PerItemRule) -> Callable[[ItemFacts, date], tuple[bool, date]]:
    """Whether an item is in the rule's status, and the day the event that put it there
    happened: its closure, its year-end assessment (which overrides a closure), or its
    deadline passing while it was open."""

    def test(item: ItemFacts, as_of: date) -> tuple[bool, date]:
        if rule.status in ("complete", "incomplete"):
            standing = item.standing(as_of)
            assert standing is not None  # only counted items are tested
            complete = standing.completion == 1
            return complete == (rule.status == "complete"), standing.when
        if item.closed is None:
            return False, as_of
        closed = item.closed.date
        if rule.status == "closed_late":
            return closed > item.due, closed
        early = (item.due - closed).days
        return early >= (rule.days_early or 0), closed

    return test


_WORDS = {
    "complete": "已完成",
    "incomplete": "未完成",
    "closed_late": "逾期销号",
    "closed_early": "提前销号",
}


def _scaled(rule: PerItemRule | OverdueRule) -> Callable[[Q, ItemFacts, Context], Q]:
    """Apply the rule's multipliers, looked up on the item's assignment and the unit's role."""
    factors = [factor_of(m) for m in rule.multiply]

    def scale(points: Q, item: ItemFacts, ctx: Context) -> Q:
        role = item.role(ctx.unit)
        for factor in factors:
            points *= factor(item.assigned, ctx, role)
        return points

    return scale


def _item_facts(item: ItemFacts) -> tuple[tuple[str, object], ...]:
    """What an item rule read of an item: its id, category, deadline in force, closure and
    year-end completion."""
    closed = item.closed.date if item.closed is not None else None
    assessed = item.assessed.completion if item.assessed is not None else None
    return (
        ("item", item.assigned.item),
        ("category", item.category),
        ("due", item.due),
        ("closed", closed),
        ("completion", assessed),
    )


def _label(item: ItemFacts, ctx: Context) -> str:
    role = "(协办)" if item.role(ctx.unit) == "cohandler" else ""
    return f"事项 {item.assigned.item}{role}"


def compile_per_item(rule: PerItemRule) -> Evaluator:
    points = fraction(rule.points)
    test = _status_test(rule)
    scale = _scaled(rule)

    def evaluate(facts: UnitFacts, ctx: Context) -> list[Hit]:
        hits = []
        for item in _items(facts, rule, ctx.as_of):
            matched, when = test(item, ctx.as_of)
            if matched:
                detail = f"{_label(item, ctx)} {_WORDS[rule.status]}(期限 {item.due})"
                value = scale(points, item, ctx)
                shown = (*_item_facts(item), ("status", rule.status))
                ident = item.assigned.item
                hits.append(Hit(when, value, item.event_ids(), detail, item=ident, facts=shown))
        return hits

    return evaluate


def compile_overdue(rule: OverdueRule) -> Evaluator:
    per_day = fraction(rule.per_day)
    per_item = fraction(rule.cap_per_item) if rule.cap_per_item is not None else None
    scale = _scaled(rule)

    def evaluate(facts: UnitFacts, ctx: Context) -> list[Hit]:
        hits = []
        for item in _items(facts, rule, ctx.as_of):
            end = item.closed.date if item.closed is not None else ctx.as_of
            days = (end - item.due).days - rule.grace_days
            if days <= 0:
                continue
            points = per_day * days
            if per_item is not None and abs(points) > per_item:
                points = per_item if points > 0 else -per_item
            points = scale(points, item, ctx)
            detail = f"{_label(item, ctx)} 逾期 {days} 天(期限 {item.due})"
            late = (("until", end), ("days_overdue", days + rule.grace_days))
            grace = (("grace_days", rule.grace_days), ("days_counted", days))
            shown = (*_item_facts(item), *late, *(grace if rule.grace_days else ()))
            ident = item.assigned.item
            hits.append(Hit(end, points, item.event_ids(), detail, item=ident, facts=shown))
        return hits

    return evaluate


def compile_rate(rule: RateRule) -> Evaluator:
    full_at = fraction(rule.full_at)
    per_point = fraction(rule.per_point_below)

    def evaluate(facts: UnitFacts, ctx: Context) -> list[Hit]:
        items = _items(facts, rule, ctx.as_of)
        if not items:
            return []
        if rule.of == "completion":
            rate = div(sum(completion(i, ctx.as_of) for i in items), len(items))
        else:
            on_time = sum(1 for i in items if i.closed is not None and i.closed.date <= i.due)
            rate = div(on_time, len(items))
        if rate >= full_at:
            return []
        points = per_point * (full_at - rate) * 100
        detail = f"{len(items)} 项中比率 {readable(rate * 100)}%,低于 {readable(full_at * 100)}%"
        events = tuple(i.assigned.id for i in items)
        shown = (("of", rule.of), ("items", len(items)), ("rate", rate), ("full_at", full_at))
        return [Hit(ctx.as_of, points, events, detail, facts=shown)]

    return evaluate
