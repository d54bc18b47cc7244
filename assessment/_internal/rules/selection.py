"""The machinery every rule kind shares: which events and items a rule reads (roles,
categories, counting as of a day) and how multipliers scale its points."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from assessment._internal.base.arith import Q, fraction
from assessment._internal.ledger.facts import ItemFacts, UnitFacts, role
from assessment._internal.load.conditions import table_key
from assessment._internal.rules.hits import Context
from assessment.scheme import AllItemsRule, Multiplier, OverdueRule, PerItemRule, RateRule

__all__ = ["Factor", "Scale", "counted_items", "factor_of", "item_facts", "role_of", "scale_of"]

Factor = Callable[[object, Context, str], Q]
"""A factor for a subject (an event, or an item's assignment), in a context, for a role."""

Scale = Callable[[Q, object, Context, str], Q]
"""Points scaled by a rule's multipliers, for a subject, in a context, for a role."""


def role_of(event: object, ctx: Context) -> str:
    """An event's role for the unit being scored: its own (lead), or an item it co-handles."""
    return role(getattr(event, "unit", None), ctx.unit)


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


def scale_of(multipliers: Sequence[Multiplier]) -> Scale | None:
    """The rule's multipliers applied in turn, or None when it has none."""
    factors = [factor_of(m) for m in multipliers]
    if not factors:
        return None

    def scale(points: Q, subject: object, ctx: Context, role: str) -> Q:
        for factor in factors:
            points *= factor(subject, ctx, role)
        return points

    return scale


def counted_items(
    facts: UnitFacts,
    rule: AllItemsRule | OverdueRule | PerItemRule | RateRule,
    as_of: date,
    item_counts: str = "when_due",
) -> list[ItemFacts]:
    """The items an item rule reads, by id: of its categories, in its roles, counting by
    `as_of` (see `ItemFacts.standing`)."""
    wanted = None if rule.categories is None else set(rule.categories)
    chosen = [
        item
        for item in facts.items.values()
        if (wanted is None or item.category in wanted)
        and item.role(facts.unit) in rule.roles
        and item.standing(as_of, item_counts=item_counts) is not None
    ]
    return sorted(chosen, key=lambda item: item.assigned.item)


def item_facts(item: ItemFacts) -> tuple[tuple[str, object], ...]:
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
