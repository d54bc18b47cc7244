"""The values a scheme writes: ids, text, exact points and factors, field scalars.

Every part of the scheme model is built from these, and from `Model`, the frozen
base that refuses unknown keys.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    WithJsonSchema,
)

from assessment.events import digits_within_bounds, exact_number

__all__ = [
    "NUMBER",
    "Boolean",
    "Factor",
    "Id",
    "Model",
    "NonNegativePoints",
    "Points",
    "PositivePoints",
    "Role",
    "Scalar",
    "Share",
    "TableKey",
    "Text",
    "WhereKey",
]

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,63}$"),
    Field(description="an English identifier: lower case letters, digits, '_' or '-'"),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
# Written as plain numbers in YAML; pinned so the JSON Schema does not vary with pydantic.
NUMBER = WithJsonSchema({"type": "number"})
Points = Annotated[
    Decimal,
    exact_number(6, 7),
    Field(allow_inf_nan=False, ge=-(10**6), le=10**6),
    NUMBER,
]
PositivePoints = Annotated[
    Decimal,
    exact_number(6, 7),
    Field(allow_inf_nan=False, gt=0, le=10**6),
    NUMBER,
]
NonNegativePoints = Annotated[
    Decimal,
    exact_number(6, 7),
    Field(allow_inf_nan=False, ge=0, le=10**6),
    NUMBER,
]


def _bounded(value: object) -> object:
    # A condition's value is bounded in digits as every number is (a 17-character
    # `1.0e-999999999` would otherwise take validation itself for ever).
    return digits_within_bounds(value, 40, 41) if isinstance(value, Decimal) else value


Scalar = Annotated[bool | int | Annotated[Decimal, NUMBER] | str | date, BeforeValidator(_bounded)]
# Only YAML's true and false: pydantic alone would also take yes, off or 1 as booleans.
Boolean = Annotated[bool, Strict()]

Factor = Annotated[Decimal, exact_number(6, 4), Field(allow_inf_nan=False, ge=0, le=1000), NUMBER]
"""A multiplier's factor."""

Share = Annotated[Decimal, exact_number(6, 1), Field(gt=0, le=1), NUMBER]
"""A share of 1 (a rate's threshold, a grade's quota): 0.2 is 20%."""


def _key_text(value: object) -> object:
    # YAML reads `1:` and `true:` as a number and a boolean (and `0.5:` as its text): a table
    # key is the value as events show it (`table_key`), so none needs quotes.
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, int) else value


TableKey = Annotated[
    str,
    BeforeValidator(_key_text),
    StringConstraints(min_length=1, max_length=200),
    Field(description="a value as events hold it: text, a number (0.5, 1) or true/false"),
]
"""A key of a points or factor table: numbers and booleans are written as themselves."""

WhereKey = Annotated[
    str,
    StringConstraints(pattern=r"^(?:(?:item|unit)\.)?[a-z][a-z0-9_-]{0,63}$"),
    Field(
        description=(
            "a field of the event; item.<field>: of the item it names (its assignment); "
            "unit.kind or unit.group: of the unit scored"
        )
    ),
]
"""What a `where:` condition tests: an event field, `item.<field>` or `unit.<kind|group>`."""

Role = Literal["lead", "cohandler"]
"""A unit's part in an item: it leads it (牵头) or co-handles it (协办)."""


class Model(BaseModel):
    """The base of every part of a scheme: frozen, and unknown keys are refused."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)
