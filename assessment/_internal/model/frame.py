"""The frame of a scheme: its source and period, who is assessed, the item categories,
the event types it declares and the sections that hold its rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, PlainSerializer, StringConstraints, model_validator

from assessment._internal.model.rules import Rule
from assessment._internal.model.values import (
    NUMBER,
    Boolean,
    Id,
    Model,
    Points,
    PositivePoints,
    Text,
)
from assessment.events import canonical_decimal, digits_within_bounds

__all__ = [
    "NO_LIMIT",
    "BuiltinExtension",
    "Category",
    "EventTypeSpec",
    "FieldSpec",
    "Group",
    "Period",
    "Placed",
    "Rounding",
    "Section",
    "Source",
    "UnitKind",
    "placed_sections",
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
    """A category of supervised item (督查事项类别).

    A category scored by a completion rule has a share of its points (`points`) and a
    `method`; one scored only by rules on items (per_item, all_items, overdue, rate,
    per_event on an item's events) has neither: it has no share to divide.
    """

    id: Id
    name: Text
    short_name: Text | None = Field(None, description="a short label for reports")
    clause: Text
    text: Text | None = Field(None, description="the original sentence of the scheme")
    points: PositivePoints | None = Field(
        None,
        description=(
            "the category's share of its completion rule's points; only for a category a "
            "completion rule scores (a category scored item by item has none)"
        ),
    )
    method: Literal["proportional", "all_or_nothing"] | None = Field(
        None,
        description=(
            "how its completion rule scores it: proportional, the share times the completed "
            "fraction of counted items; all_or_nothing, the whole share only if every counted "
            "item is complete; only with `points`"
        ),
    )
    note: Text | None = None

    @model_validator(mode="after")
    def _points_with_method(self) -> Category:
        if (self.points is None) != (self.method is None):
            raise ValueError(
                "give `points` and `method` together (a category a completion rule scores), "
                "or neither (a category scored only item by item)"
            )
        return self


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


NO_LIMIT = "none"
"""What `cap: none` and `floor: none` write: the section has no such limit."""


def _limit_word(value: object) -> object:
    """A limit is a number or the word none: any other word is refused in one message."""
    if isinstance(value, str) and value != NO_LIMIT:
        try:
            Decimal(value.strip())  # a number as JSON text (a dump) is read as the number
        except ArithmeticError:
            raise ValueError(f"write a number, or none for no limit (got {value!r})") from None
    return value


Limit = Annotated[Points | Literal["none"], BeforeValidator(_limit_word)]


class Section(Model):
    """A part of the score with its own points, cap, floor and rules (e.g. 三(二) 15 points).

    A section holds rules, or sub-sections (`sections:`, 分项) that hold them; a section's
    score is then its sub-sections' scores added, kept within its own cap and floor.
    """

    id: Id
    name: Text = Field(description="the Chinese heading, shown in reports")
    short_name: Text | None = Field(None, description="a short heading for table columns")
    clause: Text
    points: PositivePoints | None = Field(
        None,
        description=(
            "what the section is worth: one that starts full starts at it (and counts toward "
            "the base); one that starts at zero gains at most it (its cap). Leave it out of a "
            "section that starts at zero and says its limit with `cap:` (deductions only: "
            "cap: 0; gains with no cap: cap: none)"
        ),
    )
    start: Literal["full", "zero"] = Field(
        "full",
        description="full: starts at its points and loses them; zero: starts empty and gains",
    )
    cap: Limit | None = Field(
        None,
        description=(
            "the most the section can score: a number, or none (不封顶, no cap); default: its "
            "points"
        ),
    )
    floor: Limit = Field(
        Decimal(0),
        description=(
            "the least the section can score (扣完为止): a number, or none (no floor: "
            "deductions go on below any figure); default 0"
        ),
    )
    groups: tuple[Id, ...] | None = Field(
        None,
        description=(
            "score the section (and every rule in it) only for units of these ranking groups; "
            "a unit of another group has no such section"
        ),
    )
    text: Text | None = None
    note: Text | None = None
    rules: tuple[Rule, ...] = ()
    sections: tuple[Section, ...] = Field(
        (),
        description=(
            "sub-sections (分项), each with its own points, cap, floor and rules, in place of "
            "`rules`: this section's score is theirs added, within its own cap and floor"
        ),
    )

    @property
    def top(self) -> Decimal | None:
        """The most the section can score, or None when it has no cap."""
        if self.cap is None:
            return self.points
        return None if isinstance(self.cap, str) else self.cap

    @property
    def bottom(self) -> Decimal | None:
        """The least the section can score, or None when it has no floor."""
        return None if isinstance(self.floor, str) else self.floor

    @property
    def start_value(self) -> Decimal:
        """What the section starts with: its points if it starts full, else 0."""
        return self.points if self.start == "full" and self.points is not None else Decimal(0)

    @model_validator(mode="after")
    def _holds_rules_or_sections(self) -> Section:
        if self.rules and self.sections:
            raise ValueError(
                "a section holds `rules` or sub-sections (`sections`), not both: move these "
                "rules into a sub-section of their own"
            )
        if not self.rules and not self.sections:
            raise ValueError("a section needs `rules`, or sub-sections (`sections`) that hold them")
        return self

    @model_validator(mode="after")
    def _limits_in_order(self) -> Section:
        if self.start == "full":
            _full_limits(self)
        else:
            _zero_limits(self)
        return self


def _full_limits(section: Section) -> None:
    """A section that starts full starts at its points, within its cap and floor."""
    points, top, bottom = section.points, section.top, section.bottom
    if points is None:
        raise ValueError(
            "a section that starts full needs `points`: what it starts with (for a section "
            "that starts empty, write start: zero)"
        )
    if bottom is not None and bottom > points:
        raise ValueError(f"floor ({bottom}) is above points ({points})")
    if top is not None and top < points:
        raise ValueError(
            f"cap ({top}) is below points ({points}): a section that starts full starts at its "
            "points; raise the cap, or leave it out to cap the section at its points"
        )


def _zero_limits(section: Section) -> None:
    """A section that starts at zero says the most it gains once: `points` or `cap`."""
    if section.points is not None and section.cap is not None:
        raise ValueError(
            "a section that starts at zero gains at most its `points`: write `points` or "
            "`cap`, not both"
        )
    if section.points is None and section.cap is None:
        raise ValueError(
            "a section that starts at zero needs `points` or `cap`: the most it can gain "
            "(cap: 0 for a section of deductions only, cap: none for no cap)"
        )
    top, bottom = section.top, section.bottom
    if bottom is not None and bottom > 0:
        raise ValueError(
            f"a section that starts at zero cannot have a floor above 0 (got {bottom}): "
            "it would start below its own floor; write floor: 0 (or a negative floor)"
        )
    if top is not None and top < 0:
        raise ValueError(
            f"a section that starts at zero cannot have a cap below 0 (got {top}): it would "
            "start above its own cap; write cap: 0 for a section of deductions only"
        )
    if top == 0 and bottom == 0:
        raise ValueError(
            "cap 0 and floor 0 keep the section at 0 whatever its rules give: for a section "
            "of deductions only, give it a floor below 0 (or floor: none)"
        )


@dataclass(frozen=True)
class Placed:
    """A section where the file puts it: its path, its parent's id, and the ranking groups
    it applies to (its own `groups` within its parents'; None: every group)."""

    path: tuple[str | int, ...]
    section: Section
    parent: str | None
    groups: frozenset[str] | None
    depth: int


def placed_sections(
    sections: tuple[Section | None, ...],
    base: tuple[str | int, ...] = (),
    parent: Placed | None = None,
) -> list[Placed]:
    """Every section at any depth, each before its sub-sections (holes left by an invalid
    section are skipped)."""
    out: list[Placed] = []
    for i, section in enumerate(sections):
        if section is None:
            continue
        groups = parent.groups if parent is not None else None
        if section.groups is not None:
            own = frozenset(section.groups)
            groups = own if groups is None else groups & own
        here = Placed(
            (*base, "sections", i),
            section,
            parent.section.id if parent is not None else None,
            groups,
            0 if parent is None else parent.depth + 1,
        )
        out.append(here)
        out += placed_sections(section.sections, here.path, here)
    return out
