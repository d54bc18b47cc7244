"""The roll-ups' cross-checks: portfolios and persons name kinds, grades and flags that
exist, and every grade a person can be given is mapped."""

from __future__ import annotations

from assessment._internal.load.faults import Fault, duplicates, unknown
from assessment.scheme import Persons, Portfolios, Scheme

__all__ = ["RESERVED_COLUMNS", "rollup_faults"]

RESERVED_COLUMNS = ("id", "name", "kind", "portfolio", "persons")
"""A roster's own columns: no person's role may take one of these names."""


def rollup_faults(scheme: Scheme) -> list[Fault]:
    """Every fault of the scheme's `portfolios` and `persons`, with its path."""
    faults: list[Fault] = []
    if scheme.portfolios is not None:
        faults += _portfolio_faults(scheme, scheme.portfolios)
    if scheme.persons is not None:
        faults += _person_faults(scheme, scheme.persons)
    return faults


def _portfolio_faults(scheme: Scheme, portfolios: Portfolios) -> list[Fault]:
    entries = ((("portfolios", "entries", i), p.id) for i, p in enumerate(portfolios.entries))
    faults = list(duplicates(entries, "portfolio"))
    kinds = [kind.id for kind in scheme.unit_kinds]
    for i, kind in enumerate(portfolios.kinds):
        if kind not in kinds:
            faults.append(unknown(("portfolios", "kinds", i), "unit kind", kind, kinds))
    if len(set(portfolios.kinds)) < len(portfolios.kinds):
        faults.append((("portfolios", "kinds"), "a unit kind is listed twice: list it once"))
    return faults


def _person_faults(scheme: Scheme, persons: Persons) -> list[Fault]:
    roles = ((("persons", "roles", i), r.id) for i, r in enumerate(persons.roles))
    faults = list(duplicates(roles, "person role"))
    for i, role in enumerate(persons.roles):
        if role.id in RESERVED_COLUMNS:
            message = (
                f"'{role.id}' is a roster column of its own: give the role another id "
                "(e.g. principal, deputy)"
            )
            faults.append((("persons", "roles", i, "id"), message))
    return faults + _person_grade_faults(scheme, persons) + _person_flag_faults(scheme, persons)


def _person_grade_faults(scheme: Scheme, persons: Persons) -> list[Fault]:
    if persons.grades is None:
        return []
    grades = [grade.id for grade in scheme.grades]
    if not grades:
        message = (
            "the scheme gives no grades, so there is no grade to map: remove persons.grades "
            "(each person is given the unit's total and rank)"
        )
        return [(("persons", "grades"), message)]
    faults = [
        unknown(("persons", "grades", grade), "grade", grade, grades)
        for grade in persons.grades
        if grade not in grades
    ]
    missing = [grade for grade in grades if grade not in persons.grades]
    if missing:
        message = (
            f"grade(s) {', '.join(missing)} are not mapped: say what a person of a unit of "
            "each grade gets (every grade, so that none is given silently)"
        )
        faults.append((("persons", "grades"), message))
    return faults


def _person_flag_faults(scheme: Scheme, persons: Persons) -> list[Fault]:
    if persons.flags is None:
        return []
    flags = [flag.id for flag in scheme.flags]
    if not flags:
        message = "the scheme raises no flags: remove persons.flags, or declare the flags"
        return [(("persons", "flags"), message)]
    return [
        unknown(("persons", "flags", flag), "flag", flag, flags)
        for flag in persons.flags
        if flag not in flags
    ]
