"""Counting a rule's lines over what its `per` says (the unit's year, each item, each month,
quarter or year): the scope of a line, and the tally that numbers lines within their scope
for `steps` and `max_count`. Caps per scope are applied with the other limits
(score/sections.py), through the same `scope_of`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from assessment._internal.base.arith import Q, fraction
from assessment.scheme import PerEventRule, PerItemRule, ThresholdRule

__all__ = ["Scope", "Tally", "numbered_points", "scope_of"]

Scope = Callable[[str | None, date], str | None]
"""The scope a line counts in, from its item and its date (None: the unit's own)."""


def _month(item: str | None, day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _quarter(item: str | None, day: date) -> str:
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def _year(item: str | None, day: date) -> str:
    return f"{day.year:04d}"


def _item(item: str | None, day: date) -> str | None:
    return item


_SCOPES: dict[str, Scope] = {"item": _item, "month": _month, "quarter": _quarter, "year": _year}


def scope_of(per: str) -> Scope | None:
    """How a line's scope is named (periods as events name them: 2024-03, 2024-Q1, 2024);
    None for `per: unit`, where every line counts together."""
    return _SCOPES.get(per)


class Tally:
    """Numbers a rule's lines within their scope: the n-th (from 0) line of an item or a
    period, and whether `max_count` has been reached there."""

    __slots__ = ("counts", "most", "scope")

    def __init__(self, rule: PerEventRule | PerItemRule | ThresholdRule) -> None:
        self.scope = scope_of(rule.per)
        self.most = rule.max_count
        self.counts: dict[str | None, int] = {}

    def key(self, item: str | None, day: date) -> str | None:
        return None if self.scope is None else self.scope(item, day)

    def number(self, key: str | None) -> int | None:
        """The number the next line of `key` would take, or None when it is past the most."""
        n = self.counts.get(key, 0)
        return None if self.most is not None and n >= self.most else n

    def take(self, key: str | None) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1


def numbered_points(rule: PerItemRule | ThresholdRule) -> Callable[[int], Q]:
    """The points of a rule's n-th line (from 0): its fixed points, or its steps (the last
    repeats)."""
    if rule.steps is None:
        assert rule.points is not None  # the model requires points or steps
        fixed = fraction(rule.points)
        return lambda n: fixed
    steps = [fraction(s) for s in rule.steps]
    return lambda n: steps[min(n, len(steps) - 1)]
