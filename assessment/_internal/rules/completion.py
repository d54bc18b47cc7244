"""The completion rule kind: supervised items scored category by category.

Each category has a share of points. A category the unit undertakes none of
is handled as the rule's `unassigned` policy says (reweighting moves its points
to the others, in proportion). Within a category, counted items are complete,
incomplete or assessed at a fraction, and the category earns its share times
the completed fraction (proportional) or all of it only when every counted
item is complete (all or nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from assessment._internal.base.arith import Q, div, fraction
from assessment._internal.ledger.facts import ItemFacts, UnitFacts, role
from assessment._internal.rules.hits import Context, Evaluator, Hit
from assessment._internal.rules.selection import factor_of
from assessment.scheme import Category, CompletionRule

__all__ = ["compile_completion", "shares"]


@dataclass(slots=True)
class _Judged:
    item: ItemFacts
    completion: Q
    when: date
    reason: str  # assessed, closed, closed_late or open
    weight: Q = 1

    @property
    def words(self) -> tuple[object, ...]:
        """What the trail says of the item: id, how it settled, completion, when, deadline."""
        item = self.item
        return (item.assigned.item, self.reason, self.completion, self.when, item.due)


def _points(category: Category) -> Q:
    """A category's points: every category a completion rule scores has them (see
    `load/references.py`)."""
    assert category.points is not None
    return fraction(category.points)


def shares(categories: list[Category], undertaken: frozenset[str], policy: str) -> dict[str, Q]:
    """Each category's share of the rule's points for a unit undertaking `undertaken`."""
    weights = {c.id: _points(c) for c in categories}
    if policy != "reweight" or not undertaken:
        return weights
    total = sum(weights.values())
    kept = sum(w for c, w in weights.items() if c in undertaken)
    return {c: (div(w * total, kept) if c in undertaken else 0) for c, w in weights.items()}


Judge = Callable[[ItemFacts, Context], _Judged | None]


def _judge_of(rule: CompletionRule) -> Judge:
    """How complete a counted item is, under the rule's policies (see `ItemFacts.standing`),
    and its weight; None when it does not count."""
    weigh = factor_of(rule.item_weight) if rule.item_weight is not None else None
    late_closure, item_counts = rule.late_closure, rule.item_counts

    def judge(item: ItemFacts, ctx: Context) -> _Judged | None:
        standing = item.standing(ctx.as_of, late_closure=late_closure, item_counts=item_counts)
        if standing is None:
            return None
        judged = _Judged(item, standing.completion, standing.when, standing.reason)
        if weigh is not None:
            judged.weight = weigh(item.assigned, ctx, item.role(ctx.unit))
        return judged

    return judge


def _by_category(
    facts: UnitFacts, wanted: list[Category], roles: tuple[str, ...]
) -> dict[str, list[ItemFacts]]:
    """The unit's items of each wanted category in the rule's roles, by item id."""
    by_category: dict[str, list[ItemFacts]] = {c.id: [] for c in wanted}
    unit = facts.unit
    for item in facts.items.values():
        assigned = item.assigned
        found = by_category.get(assigned.category)
        if found is not None and role(assigned.unit, unit) in roles:
            found.append(item)
    return by_category


def compile_completion(rule: CompletionRule, categories: list[Category]) -> Evaluator:
    wanted = [c for c in categories if c.id in rule.categories]
    judge = _judge_of(rule)
    # Units differ only in which categories they undertake: a few distinct share tables.
    share_tables: dict[frozenset[str], dict[str, Q]] = {}
    # An item's part of a share, by (category, share, total weight): units repeat them.
    parts: dict[tuple[str, Q, Q], Q] = {}

    def evaluate(facts: UnitFacts, ctx: Context) -> list[Hit]:
        by_category = _by_category(facts, wanted, rule.roles)
        undertaken = frozenset(c for c, items in by_category.items() if items)
        share_of = share_tables.get(undertaken)
        if share_of is None:
            share_of = share_tables[undertaken] = shares(wanted, undertaken, rule.unassigned)
        hits = _unassigned(rule, wanted, undertaken, ctx)
        for category in wanted:
            share = share_of[category.id]
            items = by_category[category.id]  # by item id, as the facts list them
            judged = [j for j in (judge(i, ctx) for i in items) if j is not None]
            if not items and rule.unassigned == "reweight" and undertaken:
                shown = (("category", category.id), ("points", category.points))
                words = (_label(category),)
                hits.append(Hit(ctx.as_of, 0, (), "reweighted", words, info=True, facts=shown))
            hits += _category_hits(category, share, judged, ctx, parts)
        return hits

    return evaluate


def _label(category: Category) -> str:
    return category.short_name or category.name


def _unassigned(
    rule: CompletionRule, wanted: list[Category], undertaken: frozenset[str], ctx: Context
) -> list[Hit]:
    """With `unassigned: not_assessed`, the line saying a unit lacking a category (`lacking:
    any`) or every one of them (`lacking: all`) is not assessed."""
    missing = [c for c in wanted if c.id not in undertaken]
    if rule.unassigned != "not_assessed" or not missing:
        return []
    if rule.lacking == "all" and len(missing) < len(wanted):
        return []  # `lacking: all`: a unit that undertakes any listed category is assessed
    words = (tuple(_label(c) for c in missing),)
    lacking = (("categories_lacking", ", ".join(c.id for c in missing)),)
    return [
        Hit(ctx.as_of, 0, (), "not_assessed", words, info=True, excludes_unit=True, facts=lacking)
    ]


def _category_hits(
    category: Category,
    share: Q,
    judged: list[_Judged],
    ctx: Context,
    parts: dict[tuple[str, Q, Q], Q],
) -> list[Hit]:
    """Lines for one category: losses from a full start, gains from an empty one."""
    total_weight = sum(j.weight for j in judged)
    if not judged or total_weight == 0:
        if ctx.section_starts_full:
            return []
        shown = (("category", category.id), ("share", share), ("items_counted", 0))
        words = (_label(category), share)
        return [Hit(ctx.as_of, share, (), "nothing_due", words, facts=shown)]
    if category.method == "all_or_nothing":
        return _all_or_nothing(category, share, judged, ctx)
    key = (category.id, share, total_weight)
    unweighted = parts.get(key)
    if unweighted is None:  # an item's part when every weight is 1
        unweighted = parts[key] = div(share, total_weight)
    return _proportional(category, share, judged, ctx, (unweighted, total_weight))


def _all_or_nothing(category: Category, share: Q, judged: list[_Judged], ctx: Context) -> list[Hit]:
    failed = [j for j in judged if j.completion != 1]
    earned = share if not failed else 0
    points = earned - share if ctx.section_starts_full else earned
    if points == 0:
        return []
    shown = failed or judged
    events = tuple(e for j in shown for e in j.item.event_ids())
    when = max(j.when for j in shown)
    words = (_label(category), share, tuple(j.words for j in shown))
    facts: tuple[tuple[str, object], ...] = (
        ("category", category.id),
        ("share", share),
        ("items_counted", len(judged)),
        ("incomplete", ", ".join(j.item.assigned.item for j in failed)),
    )
    return [Hit(when, points, events, "all_or_nothing", words, facts=facts)]


def _proportional(
    category: Category, share: Q, judged: list[_Judged], ctx: Context, part: tuple[Q, Q]
) -> list[Hit]:
    unweighted, total_weight = part
    hits = []
    full = ctx.section_starts_full
    label = _label(category)
    for j in judged:
        if full and j.completion == 1:
            continue  # a complete item costs nothing from a full start
        weight = j.weight
        each = unweighted if weight == 1 else div(share * weight, total_weight)
        points = each * (j.completion - 1) if full else each * j.completion
        if points == 0:
            continue
        ident = j.item.assigned.item
        words = (label, share, *j.words, len(judged), weight)
        facts = (
            ("item", ident),
            ("category", category.id),
            ("share", share),
            ("due", j.item.due),
            ("completion", j.completion),
            ("settled_by", j.reason),
            ("weight", weight if weight != 1 else None),
        )
        events = j.item.event_ids()
        hits.append(Hit(j.when, points, events, "item_part", words, item=ident, facts=facts))
    return hits
