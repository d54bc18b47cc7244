"""A roster's roll-up columns checked against the scheme: each unit in at most one portfolio
the scheme declares (and in one where its kind must be), persons only in the scheme's roles,
and no declared portfolio left without a unit."""

from __future__ import annotations

import re
from collections.abc import Iterable

from assessment._internal.text.suggest import unknown
from assessment.roster import Unit
from assessment.scheme import Scheme

__all__ = ["empty_portfolios", "unit_rollup_faults"]

_SEPARATORS = re.compile(r"[、,,;;/|\s]+")


def unit_rollup_faults(unit: Unit, scheme: Scheme) -> list[tuple[str, str]]:
    """What is wrong with a unit's portfolio and persons, each with the field at fault."""
    return _portfolio_faults(unit, scheme) + _person_faults(unit, scheme)


def _portfolio_faults(unit: Unit, scheme: Scheme) -> list[tuple[str, str]]:
    portfolios = scheme.portfolios
    if portfolios is None:
        if unit.portfolio is None:
            return []
        message = (
            f"the scheme declares no portfolios, so unit '{unit.id}' cannot be in "
            f"'{unit.portfolio}': remove the portfolio, or declare `portfolios:` in the scheme"
        )
        return [("portfolio", message)]
    belongs = not portfolios.kinds or unit.kind in portfolios.kinds
    if unit.portfolio is None:
        if not belongs:
            return []
        message = (
            f"unit '{unit.id}' (kind {unit.kind}) names no portfolio: every unit of the kinds "
            "portfolios.kinds lists is in one; give it the portfolio it is under"
        )
        return [("portfolio", message)]
    if not belongs:
        message = (
            f"unit '{unit.id}' is of kind {unit.kind}, which portfolios.kinds leaves out "
            f"({', '.join(portfolios.kinds)}): leave its portfolio blank, or add the kind"
        )
        return [("portfolio", message)]
    ids = [p.id for p in portfolios.entries]
    if unit.portfolio in ids:
        return []
    return [("portfolio", _unknown_portfolio(unit, ids))]


def _unknown_portfolio(unit: Unit, ids: list[str]) -> str:
    name = unit.portfolio or ""
    parts = [part for part in _SEPARATORS.split(name) if part]
    if len(parts) > 1 and all(part in ids for part in parts):
        return (
            f"unit '{unit.id}' is put in {len(parts)} portfolios ({', '.join(parts)}): a unit "
            "is scored in one portfolio only; give the one the scheme assigns it to"
        )
    return unknown("portfolio", name, ids, f" (the scheme's portfolios are {', '.join(ids)})")


def _person_faults(unit: Unit, scheme: Scheme) -> list[tuple[str, str]]:
    if not unit.persons:
        return []
    if scheme.persons is None:
        message = (
            "the scheme assesses no persons by their unit's result: remove `persons`, or "
            "declare `persons:` in the scheme"
        )
        return [("persons", message)]
    roles = [role.id for role in scheme.persons.roles]
    listed = f" (the scheme's roles are {', '.join(roles)})"
    return [
        ("persons", unknown("person role", role, roles, listed))
        for role in unit.persons
        if role not in roles
    ]


def empty_portfolios(units: Iterable[Unit], scheme: Scheme) -> list[str]:
    """A declared portfolio no unit of the roster is in: its score would be missing unseen."""
    if scheme.portfolios is None:
        return []
    used = {unit.portfolio for unit in units}
    return [
        f"no unit of the roster is in portfolio '{p.id}' ({p.name}): give it its units in the "
        "portfolio column, or remove it from the scheme's portfolios"
        for p in scheme.portfolios.entries
        if p.id not in used
    ]
