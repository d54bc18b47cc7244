"""The per_event rule kind: points for each matching event, fixed, by field or escalating."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple, cast

from assessment._internal.base.arith import Q, fraction
from assessment._internal.ledger.facts import UnitFacts, role
from assessment._internal.load.conditions import compile_where, scope_of, table_key
from assessment._internal.load.records import ItemEvent
from assessment._internal.rules.counting import Tally
from assessment._internal.rules.hits import Context, Evaluator, Hit
from assessment._internal.rules.selection import role_of, scale_of
from assessment.scheme import PerEventRule, PointsByField, PointsFromField

__all__ = ["compile_per_event", "points_of"]

PointsOf = Callable[[object, int, Context, str], Q | None]
"""The points a rule gives an event, the n-th (from 0) it matched, for the unit's role in it;
None: it earns nothing."""

RoleOf = Callable[[object, UnitFacts, Context], str]
"""The scored unit's role in an event: lead or cohandler."""


class _Unit(NamedTuple):
    """The unit scored, as `where:` tests it (`unit.kind`, `unit.group`)."""

    kind: str
    group: str


def _base_points(rule: PerEventRule) -> PointsOf:
    if rule.steps is not None:
        steps = [fraction(s) for s in rule.steps]
        return lambda event, n, ctx, role: steps[min(n, len(steps) - 1)]
    spec = rule.points
    if isinstance(spec, PointsByField):
        table = {key: fraction(value) for key, value in spec.table.items()}
        default = fraction(spec.default) if spec.default is not None else None
        by = spec.by
        return lambda event, n, ctx, role: table.get(table_key(getattr(event, by, None)), default)
    if isinstance(spec, PointsFromField):
        return _from_field(spec.from_)
    assert spec is not None  # the model requires points or steps
    fixed = fraction(spec)
    return lambda event, n, ctx, role: fixed


def _from_field(name: str) -> PointsOf:
    """The event's own value (checked against the rule's band when the ledger was read)."""

    def points(event: object, n: int, ctx: Context, role: str) -> Q | None:
        value = getattr(event, name, None)
        return None if value is None else fraction(value)

    return points


def points_of(rule: PerEventRule) -> PointsOf:
    """The rule's points for an event: its base (fixed, by field or escalating) times its factors."""
    base = _base_points(rule)
    scale = scale_of(rule.multiply)
    if scale is None:
        return base

    def points(event: object, n: int, ctx: Context, role: str) -> Q | None:
        value = base(event, n, ctx, role)
        return None if value is None else scale(value, event, ctx, role)

    return points


def _event_role(event: object, facts: UnitFacts, ctx: Context) -> str:
    return role_of(event, ctx)


def _item_role(event: object, facts: UnitFacts, ctx: Context) -> str:
    # An item-scoped event reaches the units of its item: each scores it in its own role.
    return role(facts.items[cast("ItemEvent", event).item].assigned.unit, ctx.unit)


def _item_test(rule: PerEventRule) -> Callable[[object, UnitFacts], bool] | None:
    """The `item.` conditions, on the assignment of the item an event names (an event that
    names none, or an item not the unit's, meets none of them)."""
    if not any(scope_of(key)[0] == "item" for key in rule.where):
        return None
    matches = compile_where(rule.where, "item")

    def test(event: object, facts: UnitFacts) -> bool:
        found = facts.items.get(getattr(event, "item", None) or "")
        return found is not None and matches(found.assigned)

    return test


Select = Callable[[object, UnitFacts, Context], str | None]
"""The scored unit's role in an event the rule reads (of its roles, meeting its `where:` on
the event and the item), or None for an event it does not read."""


def _selector(rule: PerEventRule, scoped: bool) -> Select:
    matches = compile_where(rule.where)
    role_for: RoleOf = _item_role if scoped else _event_role
    item_test = _item_test(rule)
    every_role = set(rule.roles) >= {"lead", "cohandler"}
    matches_all = all(scope_of(key)[0] != "event" for key in rule.where)
    by_role = not every_role or any(m.of == "role" for m in rule.multiply)

    def select(event: object, facts: UnitFacts, ctx: Context) -> str | None:
        its_role = role_for(event, facts, ctx) if by_role else "lead"
        if not every_role and its_role not in rule.roles:
            return None
        if not matches_all and not matches(event):
            return None
        if item_test is not None and not item_test(event, facts):
            return None
        return its_role

    return select


def compile_per_event(rule: PerEventRule, item_kinds: frozenset[str] = frozenset()) -> Evaluator:
    """`item_kinds`: the scheme's own event types whose events name an item."""
    points_for = points_of(rule)
    scoped = rule.event in item_kinds
    select = _selector(rule, scoped)
    by_unit = any(scope_of(key)[0] == "unit" for key in rule.where)
    unit_test = compile_where(rule.where, "unit") if by_unit else None
    tallied = rule.per != "unit"  # steps and max_count per item or per period

    def evaluate(facts: UnitFacts, ctx: Context) -> list[Hit]:
        if unit_test is not None and not unit_test(_Unit(ctx.unit_kind, ctx.group)):
            return []
        hits: list[Hit] = []
        tally = Tally(rule) if tallied else None
        for event in facts.by_type.get(rule.event, ()):
            its_role = select(event, facts, ctx)
            if its_role is None:
                continue
            item = getattr(event, "item", None)
            if tally is None:
                if rule.max_count is not None and len(hits) >= rule.max_count:
                    break
                numbered: int | None = len(hits)
            else:  # the n-th within its item or period: the 2nd notice on an item is its 2nd
                key = tally.key(item, event.date)
                numbered = tally.number(key)
            if numbered is None:
                continue
            points = points_for(event, numbered, ctx, its_role)
            if points is None:
                continue
            if tally is not None:
                tally.take(key)
            # A co-handler's line about an item-scoped event says so (协办).
            words = ("cohandler",) if scoped and its_role == "cohandler" else ()
            hit = Hit(event.date, points, (event.id,), "event", words, item=item, subject=event)
            hits.append(hit)
        return hits

    return evaluate
