"""Eligibility apart from points: flags raised by conditions on a unit's items, and what the
flags a unit raised bar it from (commendation, grades with a quota, the ranking, grades above
a level)."""

from __future__ import annotations

from datetime import date

from assessment._internal.ledger.facts import ItemFacts, UnitFacts
from assessment.results import RaisedFlag
from assessment.scheme import Flag, ItemCondition, Scheme

__all__ = ["BAR_WORDS", "bar_words", "barred", "conditions_held", "item_count"]

BAR_WORDS = {"commendation": "不得评先评优", "quota": "不占等次名额", "ranking": "不参加排名"}
"""How each bar reads in a table, a CSV file and an explanation."""

_ITEM_WORDS = {
    "assigned": "交办的事项",
    "counted": "已到期的事项",
    "complete": "完成的事项",
    "incomplete": "未完成的事项",
    "overdue": "逾期的事项",
}


def _matches(condition: ItemCondition, item: ItemFacts, as_of: date) -> bool:
    """Whether one item is of the kind the condition counts (see `ItemFacts.standing`)."""
    state = condition.items
    if state == "assigned":
        return True
    standing = item.standing(as_of)
    if standing is None:
        return False  # not due yet, neither closed nor assessed
    if state == "counted":
        return True
    if state in ("complete", "incomplete"):
        return (standing.completion == 1) == (state == "complete")
    end = item.closed.date if item.closed is not None else as_of
    return (end - item.due).days > (condition.more_than_days or 0)


def item_count(condition: ItemCondition, facts: UnitFacts, as_of: date) -> int:
    """How many of the unit's items, in the condition's categories and roles, it counts."""
    wanted = None if condition.categories is None else set(condition.categories)
    return sum(
        1
        for item in facts.items.values()
        if (wanted is None or item.category in wanted)
        and item.role(facts.unit) in condition.roles
        and _matches(condition, item, as_of)
    )


def _words(condition: ItemCondition, count: int) -> str:
    label = _ITEM_WORDS[condition.items]
    if condition.more_than_days:
        label = f"逾期超过{condition.more_than_days}天的事项"
    kind, bound = condition.bound
    return f"{label} {count} 项({'至少' if kind == 'at_least' else '至多'} {bound} 项)"


def conditions_held(flag: Flag, facts: UnitFacts, as_of: date) -> tuple[str, ...]:
    """The words of each of the flag's item conditions that holds for the unit."""
    held = []
    for condition in flag.raised_when:
        count = item_count(condition, facts, as_of)
        kind, bound = condition.bound
        if (count >= bound) if kind == "at_least" else (count <= bound):
            held.append(_words(condition, count))
    return tuple(held)


def barred(scheme: Scheme, flags: tuple[RaisedFlag, ...]) -> dict[str, object]:
    """What a unit's raised flags bar it from, for its result: `barred_from` and the best
    grade left open to it (the lowest any flag names)."""
    bars = {bar for flag in flags for bar in flag.bars}
    order = [g.id for g in scheme.grades]
    named = [order.index(f.best_grade) for f in flags if f.best_grade in order]
    best = scheme.grades[max(named)] if named else None
    return {
        "barred_from": tuple(b for b in BAR_WORDS if b in bars) + (("grades",) if named else ()),
        "best_grade": best and best.id,
        "best_grade_name": best and best.name,
    }


def bar_words(barred_from: tuple[str, ...], best_grade_name: str | None) -> str:
    """What a unit is barred from, in the words of a table cell ("" for nothing)."""
    words = [BAR_WORDS[b] for b in barred_from if b in BAR_WORDS]
    if best_grade_name is not None:
        words.append(f"最高评为{best_grade_name}")
    return "、".join(words)
