"""The scheme format: one YAML file per year, validated into these frozen models.

A scheme (考核方案) says who is assessed, what they start with, and how each
kind of event moves their score. It is data: the engine interprets whatever
the file says and knows nothing of any particular year. The format is
documented for scheme authors in `docs/scheme-format.md`.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    Strict,
    StringConstraints,
    TypeAdapter,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from assessment.events import digits_within_bounds, exact_number

__all__ = [
    "AdjustmentRule",
    "Category",
    "CompletionRule",
    "Condition",
    "Conversion",
    "Deadline",
    "EventTypeSpec",
    "Expectation",
    "FieldSpec",
    "FindingRule",
    "Flag",
    "FlagTrigger",
    "Grade",
    "Group",
    "Multiplier",
    "OverdueRule",
    "PerEventRule",
    "PerItemRule",
    "Period",
    "PeriodicRule",
    "PointsByField",
    "RangeExpectation",
    "RateRule",
    "RemovalExpectation",
    "Rounding",
    "Rule",
    "Scheme",
    "Section",
    "Source",
    "ThresholdRule",
    "Total",
    "UnitKind",
    "scheme_json_schema",
]

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,63}$"),
    Field(description="an English identifier: lower case letters, digits, '_' or '-'"),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
# Written as plain numbers in YAML; pinned so the JSON Schema does not vary with pydantic.
_NUMBER = WithJsonSchema({"type": "number"})
Points = Annotated[
    Decimal,
    exact_number(6, 7),
    Field(allow_inf_nan=False, ge=-(10**6), le=10**6),
    _NUMBER,
]
PositivePoints = Annotated[
    Decimal,
    exact_number(6, 7),
    Field(allow_inf_nan=False, gt=0, le=10**6),
    _NUMBER,
]


def _bounded(value: object) -> object:
    # A condition's value is bounded in digits as every number is (a 17-character
    # `1.0e-999999999` would otherwise take validation itself for ever).
    return digits_within_bounds(value, 40, 41) if isinstance(value, Decimal) else value


Scalar = Annotated[bool | int | Annotated[Decimal, _NUMBER] | str | date, BeforeValidator(_bounded)]
# Only YAML's true and false: pydantic alone would also take yes, off or 1 as booleans.
Boolean = Annotated[bool, Strict()]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)


class Source(_Model):
    """Where the scheme comes from."""

    document: Text = Field(description="title of the published scheme (方案名称)")
    issuer: Text | None = Field(None, description="who issued it (发布单位)")
    text: Text | None = Field(None, description="where the original text is kept")
    note: Text | None = None


_EARLIEST, _LATEST = date(1900, 1, 1), date(2999, 12, 31)
_LONGEST_YEARS = 10


class Period(_Model):
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


class Rounding(_Model):
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


class UnitKind(_Model):
    """A kind of assessed unit (考核对象), e.g. town (镇人民政府)."""

    id: Id
    name: Text
    note: Text | None = None


class Group(_Model):
    """A ranking group: units of these kinds are ranked together."""

    id: Id
    name: Text
    kinds: tuple[Id, ...] = Field(min_length=1)
    note: Text | None = None


class Category(_Model):
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


class Condition(_Model):
    """A test on one event field; every operator given must hold."""

    eq: Scalar | None = None
    ne: Scalar | None = None
    in_: tuple[Scalar, ...] | None = Field(None, alias="in")
    not_in: tuple[Scalar, ...] | None = None
    lt: Scalar | None = None
    le: Scalar | None = None
    gt: Scalar | None = None
    ge: Scalar | None = None
    present: Boolean | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: object) -> object:
        # `circulated: true` is shorthand for `circulated: {eq: true}`.
        if isinstance(value, dict):
            return value
        return {"eq": value}

    @model_validator(mode="after")
    def _not_empty(self) -> Condition:
        if not self.model_fields_set:
            raise ValueError("a condition needs at least one operator (eq, in, lt, present, …)")
        return self

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # The schema must allow what `_shorthand` accepts, or editors underline valid files.
        schema = handler(core_schema)
        definition = handler.resolve_ref_schema(schema)  # changed in place: refs stay valid
        operators = dict(definition)
        shorthand = TypeAdapter(Scalar | None).json_schema()
        shorthand["description"] = "shorthand for {eq: value}"
        definition.clear()
        definition["title"] = operators.pop("title", cls.__name__)
        definition["description"] = operators.pop("description", "")
        definition["anyOf"] = [shorthand, operators]
        return schema


class FieldSpec(_Model):
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


class EventTypeSpec(_Model):
    """An event type declared by the scheme, validated like the built-in ones.

    Every event has `id`, `type`, `date` and `unit`; `fields` are the others.
    """

    id: Id = Field(description="the `type` events of this kind carry")
    name: Text
    fields: tuple[FieldSpec, ...] = ()
    note: Text | None = None


class _RuleBase(_Model):
    id: Id = Field(description="unique across the scheme")
    name: Text = Field(description="a short Chinese label shown in reports")
    clause: Text = Field(description="the clause of the scheme it implements, e.g. 三(二)2")
    text: Text = Field(description="the original Chinese sentence it implements")
    note: Text | None = Field(None, description="how an open question was decided, and why")
    groups: tuple[Id, ...] | None = Field(
        None, description="apply only to units of these ranking groups (default: all)"
    )
    sign: Literal["any"] | None = Field(
        None,
        description=(
            "any: the rule's points may have either sign, against what its kind or section "
            "means (an addition in a section that loses points, say); needs a `note` saying why"
        ),
    )


class FindingRule(_RuleBase):
    """Points once, when the latest finding of an event field (as of the date) has a value.

    For example an `inspection` whose latest `has_staff` is false: −3.
    """

    kind: Literal["finding"]
    event: Id = Field(description="the event type that carries the finding")
    field: Id = Field(description="the field of that event")
    equals: Scalar = Field(description="the finding that triggers the points")
    points: Points


class PointsByField(_Model):
    """Points looked up by the value of an event field (e.g. by the praising leader's level)."""

    by: Id = Field(description="the event field whose value picks the points")
    table: dict[str, Points] = Field(min_length=1, description="points for each value")
    default: Points | None = Field(
        None, description="points for a value not in the table (default: such events earn none)"
    )


Factor = Annotated[Decimal, exact_number(6, 4), Field(allow_inf_nan=False, ge=0, le=1000), _NUMBER]


Role = Literal["lead", "cohandler"]
"""A unit's part in an item: it leads it (牵头) or co-handles it (协办)."""


class Multiplier(_Model):
    """Multiplies a rule's points by a factor looked up from the unit, its role or the event."""

    of: Literal["unit_kind", "group", "role", "field"] = Field(
        description=(
            "unit_kind or group: the unit's; role: lead or cohandler of the item; "
            "field: a field of the event (of the item's assignment, for item rules)"
        )
    )
    field: Id | None = None
    table: dict[str, Factor] = Field(min_length=1)
    default: Factor = Field(Decimal(1), description="the factor for anything not in the table")

    @model_validator(mode="after")
    def _field_iff_of_field(self) -> Multiplier:
        if (self.of == "field") != (self.field is not None):
            raise ValueError("give `field` exactly when `of` is field")
        return self


class PerEventRule(_RuleBase):
    """Points for each event of a type whose fields match `where`."""

    kind: Literal["per_event"]
    event: Id
    where: dict[Id, Condition] = Field(default_factory=dict)
    roles: tuple[Role, ...] = Field(
        ("lead",),
        min_length=1,
        description="for events of items: count them for the lead unit, co-handlers, or both",
    )
    points: Points | PointsByField | None = Field(
        None, description="points for each matching event: a number, or a table by field value"
    )
    steps: tuple[Points, ...] | None = Field(
        None,
        min_length=1,
        description="escalating points: the 1st, 2nd, … matching event; the last repeats",
    )
    multiply: tuple[Multiplier, ...] = Field(
        (), description="factors applied to the points, e.g. doubled for one unit kind"
    )
    max_count: int | None = Field(None, ge=1, description="count at most this many events")
    cap: PositivePoints | None = Field(
        None, description="the rule moves at most this many points in all (either sign)"
    )
    exclusive: Id | None = Field(
        None,
        description=(
            "rules sharing this name do not add up on the same item (or event): "
            "only the largest of their points counts"
        ),
    )

    @model_validator(mode="after")
    def _points_or_steps(self) -> PerEventRule:
        if (self.points is None) == (self.steps is None):
            raise ValueError("give either `points` or `steps` (escalating points), not both")
        return self


class Deadline(_Model):
    """When a period's obligation falls due: `days_after_end` days after the period's last day."""

    days_after_end: int = Field(0, ge=0, le=366)
    note: Text | None = None


class PeriodicRule(_RuleBase):
    """An obligation due once per period (e.g. the monthly report).

    A period counts once its deadline is on or before the scoring date. It is
    met by an event of `event` type whose `period_field` names the period and
    whose date is on or before the deadline; an event after the deadline is
    late; none at all is missed.
    """

    kind: Literal["periodic"]
    event: Id
    period_field: Id = Field(description="the event field naming the period, e.g. month")
    every: Literal["month", "quarter", "year"] = "month"
    deadline: Deadline = Field(default_factory=Deadline)
    missed: Points = Field(description="points for each period with no event at all")
    late: Points = Field(description="points for each period whose event came after the deadline")


class ThresholdRule(_RuleBase):
    """Points once another rule has fired `at` times (or at every multiple, with `repeat`)."""

    kind: Literal["threshold"]
    counts: Id = Field(description="id of the rule whose occurrences are counted")
    at: int = Field(ge=1)
    repeat: Boolean = Field(False, description="fire again at every multiple of `at`")
    points: Points


class CompletionRule(_RuleBase):
    """The completion of supervised items, category by category (三(三) in 2023)."""

    kind: Literal["completion"]
    categories: tuple[Id, ...] = Field(min_length=1)
    roles: tuple[Role, ...] = Field(
        ("lead",), min_length=1, description="count items the unit leads, co-handles, or both"
    )
    unassigned: Literal["reweight", "full_marks", "not_assessed"] = Field(
        "reweight",
        description=(
            "a category with no item assigned to the unit: reweight gives its points to the "
            "categories the unit undertakes, in proportion to their points; full_marks lets "
            "the unit keep them; not_assessed leaves the unit out of ranking and grading"
        ),
    )
    item_weight: Multiplier | None = Field(
        None,
        description=(
            "weights of items within a proportional category, looked up on the item's "
            "assignment (e.g. by assigned_by: work assigned by the city counts double)"
        ),
    )
    item_counts: Literal["when_due", "when_assigned"] = Field(
        "when_due",
        description=(
            "when_due: an item counts once its deadline in force has passed or it was closed "
            "or assessed; when_assigned: every assigned item counts at once"
        ),
    )
    late_closure: Literal["incomplete", "complete"] = Field(
        "incomplete", description="whether an item closed after its deadline in force is complete"
    )


class _ItemRuleBase(_RuleBase):
    categories: tuple[Id, ...] | None = Field(
        None, description="only items of these categories (default: every category)"
    )
    roles: tuple[Role, ...] = Field(
        ("lead",), min_length=1, description="score items the unit leads, co-handles, or both"
    )


class PerItemRule(_ItemRuleBase):
    """Points for each counted item in a given state (e.g. +1 per item completed).

    An item counts once its deadline in force has passed or it was closed or
    assessed. complete: closed by its deadline in force (or assessed at 1);
    incomplete: counted and not complete; closed_late: closed after its
    deadline; closed_early: closed at least `days_early` days before it.
    """

    kind: Literal["per_item"]
    status: Literal["complete", "incomplete", "closed_late", "closed_early"]
    days_early: int | None = Field(None, ge=1, le=366)
    points: Points
    multiply: tuple[Multiplier, ...] = ()
    cap: PositivePoints | None = Field(None, description="at most this many points in all")

    @model_validator(mode="after")
    def _days_iff_early(self) -> PerItemRule:
        if (self.status == "closed_early") != (self.days_early is not None):
            raise ValueError("give `days_early` exactly when `status` is closed_early")
        return self


class OverdueRule(_ItemRuleBase):
    """Points per day an item is overdue: until it was closed, or until the scoring date."""

    kind: Literal["overdue"]
    per_day: Points
    multiply: tuple[Multiplier, ...] = ()
    grace_days: int = Field(0, ge=0, le=366, description="days overdue that cost nothing")
    cap_per_item: PositivePoints | None = Field(None, description="at most this per item")
    cap: PositivePoints | None = Field(None, description="at most this many points in all")


class RateRule(_ItemRuleBase):
    """Points from a rate over the counted items, below a threshold.

    closed_on_time: the share of counted items closed by their deadline;
    completion: the mean completion of counted items. Below `full_at`, every
    percentage point costs `per_point_below`.
    """

    kind: Literal["rate"]
    of: Literal["closed_on_time", "completion"]
    full_at: Annotated[Decimal, exact_number(6, 1), Field(gt=0, le=1), _NUMBER]
    per_point_below: Points
    cap: PositivePoints | None = Field(None, description="at most this many points in all")


class AdjustmentRule(_RuleBase):
    """Manual adjustments (e.g. the year-end comprehensive evaluation, 综合评分).

    Each `adjustment` event naming this rule moves the points it gives, with its
    reason shown in the explanation; their running sum is kept within [min, max].
    """

    kind: Literal["adjustment"]
    min: Points = Field(description="the most the adjustments may take off, e.g. -5")
    max: Points = Field(description="the most they may add, e.g. 5")

    @model_validator(mode="after")
    def _ordered(self) -> AdjustmentRule:
        if self.min > 0 or self.max < 0:
            raise ValueError("`min` must be at most 0 and `max` at least 0")
        return self


Rule = Annotated[
    FindingRule
    | PerEventRule
    | PeriodicRule
    | ThresholdRule
    | CompletionRule
    | PerItemRule
    | OverdueRule
    | RateRule
    | AdjustmentRule,
    Field(discriminator="kind"),
]


class Section(_Model):
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


class Conversion(_Model):
    """Conversion of the total to a performance-management score (四(一))."""

    name: Text = Field(description="what the converted score is called in reports")
    full_score: PositivePoints = Field(description="the total that converts to target_points")
    target_points: PositivePoints
    cap: Boolean = Field(True, description="never convert to more than target_points")
    note: Text | None = None


class Total(_Model):
    """How the sections add up to the total."""

    cap: PositivePoints | None = Field(None, description="the total never exceeds this")
    beyond_cap: tuple[Id, ...] = Field(
        (), description="sections added after the cap (extra points on top of a capped score)"
    )
    note: Text | None = None


class Grade(_Model):
    """A grade (等次) given by the total, best first."""

    id: Id
    name: Text = Field(description="e.g. 优秀")
    min: Points | None = Field(None, description="the least total for it; none on the last grade")
    quota: Annotated[Decimal, exact_number(6, 1), Field(gt=0, le=1), _NUMBER] | None = Field(
        None, description="at most this share of each ranking group gets it (0.2 = 20%)"
    )
    note: Text | None = None


class FlagTrigger(_Model):
    """A flag is raised once `rule` has fired at least `at_least` times."""

    rule: Id
    at_least: int = Field(1, ge=1)
    count: Literal["occurrences", "lines"] = Field(
        "occurrences",
        description=(
            "occurrences: the rule's lines that gave points (not 0, before caps and floors); "
            "lines: every line the rule gives, for a rule with points 0 that exists to be counted"
        ),
    )


class Flag(_Model):
    """An outcome beyond points, e.g. losing eligibility for commendation (取消评先资格)."""

    id: Id
    name: Text
    raised_by: tuple[FlagTrigger, ...] = Field(min_length=1, description="any of these raises it")
    veto: Boolean = Field(
        False, description="一票否决: a unit with this flag gets the lowest grade"
    )
    note: Text | None = None


class RangeExpectation(_Model):
    """A promise that the total (or a section) always lies within [min, max]."""

    kind: Literal["range"]
    id: Id
    name: Text
    of: Id = Field("total", description="`total`, or the id of a section")
    min: Points | None = None
    max: Points | None = None
    note: Text | None = None


class RemovalExpectation(_Model):
    """A promise that removing any one event of a type never raises (or lowers) a score.

    "One more missed report never raises a score" is: removing a `report_submitted`
    never raises the total.
    """

    kind: Literal["removal"]
    id: Id
    name: Text
    event: Id = Field(description="an event type other than the item lifecycle ones")
    effect: Literal["never_raises", "never_lowers"]
    of: Id = Field("total", description="`total`, or the id of a section")
    note: Text | None = None


Expectation = Annotated[RangeExpectation | RemovalExpectation, Field(discriminator="kind")]


class Scheme(_Model):
    """A whole assessment scheme (考核方案)."""

    format: Literal[1] = Field(description="version of this file format")
    id: Id
    title: Text
    version: Text
    source: Source
    period: Period
    base: PositivePoints = Field(description="the base score; the full sections add up to it")
    rounding: Rounding = Field(default_factory=Rounding)
    unit_kinds: tuple[UnitKind, ...] = Field(min_length=1)
    groups: tuple[Group, ...] = Field(min_length=1)
    categories: tuple[Category, ...] = ()
    event_types: tuple[EventTypeSpec, ...] = Field(
        (), description="event types this scheme adds to the built-in ones"
    )
    sections: tuple[Section, ...] = Field(min_length=1)
    conversion: Conversion | None = None
    total: Total = Field(default_factory=Total)
    grades: tuple[Grade, ...] = ()
    flags: tuple[Flag, ...] = ()
    expectations: tuple[Expectation, ...] = Field(
        (), description="promises the scheme makes about its scores, checked by `assessment check`"
    )
    note: Text | None = None

    def rules(self) -> list[tuple[Section, Rule]]:
        """Every rule with the section it belongs to, in file order."""
        return [(section, rule) for section in self.sections for rule in section.rules]


def scheme_json_schema() -> str:
    """The JSON Schema of the scheme format, for YAML editors (yaml-language-server)."""
    schema = Scheme.model_json_schema(by_alias=True)
    # Draft-07 is what YAML editors (yaml-language-server) read; the schema uses nothing newer.
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["title"] = "assessment scheme (考核方案), format 1"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


# Hypothesis' entry point registers `st.from_type(Scheme)` only if this module is
# already loaded; when Hypothesis came first, register here (without importing it).
if "hypothesis" in sys.modules:
    from assessment._hypothesis_plugin import register

    register(Scheme)
