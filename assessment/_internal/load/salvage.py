"""The valid parts of a scheme that failed validation, so that its references are
checked too and every problem is reported in one pass."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import TypeAdapter, ValidationError

from assessment._internal.model.shared import inlined
from assessment._internal.model.upgrade import upgraded
from assessment.scheme import (
    BuiltinExtension,
    Category,
    EventTypeSpec,
    ExclusiveGroup,
    Group,
    Rule,
    Scheme,
    Section,
    UnitKind,
)

__all__ = ["salvage"]


def _each(annotation: Any, values: Any) -> tuple[Any, ...]:
    """Validate list entries one by one; an invalid entry leaves a hole (None)."""
    if not isinstance(values, list):
        return ()
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)
    out = []
    for value in values:
        try:
            out.append(adapter.validate_python(value))
        except ValidationError:
            out.append(None)
    return tuple(out)


def _salvage_section(raw: Any) -> Section | None:
    try:
        return Section.model_validate(raw)
    except ValidationError:
        pass
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        return None
    rules = _each(Rule, raw.get("rules"))
    try:
        points = Decimal(str(raw.get("points")))
    except ArithmeticError:
        points = Decimal(0)
    inner = raw.get("sections")
    sections = tuple(_salvage_section(s) for s in inner) if isinstance(inner, list) else ()
    # Holes (None) are skipped wherever sections are walked (`placed_sections`).
    groups = raw.get("groups")
    return Section.model_construct(  # type: ignore[call-arg]
        id=raw["id"],
        points=points,
        rules=rules,
        sections=sections,  # type: ignore[arg-type]
        groups=tuple(groups) if isinstance(groups, list) else None,
    )


def _names(entries: object) -> set[str]:
    """Every id of the entries of a raw list, and of the rules and sub-sections within."""
    names: set[str] = set()
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, dict):
            continue
        if isinstance(entry.get("id"), str):
            names.add(entry["id"])
        names |= _names(entry.get("rules")) | _names(entry.get("sections"))
    return names


def salvage(data: dict[str, Any]) -> tuple[Scheme, set[str]]:
    """The valid parts of a scheme that failed validation, and every id it names.

    Lets reference problems be reported with the shape problems, in one pass.
    Faults about a name in the returned set are not real: that entry exists
    but is itself invalid.
    """
    read = upgraded(data)  # a format 1 file as format 2, as the model reads it
    data = read if isinstance(read, dict) else data
    shared = inlined(data)  # the rules' named tables and wheres, as validation reads them
    data = shared if isinstance(shared, dict) else data
    sections = data.get("sections")
    parts = {
        "unit_kinds": _each(UnitKind, data.get("unit_kinds")),
        "groups": _each(Group, data.get("groups")),
        "categories": _each(Category, data.get("categories")),
        "event_types": _each(EventTypeSpec, data.get("event_types")),
        "extends": _each(BuiltinExtension, data.get("extends")),
        "exclusive_groups": _each(ExclusiveGroup, data.get("exclusive_groups")),
        "sections": tuple(_salvage_section(s) for s in sections)
        if isinstance(sections, list)
        else (),
    }
    names: set[str] = set()
    for key in ("unit_kinds", "groups", "categories", "event_types", "sections"):
        names |= _names(data.get(key))
    names |= _names(data.get("exclusive_groups"))
    partial = Scheme.model_construct(**parts)  # type: ignore[arg-type]
    return partial, names
