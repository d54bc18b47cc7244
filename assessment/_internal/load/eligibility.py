"""Whether a scheme's eligibility keys can do what they say: flags' bars, best grades and
item conditions, and the values a scheme adds to built-in event types.

A bar that can never apply (a quota bar where no grade has a quota, a best grade that is
the best there is) and a condition on items no unit can have (a scheme with no item
categories) look like a bar that simply did not apply: nobody would notice. Each is
refused, with what to write instead.
"""

from __future__ import annotations

from assessment._internal.load.eventtypes import COMMON_FIELDS, enum_values
from assessment._internal.load.faults import Fault, present, unknown
from assessment._internal.text.yamlsource import Path
from assessment.events import BUILTIN_EVENT_TYPES
from assessment.scheme import BuiltinExtension, Flag, Scheme

__all__ = ["eligibility_faults", "extension_faults"]


def eligibility_faults(scheme: Scheme) -> list[Fault]:
    """Every flag's bars, best grade and item conditions can apply."""
    faults: list[Fault] = []
    for i, flag in enumerate(scheme.flags):
        faults += _bar_faults(scheme, ("flags", i), flag)
        faults += _condition_faults(scheme, ("flags", i), flag)
    return faults


def _bar_faults(scheme: Scheme, base: Path, flag: Flag) -> list[Fault]:
    faults: list[Fault] = []
    grades = [g.id for g in scheme.grades]
    if "quota" in flag.bars and all(g.quota is None for g in scheme.grades):
        message = (
            "no grade has a quota, so barring the unit from quotas bars nothing: remove "
            "`quota` from `bars`, or give the grade its quota"
        )
        faults.append(((*base, "bars", flag.bars.index("quota")), message))
    if flag.best_grade is None:
        return faults
    path = (*base, "best_grade")
    if not grades:
        faults.append((path, "the scheme has no grades: remove `best_grade`, or add `grades:`"))
    elif flag.best_grade not in grades:
        faults.append(unknown(path, "grade", flag.best_grade, grades))
    elif flag.best_grade == grades[0]:
        message = (
            f"'{grades[0]}' is the best grade, so no grade is above it and the flag bars "
            f"nothing: name the best grade a flagged unit may get ({', '.join(grades[1:])})"
        )
        faults.append((path, message))
    return faults


def _condition_faults(scheme: Scheme, base: Path, flag: Flag) -> list[Fault]:
    faults: list[Fault] = []
    categories = {c.id for _, c in present(scheme.categories)}
    for j, condition in enumerate(flag.raised_when):
        path = (*base, "raised_when", j)
        if not categories:
            message = (
                "the scheme has no item categories, so no unit has an item and this "
                "condition always or never holds: add `categories:`, or remove the condition"
            )
            faults.append((path, message))
            continue
        for k, category in enumerate(condition.categories or ()):
            if category not in categories:
                where = (*path, "categories", k)
                faults.append(unknown(where, "category", category, categories))
    return faults


def extension_faults(scheme: Scheme) -> list[Fault]:
    """Each extension adds new values to an enum field of a built-in event type."""
    faults: list[Fault] = []
    declared = {s.id for _, s in present(scheme.event_types)}
    seen: set[tuple[str, str]] = set()
    for i, extension in present(scheme.extends):
        base: Path = ("extends", i)
        if extension.event in declared:
            message = (
                f"'{extension.event}' is declared by this scheme: add the values to its "
                "field's `values:` instead"
            )
            faults.append(((*base, "event"), message))
            continue
        if extension.event not in BUILTIN_EVENT_TYPES:
            faults.append(
                unknown(
                    (*base, "event"), "built-in event type", extension.event, BUILTIN_EVENT_TYPES
                )
            )
            continue
        if (extension.event, extension.field) in seen:
            message = f"{extension.event}.{extension.field} is extended above: add the values there"
            faults.append(((*base, "field"), message))
        seen.add((extension.event, extension.field))
        faults += _added_value_faults(base, extension)
    return faults


def _added_value_faults(base: Path, extension: BuiltinExtension) -> list[Fault]:
    model = BUILTIN_EVENT_TYPES[extension.event]
    where = f"{extension.event}.{extension.field}"
    fields = [f for f in model.model_fields if f not in COMMON_FIELDS]
    if extension.field not in model.model_fields or extension.field in COMMON_FIELDS:
        return [unknown((*base, "field"), f"field of {extension.event}", extension.field, fields)]
    old = enum_values(model, extension.field)
    if old is None:
        enums = [f for f in fields if enum_values(model, f) is not None]
        message = (
            f"{where} is not an enumeration, so it has no values to add to"
            f" (enumerations of {extension.event}: {', '.join(enums) or 'none'})"
        )
        return [((*base, "field"), message)]
    faults: list[Fault] = []
    for k, value in enumerate(extension.add_values):
        path = (*base, "add_values", k)
        if not isinstance(value, str):
            faults.append((path, f"{where} holds text: quote the value ('{value}')"))
        elif value in old:
            message = (
                f"'{value}' is already a value of {where} ({', '.join(map(str, old))}): "
                "list only the values the scheme adds; the built-in ones stay as they are"
            )
            faults.append((path, message))
    return faults
