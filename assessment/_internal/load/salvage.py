"""The valid parts of a scheme that failed validation, so that its references are
checked too and every problem is reported in one pass."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import TypeAdapter, ValidationError

from assessment._internal.model.upgrade import upgraded
from assessment.scheme import (
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
    return Section.model_construct(id=raw["id"], points=points, rules=rules)  # type: ignore[call-arg]


def salvage(data: dict[str, Any]) -> tuple[Scheme, set[str]]:
    """The valid parts of a scheme that failed validation, and every id it names.

    Lets reference problems be reported with the shape problems, in one pass.
    Faults about a name in the returned set are not real: that entry exists
    but is itself invalid.
    """
    read = upgraded(data)  # a format 1 file as format 2, as the model reads it
    data = read if isinstance(read, dict) else data
    sections = data.get("sections")
    parts = {
        "unit_kinds": _each(UnitKind, data.get("unit_kinds")),
        "groups": _each(Group, data.get("groups")),
        "categories": _each(Category, data.get("categories")),
        "event_types": _each(EventTypeSpec, data.get("event_types")),
        "exclusive_groups": _each(ExclusiveGroup, data.get("exclusive_groups")),
        "sections": tuple(_salvage_section(s) for s in sections)
        if isinstance(sections, list)
        else (),
    }
    names: set[str] = set()
    for key in (
        "unit_kinds",
        "groups",
        "categories",
        "event_types",
        "sections",
        "exclusive_groups",
    ):
        for entry in data.get(key) or ():
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                names.add(entry["id"])
            for rule in (entry.get("rules") or ()) if isinstance(entry, dict) else ():
                if isinstance(rule, dict) and isinstance(rule.get("id"), str):
                    names.add(rule["id"])
    partial = Scheme.model_construct(**parts)  # type: ignore[arg-type]
    return partial, names
