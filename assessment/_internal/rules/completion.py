"""The completion rule kind: supervised items scored category by category.

Each category has a share of points. A category the unit undertakes none of
is handled as the rule's `unassigned` policy says (reweighting moves its points
to the others, in proportion). Within a category, counted items are complete,
incomplete or assessed at a fraction, and the category earns its share times
the completed fraction (proportional) or all of it only when every counted
item is complete (all or nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from assessment._internal.base.arith import Q, div, fraction, readable
from assessment._internal.ledger.facts import ItemFacts, UnitFacts
from assessment._internal.rules.kinds import Context, Evaluator, Hit, factor_of
from assessment.scheme import Category, CompletionRule

__all__ = ["compile_completion", "shares"]


@dataclass(slots=True)
class _Judged:
    item: ItemFacts
    completion: Q
    when: date
    reason: str  # assessed, closed, closed_late or open: worded only for lines shown

    @property
    def why(self) -> str:
        item = self.item
        if self.reason == "assessed":
            return f"年终考评完成度 {readable(self.completion)}"
        if self.reason == "closed":
            return f"{self.when} 销号"
        if self.reason == "closed_late":
            return f"逾期销号({self.when},期限 {item.due})"
        return f"未办结(期限 {item.due})"


def shares(categories: list[Category], undertaken: frozenset[str], policy: str) -> dict[str, Q]:
    """Each category's share of the rule's points for a unit undertaking `undertaken`."""
    weights = {c.id: fraction(c.points) for c in categories}
    if policy != "reweight" or not undertaken:
        return weights
    total = sum(weights.values())
    kept = sum(w for c, w in weights.items() if c in undertaken)
    return {c: (div(w * total, kept) if c in undertaken else 0) for c, w in weights.items()}


def _judge(item: ItemFacts, rule: CompletionRule, as_of: date) -> _Judged | None:
    """How complete a counted item is, under the rule's policies; None when it does not count."""
    standing = item.standing(as_of, late_closure=rule.late_closure, item_counts=rule.item_counts)
    if standing is None:
        return None
    return _Judged(item, standing.completion, standing.when, standing.reason)


def compile_completion(rule: CompletionRule, categories: list[Category]) -> Evaluator:
    wanted = [c for c in categories if c.id in rule.categories]
    weigh = factor_of(rule.item_weight) if rule.item_weight is not None else None
    # Units differ only in which categories they undertake: a few distinct share tables.
    share_tables: dict[frozenset[str], dict[str, Q]] = {}
    labels = {c.id: c.short_name or c.name for c in wanted}
    lead, cohandler = "lead" in rule.roles, "cohandler" in rule.roles
    # Labels and an item's part of a share, by (category, share, count): units repeat them.
    memo: dict[tuple[str, Q, Q], tuple[str, Q]] = {}

    def evaluate(facts: UnitFacts, ctx: Context) -> list[Hit]:
        by_category: dict[str, list[ItemFacts]] = {c.id: [] for c in wanted}
        unit = facts.unit
        for item in facts.items.values():
            assigned = item.assigned
            found = by_category.get(assigned.category)
            if found is not None and (lead if assigned.unit == unit else cohandler):
                found.append(item)
        undertaken = frozenset(c for c, items in by_category.items() if items)
        share_of = share_tables.get(undertaken)
        if share_of is None:
            share_of = share_tables[undertaken] = shares(wanted, undertaken, rule.unassigned)
        hits: list[Hit] = []
        missing = [labels[c.id] for c in wanted if c.id not in undertaken]
        if rule.unassigned == "not_assessed" and missing:
            detail = f"未承担 {'、'.join(missing)}: 不参加考核排名"
            lacking = (
                ("categories_lacking", ", ".join(c.id for c in wanted if c.id not in undertaken)),
            )
            hits.append(Hit(ctx.as_of, 0, (), detail, info=True, excludes_unit=True, facts=lacking))
        for category in wanted:
            share = share_of[category.id]
            items = by_category[category.id]  # by item id, as the facts list them
            judged = [j for j in (_judge(i, rule, ctx.as_of) for i in items) if j is not None]
            if not items and rule.unassigned == "reweight" and undertaken:
                hits.append(
                    Hit(
                        ctx.as_of,
                        0,
                        (),
                        f"{labels[category.id]}: 未承担,分值按比例转为其他承担任务的事项",
                        info=True,
                        facts=(("category", category.id), ("points", category.points)),
                    )
                )
            if weigh is None:
                weighed: list[tuple[_Judged, Q]] = [(j, 1) for j in judged]
            else:
                weighed = [(j, weigh(j.item.assigned, ctx, j.item.role(ctx.unit))) for j in judged]
            hits += _category_hits(category, share, weighed, ctx, memo)
        return hits

    return evaluate


def _category_hits(
    category: Category,
    share: Q,
    weighed: list[tuple[_Judged, Q]],
    ctx: Context,
    memo: dict[tuple[str, Q, Q], tuple[str, Q]],
) -> list[Hit]:
    """Lines for one category: losses from a full start, gains from an empty one."""
    judged = [j for j, _ in weighed]
    total_weight = sum(w for _, w in weighed)
    key = (category.id, share, total_weight)
    found = memo.get(key)
    if found is None:
        label = f"{category.short_name or category.name}(分值 {readable(share)})"
        # An item's part when every weight is 1.
        found = memo[key] = (label, div(share, total_weight) if total_weight else 0)
    label, unweighted = found
    if not judged or total_weight == 0:
        return (
            []
            if ctx.section_starts_full
            else [
                Hit(
                    ctx.as_of,
                    share,
                    (),
                    f"{label}: 尚无到期事项,得全部分值",
                    facts=(("category", category.id), ("share", share), ("items_counted", 0)),
                )
            ]
        )
    if category.method == "all_or_nothing":
        failed = [j for j in judged if j.completion != 1]
        earned = share if not failed else 0
        points = earned - share if ctx.section_starts_full else earned
        if points == 0:
            return []
        shown = failed or judged
        events = tuple(e for j in shown for e in j.item.event_ids())
        names = "、".join(f"{j.item.assigned.item} {j.why}" for j in shown)
        when = max(j.when for j in shown)
        facts: tuple[tuple[str, object], ...] = (
            ("category", category.id),
            ("share", share),
            ("items_counted", len(judged)),
            ("incomplete", ", ".join(j.item.assigned.item for j in failed)),
        )
        return [Hit(when, points, events, f"{label} 全部或零: {names}", facts=facts)]
    hits = []
    full = ctx.section_starts_full
    for j, weight in weighed:
        if full and j.completion == 1:
            continue  # a complete item costs nothing from a full start
        each = unweighted if weight == 1 else div(share * weight, total_weight)
        points = each * (j.completion - 1) if full else each * j.completion
        if points != 0:
            part = f"计 {len(judged)} 项之一" if weight == 1 else f"权重 {readable(weight)}"
            detail = f"{label} 事项 {j.item.assigned.item} {j.why}, {part}"
            facts = (
                ("item", j.item.assigned.item),
                ("category", category.id),
                ("share", share),
                ("due", j.item.due),
                ("completion", j.completion),
                ("settled_by", j.reason),
                ("weight", weight if weight != 1 else None),
            )
            ident = j.item.assigned.item
            hits.append(Hit(j.when, points, j.item.event_ids(), detail, item=ident, facts=facts))
    return hits
