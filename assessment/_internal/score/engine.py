"""Scoring one unit: run the compiled rules on its facts, settle its sections, add its total;
and the report of every unit's result, ranked.

The flow is one way: events → per-unit facts → hits → applied lines →
section scores → totals → ranks. Nothing here knows a particular scheme.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel

from assessment._internal.base.arith import Q, exact, round_shown
from assessment._internal.base.memo import by_identity
from assessment._internal.ledger.facts import UnitFacts
from assessment._internal.rules.hits import Context, Hit
from assessment._internal.rules.plan import CompiledRule, CompiledSection, Plan
from assessment._internal.score.counts import item_counts
from assessment._internal.score.eligibility import barred
from assessment._internal.score.ranking import raised_flags, ranked
from assessment._internal.score.rollup import person_results, portfolio_ranking
from assessment._internal.score.sections import (
    Collected,
    limited,
    limited_by_rule,
    settle,
    within,
    without_double_counting,
)
from assessment._internal.score.totals import converted, totals
from assessment._internal.score.trail import rule_texts
from assessment._version import __version__
from assessment.results import (
    CategoryCount,
    GroupInfo,
    Line,
    Provenance,
    Report,
    Rounding,
    SectionScore,
    UnitResult,
)
from assessment.roster import Roster, Unit
from assessment.scheme import Section

__all__ = ["built", "report_of", "roster_digest", "score_unit"]


_M = TypeVar("_M", bound=BaseModel)


def built(cls: type[_M], values: dict[str, Any]) -> _M:
    """A results model from every one of its fields, computed and typed by the engine.

    Not validated again: tests compare it with validated construction. A copy of a
    model of the class with every field replaced (pydantic's public `model_copy`) is
    about twice as fast as `model_construct`, which handles defaults and aliases per
    field; results hold many lines, and this is the hot path of a trail.
    """
    template = _TEMPLATES.get(cls)
    if not isinstance(template, cls):
        template = _TEMPLATES[cls] = cls.model_construct(**values)
        return template.model_copy()
    return template.model_copy(update=values)


_TEMPLATES: dict[type[BaseModel], BaseModel] = {}
_NOT_BARRED: dict[str, object] = {"barred_from": (), "best_grade": None, "best_grade_name": None}


@dataclass
class _Run:
    """What running a unit's rules gave: each section's hits, and what flags and ranking
    need to know of them."""

    per_section: dict[str, list[tuple[CompiledRule, Hit]]]
    collected: Collected = field(default_factory=list)  # with exclusive rules: settled later
    # The hits thresholds count, taken before limits: counted by points, never by `allowed`.
    earlier: dict[str, list[Hit]] = field(default_factory=dict)
    # For flags: how often each rule they watch occurred, and how many lines it gave.
    occurrences: dict[str, tuple[int, int]] = field(default_factory=dict)
    assessed: bool = True

    def add(self, plan: Plan, cs: CompiledSection, compiled: CompiledRule, hits: list[Hit]) -> None:
        rule_id = compiled.rule.id
        if rule_id in plan.counted:
            self.earlier[rule_id] = [h for h in hits if h.occurs]
        if rule_id in plan.watched:
            given = sum(1 for h in hits if not h.info)
            self.occurrences[rule_id] = (sum(1 for h in hits if h.occurs), given)
        if self.assessed and any(h.excludes_unit for h in hits):
            self.assessed = False
        if plan.any_exclusive:
            self.collected += [(cs.section.id, compiled, h) for h in hits]
        else:
            self.per_section[cs.section.id] += [(compiled, h) for h in limited(compiled, hits)]


def _run(plan: Plan, unit: Unit, group: str, facts: UnitFacts, as_of: date) -> _Run:
    """Run every rule that applies to the unit's group, thresholds last."""
    run = _Run({s.section.id: [] for s in plan.sections})
    # One context per way a section starts; `earlier` is shared and grows as rules run.
    contexts = {
        start: Context(as_of, plan.scheme.period, start, unit.kind, group, unit.id, run.earlier)
        for start in (True, False)
    }
    for cs, compiled in plan.evaluation_order:
        if compiled.groups is not None and group not in compiled.groups:
            continue
        hits = compiled.evaluate(facts, contexts[cs.starts_full])
        if hits:
            run.add(plan, cs, compiled, hits)
    if plan.any_exclusive:
        for section_id, compiled, hit in limited_by_rule(without_double_counting(run.collected)):
            run.per_section[section_id].append((compiled, hit))
    return run


def _section_score(plan: Plan, cs: CompiledSection, value: Q, start: Q) -> SectionScore:
    section, rounding = cs.section, plan.scheme.rounding
    return built(
        SectionScore,
        {
            "id": section.id,
            "name": section.name,
            "short_name": section.short_name or section.name,
            "clause": section.clause,
            "points": section.points,
            "start": exact(start),
            "score": round_shown(value, rounding.places, rounding.mode),
            "exact": exact(value),
            "cap": _cap_shown(section),
            "floor": "none" if section.bottom is None else None,
            "parent": cs.parent,
        },
    )


@by_identity()
def _counted_lines(plan: Plan) -> frozenset[str]:
    """The rules a flag counts by their lines (`count: lines`): their 0-point lines count."""
    return frozenset(
        t.rule for flag in plan.scheme.flags for t in flag.raised_by if t.count == "lines"
    )


def _shown(plan: Plan, hits: list[tuple[CompiledRule, Hit]]) -> list[tuple[CompiledRule, Hit]]:
    """The lines worth showing: a line of 0 points only where it says something (it is
    `info`, a flag counts its rule's lines, or it is an adjustment recorded with its
    reason), never one a multiplier of 0 made, which would read as a finding. A line a
    cap, a floor or exclusivity cut to 0 gave points: it stays. Dropping a line of 0
    points changes no score."""
    if all(hit.points != 0 or hit.info for _, hit in hits):
        return hits
    counted = _counted_lines(plan)
    out = []
    for compiled, hit in hits:
        if hit.points != 0 or hit.info:
            out.append((compiled, hit))
        elif compiled.rule.id in counted:
            out.append((compiled, replace(hit, purpose="counted")))
        elif hit.reason == "adjustment":
            out.append((compiled, replace(hit, purpose="info")))
    return out


def _cap_shown(section: Section) -> Decimal | str | None:
    """A section's cap as results show it: None when it is its points, else it or none."""
    top = section.top
    if top is None:
        return "none"
    return None if top == section.points else top


def _settled(
    plan: Plan, run: _Run, group: str, trail: bool
) -> tuple[list[SectionScore], list[Line], list[Q]]:
    """Each section the unit's group has, settled: a section with sub-sections takes theirs
    added, within its own limits (sub-sections come after their section, so from the end).
    Returns the sections in file order, their lines, and the top-level sections' values."""
    values: dict[str, tuple[Q, Q]] = {}  # value and start, by section id
    lines: dict[str, list[Line]] = {}
    for cs in reversed(plan.sections):
        ident = cs.section.id
        if cs.groups is not None and group not in cs.groups:
            continue
        if cs.children:
            parts = [values[c] for c in cs.children if c in values]
            value = within(sum(v for v, _ in parts), cs.low, cs.high)
            values[ident] = value, sum(s for _, s in parts)
            continue
        hits = run.per_section[ident]
        value, section_lines = settle(cs, _shown(plan, hits) if trail else hits, trail=trail)
        values[ident] = value, cs.start
        lines[ident] = [built(Line, line) for line in section_lines]
    present = [cs for cs in plan.sections if cs.section.id in values]
    sections = [_section_score(plan, cs, *values[cs.section.id]) for cs in present]
    trail_lines = [line for cs in present for line in lines.get(cs.section.id, ())]
    tops = [values[cs.section.id][0] for cs in present if cs.parent is None]
    return sections, trail_lines, tops


def score_unit(
    plan: Plan, unit: Unit, facts: UnitFacts, as_of: date, *, trail: bool = True
) -> UnitResult:
    """Score one unit from its facts as of `as_of`; without `trail`, leave out the lines."""
    group = plan.group_of_kind[unit.kind]
    scheme = plan.scheme
    run = _run(plan, unit, group, facts, as_of)
    sections, lines, exacts = _settled(plan, run, group, trail)
    top = [s for s in sections if s.parent is None] if plan.nested else sections
    exact_total, total, cut = totals(scheme, top, exacts)
    conversion = converted(scheme, total)
    flags = raised_flags(scheme, run.occurrences, facts, as_of) if scheme.flags else ()
    return built(
        UnitResult,
        {
            "unit": unit.id,
            "name": unit.name,
            "kind": unit.kind,
            "group": group,
            "total": total,
            "exact_total": exact(exact_total),
            "cut_by_cap": cut,
            "rank": None,
            "assessed": run.assessed,
            "converted": None if conversion is None else conversion[1],
            "exact_converted": None if conversion is None else exact(conversion[0]),
            "grade": None,
            "grade_name": None,
            "flags": flags,
            **(barred(scheme, flags) if flags else _NOT_BARRED),
            "sections": tuple(sections),
            "items": tuple(built(CategoryCount, c) for c in item_counts(scheme, facts, as_of)),
            "lines": tuple(lines),
        },
    )


def roster_digest(roster: Roster) -> str:
    # Defaults left out: a roster without portfolios or persons keeps the digest it had.
    return hashlib.sha256(roster.model_dump_json(exclude_defaults=True).encode()).hexdigest()


def report_of(
    plan: Plan,
    *,
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
    units = tuple(ranked(scheme, results))
    rounding = scheme.rounding
    return Report.model_construct(
        rounding=Rounding(places=rounding.places, mode=rounding.mode, stage=rounding.stage),
        provenance=provenance,
        groups=groups,
        rules=rule_texts(scheme),
        units=units,
        portfolios=portfolio_ranking(scheme, roster, units),
        persons=person_results(scheme, roster, units),
    )
