"""Roll-ups of the ranked units: each portfolio (条线) scored from its units' shown totals and
ranked, and each person tied to a unit given the unit's result as the scheme maps it."""

from __future__ import annotations

from collections.abc import Sequence

from assessment._internal.base.arith import Q, div, exact, fraction, round_shown
from assessment.results import PersonResult, PortfolioRanking, PortfolioResult, UnitResult
from assessment.roster import Roster
from assessment.scheme import Portfolio, Scheme

__all__ = ["person_results", "portfolio_ranking"]


def portfolio_ranking(
    scheme: Scheme, roster: Roster, results: Sequence[UnitResult]
) -> PortfolioRanking | None:
    """The scheme's portfolios scored and ranked, or none if it has none."""
    portfolios = scheme.portfolios
    if portfolios is None:
        return None
    by_unit = {result.unit: result for result in results}
    members: dict[str, list[UnitResult]] = {p.id: [] for p in portfolios.entries}
    for unit in roster.units:
        if unit.portfolio is None:
            continue
        if unit.portfolio not in members:  # a roster built in code, not read by read_roster
            raise ValueError(
                f"unit '{unit.id}' names portfolio '{unit.portfolio}', which the scheme does not "
                "declare: give it one of the scheme's portfolios (read_roster checks them)"
            )
        members[unit.portfolio].append(by_unit[unit.id])
    entries = [_portfolio(scheme, p, members[p.id]) for p in portfolios.entries]
    entries.sort(key=lambda e: (e.score is None, -(e.score or 0), e.id))
    if portfolios.rank:
        entries = _ranked(entries)
    return PortfolioRanking(name=portfolios.name, score=portfolios.score, entries=tuple(entries))


def _portfolio(scheme: Scheme, portfolio: Portfolio, members: list[UnitResult]) -> PortfolioResult:
    counted = [m for m in members if m.assessed]
    value: Q | None = None
    if counted:
        value = sum((fraction(m.total) for m in counted), start=fraction(0))
        if scheme.portfolios is not None and scheme.portfolios.score == "mean":
            value = div(value, len(counted))
    rounding = scheme.rounding
    return PortfolioResult(
        id=portfolio.id,
        name=portfolio.name,
        leader=portfolio.leader,
        score=None if value is None else round_shown(value, rounding.places, rounding.mode),
        exact=None if value is None else exact(value),
        rank=None,
        units=tuple(m.unit for m in counted),
        left_out=tuple(m.unit for m in members if not m.assessed),
    )


def _ranked(entries: list[PortfolioResult]) -> list[PortfolioResult]:
    """Competition ranking by shown score (1, 2, 2, 4); a portfolio with no score is unranked."""
    out: list[PortfolioResult] = []
    rank = 0
    for position, entry in enumerate(entries):
        if entry.score is None:
            out.append(entry)
            continue
        if not position or entry.score != entries[position - 1].score:
            rank = position + 1
        out.append(entry.model_copy(update={"rank": rank}))
    return out


def person_results(
    scheme: Scheme, roster: Roster, results: Sequence[UnitResult]
) -> tuple[PersonResult, ...]:
    """Every person the roster names, in roster order and the scheme's order of roles."""
    persons = scheme.persons
    if persons is None:
        return ()
    by_unit = {result.unit: result for result in results}
    out = []
    for unit in roster.units:
        names = unit.persons or {}
        result = by_unit[unit.id]
        for role in persons.roles:
            if role.id in names:
                out.append(_person(scheme, result, role.id, role.name, names[role.id]))
    return tuple(out)


def _person(scheme: Scheme, unit: UnitResult, role: str, role_name: str, name: str) -> PersonResult:
    persons = scheme.persons
    grades = persons.grades if persons is not None else None
    flags = (persons.flags if persons is not None else None) or {}
    outcome = unit.grade_name
    if unit.grade is not None and grades is not None:
        outcome = grades[unit.grade]
    return PersonResult(
        unit=unit.unit,
        unit_name=unit.name,
        role=role,
        role_name=role_name,
        name=name,
        total=unit.total,
        exact_total=unit.exact_total,
        rank=unit.rank,
        grade=unit.grade,
        outcome=outcome,
        restrictions=tuple(flags[f.id] for f in unit.flags if f.id in flags),
    )
