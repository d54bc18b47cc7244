"""The event types a scheme declares, their fields (enums of text or of numbers), and the
values it adds to the built-in ones."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, PlainSerializer, StringConstraints, model_validator

from assessment._internal.model.values import (
    NUMBER,
    Boolean,
    Id,
    Model,
    Text,
)
from assessment.events import canonical_decimal, digits_within_bounds

__all__ = ["BuiltinExtension", "EventTypeSpec", "FieldSpec", "enum_values_faults"]


# ---------------------------------------------------------------- enum values (numbers too)


def _enum_value(value: object) -> object:
    # A number is an exact, canonical Decimal (0.50 is 0.5); true and false are no values.
    if isinstance(value, bool):
        raise ValueError(
            f"{str(value).lower()} is a boolean: an enum's values are text or numbers "
            "(use a boolean field for true and false)"
        )
    if isinstance(value, int | Decimal):
        if not Decimal(value).is_finite():
            raise ValueError("an enum's number must be finite")
        return canonical_decimal(digits_within_bounds(Decimal(value), 6, 9))
    return value


def _as_json_number(value: Decimal) -> int | float:
    # A number stays a number in JSON (text would be another enum). At most 15 significant
    # digits (6 after the point, 9 before), so the float prints back as exactly this decimal.
    return int(value) if value == value.to_integral_value() else float(value)


EnumValue = Annotated[
    Annotated[str, StringConstraints(min_length=1)]
    | Annotated[Decimal, NUMBER, PlainSerializer(_as_json_number, when_used="json")],
    BeforeValidator(_enum_value),
]
EnumValues = tuple[EnumValue, ...]
"""An enum's values: text, or numbers written as numbers (0.5, 1, 1.5)."""


def enum_values_faults(values: EnumValues) -> None:
    """Refuse a mix of text and numbers, and a value given twice."""
    if len({type(v) for v in values}) > 1:
        raise ValueError(
            "an enum's values are all text or all numbers: quote every value to make them "
            "text, or write them all as numbers"
        )
    seen = [v for i, v in enumerate(values) if v in values[:i]]
    if seen:
        raise ValueError(f"the value {seen[0]} is listed twice: list each value once")


class BuiltinExtension(Model):
    """Values a scheme adds to an enum field of a built-in event type, without redefining
    the type: `{event: commendation, field: level, add_values: [province]}`."""

    event: Id = Field(description="a built-in event type, e.g. commendation")
    field: Id = Field(description="an enum field of it, e.g. level")
    add_values: EnumValues = Field(
        min_length=1, description="values added after the built-in ones (never replacing them)"
    )
    note: Text | None = None

    @model_validator(mode="after")
    def _distinct(self) -> BuiltinExtension:
        enum_values_faults(self.add_values)
        return self


class FieldSpec(Model):
    """A field of an event type the scheme declares."""

    id: Id
    name: Text | None = Field(None, description="the field's Chinese name")
    type: Literal[
        "string", "enum", "integer", "decimal", "date", "boolean", "month", "quarter", "year"
    ] = Field(
        description=(
            "month (2024-03), quarter (2024-Q1) and year (2024) name a period: the type a "
            "periodic rule's period field must have"
        )
    )
    values: EnumValues | None = Field(
        None,
        min_length=1,
        description=(
            "the allowed values of an enum field: all text (national, city) or all numbers "
            "(0.5, 1, 1.5, written as numbers); events carry a number as a JSON number or as "
            "its text (a CSV cell), and hold it as the exact number"
        ),
    )
    required: Boolean = True
    note: Text | None = None

    @model_validator(mode="after")
    def _values_iff_enum(self) -> FieldSpec:
        if (self.type == "enum") != (self.values is not None):
            raise ValueError("give `values` exactly when `type` is enum")
        if self.values is not None:
            enum_values_faults(self.values)
        return self


class EventTypeSpec(Model):
    """An event type declared by the scheme, validated like the built-in ones.

    Every event has `id`, `type`, `date` and `unit`; `fields` are the others.
    """

    id: Id = Field(description="the `type` events of this kind carry")
    name: Text
    item: Boolean = Field(
        False,
        description=(
            "true: every event of this type names a supervised item in its `item` field, "
            "checked like a built-in item reference (the item is assigned to the event's unit, "
            "as lead or co-handler); the lead's events reach the item's co-handlers, so rules "
            "may score them by role and test the item in `where:` (item.category, …)"
        ),
    )
    fields: tuple[FieldSpec, ...] = ()
    note: Text | None = None
