"""Outcomes beyond points: flags raised by rules, ranks within a group, and grades by total
with quotas."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

from assessment.results import RaisedFlag, UnitResult
from assessment.scheme import Grade, Scheme

__all__ = ["grade_group", "raised_flags", "ranked"]


def raised_flags(
    scheme: Scheme, occurrences: Mapping[str, tuple[int, int]]
) -> tuple[RaisedFlag, ...]:
    """The flags whose triggers hold, given each rule's occurrences and lines (see `Hit.occurs`)."""
    raised = []
    for flag in scheme.flags:
        rules = tuple(
            t.rule
            for t in flag.raised_by
            if occurrences.get(t.rule, (0, 0))[t.count == "lines"] >= t.at_least
        )
        if rules:
            raised.append(RaisedFlag(id=flag.id, name=flag.name, veto=flag.veto, rules=rules))
    return tuple(raised)


def _eligible(grade: Grade, unit: UnitResult) -> bool:
    return grade.min is None or unit.total >= grade.min


def _within_quota(grade: Grade, candidates: list[UnitResult], size: int) -> list[UnitResult]:
    """The best candidates that fit the grade's quota; a tie that would overflow it is left out."""
    if grade.quota is None:
        return candidates
    limit = math.floor(grade.quota * size)
    chosen = candidates[:limit]
    if len(candidates) > limit and chosen and candidates[limit].total == chosen[-1].total:
        tied = chosen[-1].total
        chosen = [u for u in chosen if u.total != tied]
    return chosen


def grade_group(grades: Sequence[Grade], members: list[UnitResult]) -> dict[str, Grade | None]:
    """Each member's grade, best grades first; a veto flag forces the lowest grade."""
    if not grades:
        return {u.unit: None for u in members}
    result: dict[str, Grade | None] = {}
    vetoed = [u for u in members if any(f.veto for f in u.flags)]
    for unit in vetoed:
        result[unit.unit] = grades[-1]
    waiting = sorted((u for u in members if u.unit not in result), key=lambda u: -u.total)
    for grade in grades:
        candidates = [u for u in waiting if _eligible(grade, u)]
        for unit in _within_quota(grade, candidates, len(members)):
            result[unit.unit] = grade
        waiting = [u for u in waiting if u.unit not in result]
    for unit in waiting:
        result[unit.unit] = None
    return result


def ranked(scheme: Scheme, results: list[UnitResult]) -> list[UnitResult]:
    """Competition ranking within each group: equal totals share a rank (1, 2, 2, 4)."""
    by_group: dict[str, list[UnitResult]] = defaultdict(list)
    for result in results:
        by_group[result.group].append(result)
    out: list[UnitResult] = []
    for group in scheme.groups:
        members = sorted(by_group[group.id], key=lambda r: (-r.total, r.unit))
        assessed = [r for r in members if r.assessed]
        grades = grade_group(scheme.grades, assessed)
        rank = 0
        for position, result in enumerate(assessed):
            if not position or result.total != assessed[position - 1].total:
                rank = position + 1
            grade = grades[result.unit]
            update = {"rank": rank, "grade": grade and grade.id, "grade_name": grade and grade.name}
            out.append(result.model_copy(update=update))
        out += [r for r in members if not r.assessed]
    return out
