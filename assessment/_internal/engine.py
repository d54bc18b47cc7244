"""Scoring: fold each unit's events, run the compiled rules, settle sections, rank.

The flow is one way: events → per-unit facts → hits → applied lines →
section scores → totals → ranks. Nothing here knows a particular scheme.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

from assessment._internal.arith import clamp, fraction, round_shown
from assessment._internal.facts import UnitFacts
from assessment._internal.outcomes import grade_group, raised_flags
from assessment._internal.plan import CompiledRule, CompiledSection, Plan
from assessment._internal.rules import Context, Hit
from assessment._version import __version__
from assessment.results import (
    GroupInfo,
    Line,
    Provenance,
    Report,
    SectionScore,
    UnitResult,
)
from assessment.roster import Roster, Unit

__all__ = ["report_of", "roster_digest", "score_unit"]


def _settle(
    cs: CompiledSection, hits: list[tuple[CompiledRule, Hit]]
) -> tuple[Fraction, list[Line]]:
    """Apply hits in order, clamped to [floor, points]; each line shows what it moved.

    Clamping the running sum (not each line) keeps the section order-free
    within a date while every line still says how much of it counted.
    """
    hits = sorted(
        hits, key=lambda pair: (pair[1].date, pair[0].order, pair[1].events, pair[1].detail)
    )
    raw = cs.start
    lines = []
    for compiled, hit in hits:
        before = clamp(raw, cs.low, cs.high)
        raw += hit.capped
        applied = clamp(raw, cs.low, cs.high) - before
        limited = None
        if hit.capped != hit.points:
            limited = "exclusive" if hit.excluded else "rule_cap"
        if applied != hit.capped:
            limited = "section_floor" if raw < cs.low else "section_cap"
        rule = compiled.rule
        lines.append(
            Line.model_construct(
                section=cs.section.id,
                rule=rule.id,
                rule_name=rule.name,
                clause=rule.clause,
                date=hit.date,
                points=hit.points,
                applied=applied,
                limited_by=limited,
                events=hit.events,
                detail=hit.detail,
            )
        )
    return clamp(raw, cs.low, cs.high), lines


def _without_double_counting(
    collected: list[tuple[str, CompiledRule, Hit]],
) -> list[tuple[str, CompiledRule, Hit]]:
    """Among rules sharing an `exclusive` name, only the largest hit on an item counts.

    The others stay in the trail with nothing applied, so an auditor sees them.
    """
    winner: dict[tuple[str, object], int] = {}
    for index, (_, compiled, hit) in enumerate(collected):
        name = getattr(compiled.rule, "exclusive", None)
        if name is None:
            continue
        key = (name, hit.item or hit.events)
        best = winner.get(key)
        if best is None or abs(hit.capped) > abs(collected[best][2].capped):
            winner[key] = index
    losers = set(range(len(collected))) - set(winner.values())
    return [
        (section_id, compiled, replace(hit, allowed=Fraction(0), excluded=True))
        if index in losers and getattr(compiled.rule, "exclusive", None) is not None
        else (section_id, compiled, hit)
        for index, (section_id, compiled, hit) in enumerate(collected)
    ]


def score_unit(plan: Plan, unit: Unit, facts: UnitFacts, as_of: date) -> UnitResult:
    """Score one unit from its facts as of `as_of`."""
    group = plan.group_of_kind[unit.kind]
    scheme = plan.scheme
    earlier: dict[str, list[Hit]] = {}
    fired: dict[str, list[Hit]] = {}
    collected: list[tuple[str, CompiledRule, Hit]] = []
    for cs, compiled in plan.evaluation_order:
        if compiled.groups is not None and group not in compiled.groups:
            continue
        ctx = Context(
            as_of, scheme.period, cs.section.start == "full", unit.kind, group, unit.id, earlier
        )
        hits = compiled.evaluate(facts, ctx)
        earlier[compiled.rule.id] = [h for h in hits if h.points != 0]
        fired[compiled.rule.id] = [h for h in hits if not h.info]
        collected += [(cs.section.id, compiled, h) for h in hits]
    per_section: dict[str, list[tuple[CompiledRule, Hit]]] = defaultdict(list)
    for section_id, compiled, hit in _without_double_counting(collected):
        per_section[section_id].append((compiled, hit))
    rounding = scheme.rounding
    sections, lines = [], []
    for cs in plan.sections:
        exact, section_lines = _settle(cs, per_section[cs.section.id])
        lines += section_lines
        shown = round_shown(exact, rounding.places, rounding.mode)
        # Built from checked values: construct, do not validate again.
        sections.append(
            SectionScore.model_construct(
                id=cs.section.id,
                name=cs.section.name,
                short_name=cs.section.short_name or cs.section.name,
                clause=cs.section.clause,
                points=cs.section.points,
                start=cs.start,
                score=shown,
                exact=exact,
            )
        )
    exact_total, total, cut = _totals(plan, sections)
    occurrences = {rule: len(hits) for rule, hits in fired.items()}
    return UnitResult.model_construct(
        unit=unit.id,
        name=unit.name,
        kind=unit.kind,
        group=group,
        total=total,
        exact_total=exact_total,
        cut_by_cap=cut,
        rank=None,
        assessed=not any(hit.excludes_unit for _, _, hit in collected),
        converted=_convert(plan, total),
        grade=None,
        grade_name=None,
        flags=raised_flags(scheme, occurrences),
        sections=tuple(sections),
        lines=tuple(lines),
    )


def _totals(plan: Plan, sections: list[SectionScore]) -> tuple[Fraction, Decimal, Decimal]:
    """The exact and shown totals, and what the cap on the total took off the shown one.

    Sections listed in `total.beyond_cap` are added after the cap.
    """
    rules, rounding = plan.scheme.total, plan.scheme.rounding
    inside = [s for s in sections if s.id not in rules.beyond_cap]
    beyond = [s for s in sections if s.id in rules.beyond_cap]
    cap = fraction(rules.cap) if rules.cap is not None else None
    exact = sum((s.exact for s in inside), Fraction(0))
    exact = (exact if cap is None else min(exact, cap)) + sum(
        (s.exact for s in beyond), Fraction(0)
    )
    places = Decimal(1).scaleb(-rounding.places)  # a cap of 100 is shown as 100.00
    if rounding.stage == "section":
        shown_inside = sum((s.score for s in inside), Decimal(0))
        capped = shown_inside if rules.cap is None else min(shown_inside, rules.cap)
        total = (capped + sum((s.score for s in beyond), Decimal(0))).quantize(places)
    else:
        total = round_shown(exact, rounding.places, rounding.mode)
    cut = sum((s.score for s in sections), Decimal(0)) - total
    return exact, total, max(cut, Decimal(0)).quantize(places)


def _convert(plan: Plan, total: Decimal) -> Decimal | None:
    conversion = plan.scheme.conversion
    if conversion is None:
        return None
    value = fraction(total) / fraction(conversion.full_score) * fraction(conversion.target_points)
    if conversion.cap:
        value = min(value, fraction(conversion.target_points))
    rounding = plan.scheme.rounding
    return round_shown(value, rounding.places, rounding.mode)


def _ranked(plan: Plan, results: list[UnitResult]) -> list[UnitResult]:
    """Competition ranking within each group: equal totals share a rank (1, 2, 2, 4)."""
    by_group: dict[str, list[UnitResult]] = defaultdict(list)
    for result in results:
        by_group[result.group].append(result)
    ranked: list[UnitResult] = []
    for group in plan.scheme.groups:
        members = sorted(by_group[group.id], key=lambda r: (-r.total, r.unit))
        assessed = [r for r in members if r.assessed]
        grades = grade_group(plan.scheme.grades, assessed)
        rank = 0
        for position, result in enumerate(assessed):
            if not position or result.total != assessed[position - 1].total:
                rank = position + 1
            grade = grades[result.unit]
            update = {"rank": rank, "grade": grade and grade.id, "grade_name": grade and grade.name}
            ranked.append(result.model_copy(update=update))
        ranked += [r for r in members if not r.assessed]
    return ranked


def roster_digest(roster: Roster) -> str:
    return hashlib.sha256(roster.model_dump_json().encode("utf-8")).hexdigest()


def report_of(
    plan: Plan,
    roster: Roster,
    results: list[UnitResult],
    day: date,
    digest: str,
    events: int,
    roster_sha: str,
) -> Report:
    """Rank the units' results and add the provenance."""
    scheme = plan.scheme
    provenance = Provenance(
        scheme_id=scheme.id,
        scheme_title=scheme.title,
        scheme_version=scheme.version,
        scheme_digest=plan.digest,
        library_version=__version__,
        as_of=day,
        events_digest=digest,
        events=events,
        roster_digest=roster_sha,
    )
    groups = tuple(GroupInfo(id=g.id, name=g.name) for g in scheme.groups)
    return Report.model_construct(
        provenance=provenance, groups=groups, units=tuple(_ranked(plan, results))
    )
