"""Outcomes beyond points: flags raised by rules, ranks within a group, and grades by total
with quotas."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date

from assessment._internal.ledger.facts import UnitFacts
from assessment._internal.score.eligibility import conditions_held
from assessment.results import RaisedFlag, UnitResult
from assessment.scheme import Grade, Scheme

__all__ = ["grade_group", "raised_flags", "ranked"]


def raised_flags(
    scheme: Scheme, occurrences: Mapping[str, tuple[int, int]], facts: UnitFacts, as_of: date
) -> tuple[RaisedFlag, ...]:
    """The flags whose triggers hold, given each rule's occurrences and lines (see `Hit.occurs`)
    and, for conditions on items, the unit's facts."""
    raised = []
    for flag in scheme.flags:
        rules = tuple(
            t.rule
            for t in flag.raised_by
            if occurrences.get(t.rule, (0, 0))[t.count == "lines"] >= t.at_least
        )
        held = conditions_held(flag, facts, as_of) if flag.raised_when else ()
        if rules or held:
            raised.append(
                RaisedFlag(
                    id=flag.id,
                    name=flag.name,
                    veto=flag.veto,
                    rules=rules,
                    conditions=held,
                    bars=flag.bars,
                    best_grade=flag.best_grade,
                )
            )
    return tuple(raised)


def _eligible(grade: Grade, unit: UnitResult, position: int, order: dict[str, int]) -> bool:
    """Whether the unit's total reaches the grade, and its flags leave the grade open."""
    if grade.quota is not None and "quota" in unit.barred_from:
        return False
    if unit.best_grade is not None and position < order.get(unit.best_grade, 0):
        return False
    return grade.min is None or unit.total >= grade.min


def _within_quota(grade: Grade, candidates: list[UnitResult], size: int) -> list[UnitResult]:
    """The best candidates that fit the grade's quota; a tie at its edge is broken as the
    grade's `ties` says (none_of_them: the tied units are left out; all_of_them: kept)."""
    if grade.quota is None:
        return candidates
    limit = math.floor(grade.quota * size)
    chosen = candidates[:limit]
    if len(candidates) > limit and chosen and candidates[limit].total == chosen[-1].total:
        tied = chosen[-1].total
        if grade.ties == "all_of_them":
            return [u for u in candidates if u.total >= tied]
        chosen = [u for u in chosen if u.total != tied]
    return chosen


def grade_group(grades: Sequence[Grade], members: list[UnitResult]) -> dict[str, Grade | None]:
    """Each member's grade, best grades first; a veto flag forces the lowest grade, and the
    other bars of a unit's flags close the grades they name."""
    if not grades:
        return {u.unit: None for u in members}
    result: dict[str, Grade | None] = {}
    vetoed = [u for u in members if any(f.veto for f in u.flags)]
    for unit in vetoed:
        result[unit.unit] = grades[-1]
    order = {g.id: i for i, g in enumerate(grades)}
    waiting = sorted((u for u in members if u.unit not in result), key=lambda u: -u.total)
    for position, grade in enumerate(grades):
        candidates = [u for u in waiting if _eligible(grade, u, position, order)]
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
        # A unit barred from ranking is graded but takes no place: the others close up.
        in_ranking = [r for r in assessed if "ranking" not in r.barred_from]
        rank = 0
        for position, result in enumerate(in_ranking):
            if not position or result.total != in_ranking[position - 1].total:
                rank = position + 1
            out.append(_graded(result, grades[result.unit], rank))
        out += [_graded(r, grades[r.unit], None) for r in assessed if r not in in_ranking]
        out += [r for r in members if not r.assessed]
    return out


def _graded(result: UnitResult, grade: Grade | None, rank: int | None) -> UnitResult:
    update = {"rank": rank, "grade": grade and grade.id, "grade_name": grade and grade.name}
    return result.model_copy(update=update)
