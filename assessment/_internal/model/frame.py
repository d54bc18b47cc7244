"""The frame of a scheme: its source and period, who is assessed, the item categories,
the event types it declares and the sections that hold its rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from assessment._internal.model.rules import Rule
from assessment._internal.model.values import Boolean, Id, Model, Points, PositivePoints, Text

__all__ = [
    "Category",
    "EventTypeSpec",
    "FieldSpec",
    "Group",
    "Period",
    "Rounding",
    "Section",
    "Source",
    "UnitKind",
]


class Source(Model):
    """Where the scheme comes from."""

    document: Text = Field(description="title of the published scheme (方案名称)")
    issuer: Text | None = Field(None, description="who issued it (发布单位)")
    text: Text | None = Field(None, description="where the original text is kept")
    note: Text | None = None


_EARLIEST, _LATEST = date(1900, 1, 1), date(2999, 12, 31)
_LONGEST_YEARS = 10


class Period(Model):
    """The assessment period; scoring defaults to its last day.

    `events_until` lets the ledger run on after the period ends, for what completes
    it: the reports on its periods that arrive late, the closures and year-end
    assessments of its items, adjustments. Any other event dated after `end`, and
    any event dated outside `start`..`events_until`, is refused: it belongs to the
    ledger of another year.
    """

    start: date
    end: date
    events_until: date | None = Field(
        None,
        description=(
            "the last day the ledger runs to, and the latest scoring date (default: end), for "
            "what completes the period: late reports on its periods, closures and year-end "
            "assessments of its items, adjustments"
        ),
    )
    note: Text | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        for name in ("start", "end", "events_until"):
            value = getattr(self, name)
            if value is not None and not _EARLIEST <= value <= _LATEST:
                raise ValueError(
                    f"{name} ({value}) must lie between {_EARLIEST} and {_LATEST}: check the year"
                )
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")
        if self.end.year - self.start.year >= _LONGEST_YEARS:
            raise ValueError(
                f"the period runs from {self.start} to {self.end}, {_LONGEST_YEARS} years or "
                "more: check the years (a scheme is for one year, or a few)"
            )
        if self.events_until is not None and self.events_until < self.end:
            raise ValueError(
                f"events_until ({self.events_until}) is before the period ends ({self.end}): "
                "it can only widen the period, so give a date on or after end, or remove it"
            )
        if self.events_until is not None and (self.events_until - self.end).days > 366:
            raise ValueError(
                f"events_until ({self.events_until}) is more than a year after the period ends "
                f"({self.end}): check the year"
            )
        return self

    @property
    def last_event_day(self) -> date:
        """The latest date a ledger event may have, and the latest scoring date."""
        return self.events_until if self.events_until is not None else self.end


class Rounding(Model):
    """How shown figures are rounded. Arithmetic before rounding is exact."""

    places: int = Field(2, ge=0, le=6)
    mode: Literal["half_up", "half_even", "down", "up"] = "half_up"
    stage: Literal["section", "total"] = Field(
        "section",
        description=(
            "section: each section is rounded and the shown total is the sum of the shown "
            "sections; total: sections and total are each rounded from exact values"
        ),
    )
    note: Text | None = None


class UnitKind(Model):
    """A kind of assessed unit (考核对象), e.g. town (镇人民政府)."""

    id: Id
    name: Text
    note: Text | None = None


class Group(Model):
    """A ranking group: units of these kinds are ranked together."""

    id: Id
    name: Text
    kinds: tuple[Id, ...] = Field(min_length=1)
    note: Text | None = None


class Category(Model):
    """A category of supervised item (督查事项类别) scored by a completion rule."""

    id: Id
    name: Text
    short_name: Text | None = Field(None, description="a short label for reports")
    clause: Text
    text: Text | None = Field(None, description="the original sentence of the scheme")
    points: PositivePoints
    method: Literal["proportional", "all_or_nothing"] = Field(
        description=(
            "proportional: the share times the completed fraction of counted items; "
            "all_or_nothing: the whole share only if every counted item is complete"
        )
    )
    note: Text | None = None


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
    values: tuple[Annotated[str, StringConstraints(min_length=1)], ...] | None = Field(
        None, min_length=1, description="the allowed values of an enum field"
    )
    required: Boolean = True
    note: Text | None = None

    @model_validator(mode="after")
    def _values_iff_enum(self) -> FieldSpec:
        if (self.type == "enum") != (self.values is not None):
            raise ValueError("give `values` exactly when `type` is enum")
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


class Section(Model):
    """A part of the score with its own points, floor and rules (e.g. 三(二) 15 points)."""

    id: Id
    name: Text = Field(description="the Chinese heading, shown in reports")
    short_name: Text | None = Field(None, description="a short heading for table columns")
    clause: Text
    points: PositivePoints = Field(description="the most the section can score")
    start: Literal["full", "zero"] = Field(
        "full",
        description="full: starts at its points and loses them; zero: starts empty and gains",
    )
    floor: Points = Field(Decimal(0), description="the least the section can score (扣完为止)")
    text: Text | None = None
    note: Text | None = None
    rules: tuple[Rule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _floor_below_points(self) -> Section:
        if self.floor > self.points:
            raise ValueError(f"floor ({self.floor}) is above points ({self.points})")
        if self.start == "zero" and self.floor > 0:
            raise ValueError(
                f"a section that starts at zero cannot have a floor above 0 (got {self.floor}): "
                "it would start below its own floor; write floor: 0 (or a negative floor)"
            )
        return self
