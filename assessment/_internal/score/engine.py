"""Scoring: fold each unit's events, run the compiled rules, settle sections, rank.

The flow is one way: events → per-unit facts → hits → applied lines →
section scores → totals → ranks. Nothing here knows a particular scheme.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict, deque
from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar

from pydantic import BaseModel

from assessment._internal.base.arith import Q, clamp, div, exact, exact_text, fraction, round_shown
from assessment._internal.ledger.facts import UnitFacts
from assessment._internal.rules.kinds import Context, Hit, capped
from assessment._internal.rules.plan import CompiledRule, CompiledSection, Plan
from assessment._internal.score.outcomes import grade_group, raised_flags
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

__all__ = ["built", "report_of", "roster_digest", "score_unit"]


_M = TypeVar("_M", bound=BaseModel)
_set = object.__setattr__


def built(cls: type[_M], values: dict[str, Any]) -> _M:
    """A results model from every one of its fields, computed and typed by the engine.

    It skips validation, as `model_construct` does, without the latter's per-field
    work: results hold many lines, and this is the hot path. Tests compare it
    with validated construction.
    """
    model = cls.__new__(cls)
    _set(model, "__dict__", values)
    _set(model, "__pydantic_fields_set__", set(values))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


def _settle(
    cs: CompiledSection, hits: list[tuple[CompiledRule, Hit]], *, trail: bool = True
) -> tuple[Q, list[Line]]:
    """Apply hits in order, clamped to [floor, points]; each line shows what it moved.

    Clamping the running sum (not each line) keeps the section order-free
    within a date while every line still says how much of it counted: points
    past a limit are held beyond it, and a later line the other way is offset
    by them (it moves nothing) before it moves the score.
    """
    low, high = cs.low, cs.high
    if not trail:
        return clamp(cs.start + sum(hit.capped for _, hit in hits), low, high), []
    hits.sort(key=lambda pair: (pair[1].date, pair[0].order, pair[1].events, pair[1].detail))
    raw = cs.start
    before = clamp(raw, low, high)
    section = cs.section.id
    lines: list[dict[str, Any]] = []
    # Points held beyond a limit, oldest first: [line, points held, points since offset].
    held: deque[list[Any]] = deque()
    for compiled, hit in hits:
        given = hit.capped
        start, raw = raw, raw + given
        after = clamp(raw, low, high)
        applied = after - before
        before = after
        if given > 0:  # past the top, and what earlier points past the floor took up
            beyond, held_before = max(0, raw - high) - max(0, start - high), max(0, low - start)
        elif given < 0:
            beyond, held_before = max(0, low - raw) - max(0, low - start), max(0, start - high)
        else:
            beyond = held_before = 0
        offset = _offset(held, min(_size(given), held_before))
        limited = None  # the main reason; the explanation words each
        if given != hit.points:
            limited = "exclusive" if hit.excluded else "rule_cap"
        if beyond:
            limited = "section_floor" if raw < low else "section_cap"
        elif offset:
            limited = "offset"
        rule = compiled.rule
        line = {
            "section": section,
            "rule": rule.id,
            "rule_name": rule.name,
            "clause": rule.clause,
            "date": hit.date,
            "points": exact(hit.points),
            "applied": exact(applied),
            "limited_by": limited,
            "allowed": exact(given) if given != hit.points else None,
            "offset": exact(offset) if offset else None,
            "later_offset": None,
            "events": hit.events,
            "detail": hit.detail,
            "facts": _facts(hit),
        }
        if beyond:
            held.append([line, beyond, 0])
        lines.append(line)
    return before, [built(Line, line) for line in lines]


_COMMON = frozenset({"id", "type", "unit", "date"})


def _facts(hit: Hit) -> dict[str, str]:
    """The deciding values behind a line, as text: those its rule named, or else the own
    fields of the one event it is about (a commendation's level, an adjustment's reason)."""
    pairs = hit.facts
    if not pairs and hit.subject is not None:
        subject = hit.subject
        pairs = tuple(
            (name, getattr(subject, name))
            for name in getattr(subject, "__dataclass_fields__", ())
            if name not in _COMMON
        )
    return {name: _text(value) for name, value in pairs if value is not None}


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Fraction):
        return exact_text(value)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value else "0"
    if isinstance(value, tuple | list):
        return ";".join(_text(part) for part in value)
    return str(value)


def _offset(held: deque[list[Any]], amount: Q) -> Q:
    """Take `amount` from the points held beyond a limit, oldest first; record on each line
    how many of its held points later offset another line. Returns what was taken."""
    taken: Q = 0
    while amount > 0 and held:
        entry = held[0]
        part = min(entry[1] - entry[2], amount)
        entry[2] += part
        entry[0]["later_offset"] = exact(entry[2])
        taken += part
        amount -= part
        if entry[2] == entry[1]:
            held.popleft()
    return taken


def _size(value: Q) -> Q:
    return value if value >= 0 else -value


def _without_double_counting(
    collected: list[tuple[str, CompiledRule, Hit]],
) -> list[tuple[str, CompiledRule, Hit]]:
    """Among rules sharing an `exclusive` name, only the largest hit on an item counts.

    The others stay in the trail with nothing applied, so an auditor sees them.
    """
    winner: dict[tuple[str, object], int] = {}
    for index, (_, compiled, hit) in enumerate(collected):
        name = compiled.exclusive
        if name is None:
            continue
        key = (name, hit.item or hit.events)
        best = winner.get(key)
        if best is None or _size(hit.capped) > _size(collected[best][2].capped):
            winner[key] = index
    losers = set(range(len(collected))) - set(winner.values())
    return [
        (section_id, compiled, replace(hit, allowed=0, excluded=True))
        if index in losers and compiled.exclusive is not None
        else (section_id, compiled, hit)
        for index, (section_id, compiled, hit) in enumerate(collected)
    ]


def _capped_by_rule(
    collected: list[tuple[str, CompiledRule, Hit]],
) -> list[tuple[str, CompiledRule, Hit]]:
    """Each rule's cap applied to its lines once exclusivity has settled which count: a line
    another rule of its group counted instead uses none of its rule's room. (The order of
    the lines changes; a section settles them in its own order.)"""
    out: list[tuple[str, CompiledRule, Hit]] = []
    groups: dict[int, tuple[str, CompiledRule, list[Hit]]] = {}
    for section_id, compiled, hit in collected:
        if compiled.cap is None:
            out.append((section_id, compiled, hit))
        else:
            groups.setdefault(compiled.order, (section_id, compiled, []))[2].append(hit)
    for section_id, compiled, hits in groups.values():
        assert compiled.cap is not None
        out += [(section_id, compiled, hit) for hit in capped(hits, compiled.cap)]
    return out


def score_unit(
    plan: Plan, unit: Unit, facts: UnitFacts, as_of: date, *, trail: bool = True
) -> UnitResult:
    """Score one unit from its facts as of `as_of`; without `trail`, leave out the lines."""
    group = plan.group_of_kind[unit.kind]
    scheme = plan.scheme
    earlier: dict[str, list[Hit]] = {}  # for thresholds: the hits of the rules they count
    # For flags: how often each rule they watch occurred, and how many lines it gave.
    occurrences: dict[str, tuple[int, int]] = {}
    per_section: dict[str, list[tuple[CompiledRule, Hit]]] = {
        s.section.id: [] for s in plan.sections
    }
    collected: list[tuple[str, CompiledRule, Hit]] = []
    assessed = True
    # One context per way a section starts; `earlier` is shared and grows as rules run.
    contexts = {
        start: Context(as_of, scheme.period, start, unit.kind, group, unit.id, earlier)
        for start in (True, False)
    }
    for cs, compiled in plan.evaluation_order:
        if compiled.groups is not None and group not in compiled.groups:
            continue
        hits = compiled.evaluate(facts, contexts[cs.starts_full])
        if not hits:
            continue
        rule_id = compiled.rule.id
        if rule_id in plan.counted:
            earlier[rule_id] = [h for h in hits if h.occurs]
        if rule_id in plan.watched:
            given = sum(1 for h in hits if not h.info)
            occurrences[rule_id] = (sum(1 for h in hits if h.occurs), given)
        if assessed and any(h.excludes_unit for h in hits):
            assessed = False
        if plan.any_exclusive:
            collected += [(cs.section.id, compiled, h) for h in hits]
        else:
            if compiled.cap is not None:
                hits = capped(hits, compiled.cap)
            per_section[cs.section.id] += [(compiled, h) for h in hits]
    if plan.any_exclusive:
        for section_id, compiled, hit in _capped_by_rule(_without_double_counting(collected)):
            per_section[section_id].append((compiled, hit))
    rounding = scheme.rounding
    sections, lines, exacts = [], [], []
    for cs in plan.sections:
        value, section_lines = _settle(cs, per_section[cs.section.id], trail=trail)
        lines += section_lines
        exacts.append(value)
        shown = round_shown(value, rounding.places, rounding.mode)
        sections.append(
            built(
                SectionScore,
                {
                    "id": cs.section.id,
                    "name": cs.section.name,
                    "short_name": cs.section.short_name or cs.section.name,
                    "clause": cs.section.clause,
                    "points": cs.section.points,
                    "start": exact(cs.start),
                    "score": shown,
                    "exact": exact(value),
                },
            )
        )
    exact_total, total, cut = _totals(plan, sections, exacts)
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
            "assessed": assessed,
            "converted": _convert(plan, total),
            "grade": None,
            "grade_name": None,
            "flags": raised_flags(scheme, occurrences) if scheme.flags else (),
            "sections": tuple(sections),
            "lines": tuple(lines),
        },
    )


def _totals(
    plan: Plan, sections: list[SectionScore], exacts: list[Q]
) -> tuple[Q, Decimal, Decimal]:
    """The exact and shown totals, and what the cap on the total took off the shown one.

    Sections listed in `total.beyond_cap` are added after the cap.
    """
    rules, rounding = plan.scheme.total, plan.scheme.rounding
    inside = [s for s in sections if s.id not in rules.beyond_cap]
    beyond = [s for s in sections if s.id in rules.beyond_cap]
    cap = fraction(rules.cap) if rules.cap is not None else None
    inside_sum = sum(
        v for s, v in zip(sections, exacts, strict=True) if s.id not in rules.beyond_cap
    )
    beyond_sum = sum(v for s, v in zip(sections, exacts, strict=True) if s.id in rules.beyond_cap)
    value = (inside_sum if cap is None else min(inside_sum, cap)) + beyond_sum
    places = Decimal(1).scaleb(-rounding.places)  # a cap of 100 is shown as 100.00
    if rounding.stage == "section":
        shown_inside = sum((s.score for s in inside), Decimal(0))
        capped = shown_inside if rules.cap is None else min(shown_inside, rules.cap)
        total = (capped + sum((s.score for s in beyond), Decimal(0))).quantize(places)
    else:
        total = round_shown(value, rounding.places, rounding.mode)
    cut = sum((s.score for s in sections), Decimal(0)) - total
    return value, total, max(cut, Decimal(0)).quantize(places)


def _convert(plan: Plan, total: Decimal) -> Decimal | None:
    conversion = plan.scheme.conversion
    if conversion is None:
        return None
    rounding = plan.scheme.rounding
    if conversion.full_score == conversion.target_points:  # the shown total, at most capped
        value_shown = min(total, conversion.target_points) if conversion.cap else total
        return value_shown.quantize(Decimal(1).scaleb(-rounding.places))
    value = div(
        fraction(total) * fraction(conversion.target_points), fraction(conversion.full_score)
    )
    if conversion.cap:
        value = min(value, fraction(conversion.target_points))
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
            ranked.append(built(UnitResult, {**result.__dict__, **update}))
        ranked += [r for r in members if not r.assessed]
    return ranked


def roster_digest(roster: Roster) -> str:
    return hashlib.sha256(roster.model_dump_json().encode("utf-8")).hexdigest()


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
    return Report.model_construct(
        provenance=provenance, groups=groups, units=tuple(_ranked(plan, results))
    )
