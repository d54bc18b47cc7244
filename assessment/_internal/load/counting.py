"""Whether a rule's counting can do what it says: `per` has something to count and every
line it counts has an item or a day to be counted in; a band of points taken from an event
field names a number field that can hold its ends.

Both look like a rule that counts as the text says while it does not: an event with no
item counted per item, or a band that no event could ever fall in.
"""

from __future__ import annotations

from assessment._internal.load.eventtypes import COMMON_FIELDS, event_types
from assessment._internal.load.fieldvalues import field_values
from assessment._internal.load.records import LIFECYCLE
from assessment._internal.text.suggest import did_you_mean
from assessment._internal.text.yamlsource import Path
from assessment.scheme import (
    CompletionRule,
    OverdueRule,
    PerEventRule,
    PerItemRule,
    PointsFromField,
    Rule,
    Scheme,
    ThresholdRule,
)

__all__ = ["band_faults", "counting_faults"]

Fault = tuple[Path, str]


def counting_faults(scheme: Scheme, base: Path, rule: Rule, by_id: dict[str, Rule]) -> list[Fault]:
    """`per` on a rule that counts: it counts something, and per item only lines of items."""
    if not isinstance(rule, PerEventRule | PerItemRule | ThresholdRule) or rule.per == "unit":
        return []
    if not isinstance(rule, ThresholdRule) and (rule.steps, rule.max_count, rule.cap) == (
        None,
        None,
        None,
    ):
        message = (
            f"`per: {rule.per}` counts nothing here: it applies to `steps`, `max_count` and "
            "`cap`; add the one the text means, or remove `per`"
        )
        return [((*base, "per"), message)]
    if rule.per != "item":
        return []
    counted = by_id.get(rule.counts) if isinstance(rule, ThresholdRule) else rule
    why = None if counted is None else _lines_without_item(scheme, counted)
    if why is None:
        return []
    return [((*base, "per"), f"`per: item`, but {why}")]


def _lines_without_item(scheme: Scheme, rule: Rule) -> str | None:
    """Why some line of `rule` may name no item, or None when every one names its item."""
    if isinstance(rule, PerItemRule | OverdueRule):
        return None
    if isinstance(rule, CompletionRule):
        return (
            f"rule '{rule.id}' gives all-or-nothing categories one line per category, with "
            "no item: count a per_item or overdue rule instead"
        )
    if not isinstance(rule, PerEventRule):
        return (
            f"rule '{rule.id}' is a {rule.kind} rule, whose lines name no item: count per "
            "unit or per period"
        )
    model = event_types(scheme).models.get(rule.event)
    if model is None:
        return None  # an unknown event type, reported with the references
    if "item" not in model.model_fields:
        return f"events of type '{rule.event}' name no item: count per unit or per period"
    present = rule.where.get("item")
    if field_values(model, "item").required or (present is not None and present.present):
        return None
    return (
        f"events of type '{rule.event}' may name no item, and such an event would have no "
        "item to be counted with: add `where: {item: {present: true}}` to count only events "
        "of items, or count per unit or per period"
    )


def band_faults(scheme: Scheme, base: Path, rule: PerEventRule) -> list[Fault]:
    """A band of points from an event field: the field exists and holds numbers that reach
    the band's ends, on an event outside an item's lifecycle (checked where it is read)."""
    band = rule.points
    if not isinstance(band, PointsFromField):
        return []
    path = (*base, "points", "from")
    model = event_types(scheme).models.get(rule.event)
    if model is None:
        return []  # an unknown event type, reported with the references
    if rule.event in LIFECYCLE:
        message = (
            f"points are taken from the rule's own events, and '{rule.event}' is an item's "
            "lifecycle event: declare an event type with the field in `event_types`"
        )
        return [(path, message)]
    if band.from_ not in model.model_fields or band.from_ in COMMON_FIELDS:
        fields = sorted(f for f in model.model_fields if f not in COMMON_FIELDS)
        hint = did_you_mean(band.from_, fields) or f"; its fields: {', '.join(fields) or '(none)'}"
        return [(path, f"unknown field '{band.from_}' of event type '{rule.event}'{hint}")]
    values = field_values(model, band.from_)
    if values.kind != "number":
        message = (
            f"{values.where} holds {values.kind} values, not numbers: take the points from "
            "an integer or decimal field"
        )
        return [(path, message)]
    faults: list[Fault] = []
    for end in ("min", "max"):
        why = values.impossible(getattr(band, end))
        if why is not None:
            faults.append(((*base, "points", end), f"{why}: no event could hold it"))
    return faults
