"""The roster: the units assessed (考核对象), each with an id, a name and a kind."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from assessment._internal.text.printable import is_control, printable

__all__ = ["Roster", "Unit"]


def _no_control_characters(text: str) -> str:
    # A unit's name is printed in tables and explanations: an ESC in it would drive the
    # terminal. No real id, name or kind holds one: it is a broken export.
    controls = sorted({char for char in text if is_control(char)})
    if controls:
        shown = ", ".join(printable(char) for char in controls)
        raise ValueError(f"must not hold control characters ({shown}): remove them")
    return text


_Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_no_control_characters),
]


class Unit(BaseModel):
    """One assessed unit (责任单位)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: _Text = Field(description="the id events use in their `unit` field")
    name: _Text = Field(description="the unit's Chinese name, shown in reports")
    kind: _Text = Field(description="one of the scheme's unit kinds")
    portfolio: _Text | None = Field(
        None, description="the id of the scheme's portfolio (条线) the unit is in, if it has any"
    )
    persons: dict[str, _Text] | None = Field(
        None,
        description=(
            "the names of the persons assessed by the unit's result, by the scheme's role id "
            "(in a CSV roster, a column per role)"
        ),
    )


class Roster(BaseModel):
    """Every unit to be scored, in roster order. Unit ids are unique."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    units: tuple[Unit, ...]

    def by_id(self) -> dict[str, Unit]:
        """The units keyed by id."""
        return {unit.id: unit for unit in self.units}
