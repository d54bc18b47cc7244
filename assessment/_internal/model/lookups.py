"""What a rule looks up: conditions on event fields, points by field value, multipliers."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    GetJsonSchemaHandler,
    Tag,
    TypeAdapter,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from assessment._internal.model.names import OrName, refuse_name
from assessment._internal.model.values import (
    Boolean,
    Factor,
    Id,
    Model,
    Points,
    PositivePoints,
    Scalar,
    TableKey,
)

__all__ = ["Condition", "EventPoints", "Multiplier", "PointsByField", "PointsFromField"]


class Condition(Model):
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


class PointsByField(Model):
    """Points looked up by the value of an event field (e.g. by the praising leader's level)."""

    union_tag: ClassVar[str] = "table"  # among the shapes of `points` (see `points_shape`)

    by: Id = Field(description="the event field whose value picks the points")
    table: Annotated[dict[TableKey, Points], BeforeValidator(refuse_name), OrName("tables")] = (
        Field(min_length=1, description="points for each value, or the id of a shared table")
    )
    default: Points | None = Field(
        None, description="points for a value not in the table (default: such events earn none)"
    )


class PointsFromField(Model):
    """Points taken from a numeric field of the event (酌情加0.5–1分), within a declared band.

    The ledger is refused where an event the rule reads holds a value outside the band or
    off its step: a value is never clamped into the band silently.
    """

    union_tag: ClassVar[str] = "band"  # among the shapes of `points` (see `points_shape`)

    from_: Id = Field(
        alias="from", description="the event field (integer or decimal) that holds the points"
    )
    min: Points = Field(description="the lowest value an event may hold, e.g. 0.5 (or -10)")
    max: Points = Field(description="the highest value an event may hold, e.g. 1 (or -5)")
    step: PositivePoints | None = Field(
        None, description="values go from `min` in steps of this (0.5: 0.5, 1); default: any"
    )

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _a_band(self) -> PointsFromField:
        if self.min > self.max:
            raise ValueError("`min` must be at most `max`")
        if self.step is not None and (self.max - self.min) % self.step:
            raise ValueError(
                "`max` must be `min` plus a whole number of `step`s, or no event could hold it"
            )
        return self


class Multiplier(Model):
    """Multiplies a rule's points by a factor looked up from the unit, its role or the event."""

    of: Literal["unit_kind", "group", "role", "field"] = Field(
        description=(
            "unit_kind or group: the unit's; role: lead or cohandler of the item; "
            "field: a field of the event (of the item's assignment, for item rules)"
        )
    )
    field: Id | None = None
    table: Annotated[dict[TableKey, Factor], BeforeValidator(refuse_name), OrName("tables")] = (
        Field(min_length=1, description="the factor for each key, or the id of a shared table")
    )
    default: Factor = Field(Decimal(1), description="the factor for anything not in the table")

    @model_validator(mode="after")
    def _field_iff_of_field(self) -> Multiplier:
        if (self.of == "field") != (self.field is not None):
            raise ValueError("give `field` exactly when `of` is field")
        return self


def points_shape(value: Any) -> str:
    """Which shape of `points` a value has: a number, a table by field, or a band."""
    if isinstance(value, dict):
        return "band" if "from" in value else "table"
    if isinstance(value, PointsFromField | PointsByField):
        return value.union_tag
    return "number"


EventPoints = Annotated[
    Annotated[Points, Tag("number")]
    | Annotated[PointsByField, Tag("table")]
    | Annotated[PointsFromField, Tag("band")],
    Discriminator(points_shape),
]
"""An event rule's points: a number, a table by an event field's value, or a band."""
