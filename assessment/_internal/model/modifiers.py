"""The modifiers of the one rule shape: counting a rule's lines and limiting its points,
written once and shared by every rule kind they make sense for.

`Counted` (per_event, per_item, threshold) escalates points (`steps`), counts at most
`max_count` lines and caps them (`cap`), each over what `per` says: the unit's year, each
item, or each month, quarter or year. `Capped` (overdue, rate) is the cap alone. A kind
without them says why in its `not_applicable` (model/rules.py).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from assessment._internal.model.values import Model, Points, PositivePoints

__all__ = ["Capped", "Counted", "Per"]

Per = Literal["unit", "item", "month", "quarter", "year"]
"""What a rule's counting runs over: the unit's whole year, each item, or each period."""


class Capped(Model):
    """A cap on the points a rule moves, in all or (with `per`) per item or period."""

    cap: PositivePoints | None = Field(
        None,
        description=(
            "the rule moves at most this many points (either sign): in all, or per item or "
            "period with `per`"
        ),
    )


class Counted(Capped):
    """Counting a rule's lines: escalating points, a most, and what the count runs over."""

    steps: tuple[Points, ...] | None = Field(
        None,
        min_length=1,
        description=(
            "escalating points instead of `points`: the 1st, 2nd, … line (per `per`); the "
            "last repeats"
        ),
    )
    max_count: int | None = Field(
        None, ge=1, description="count at most this many lines (per `per`)"
    )
    per: Per = Field(
        "unit",
        description=(
            "what `steps`, `max_count` and `cap` count over: unit (the unit's year, the "
            "default), item (each item apart), month, quarter or year (each period apart, by "
            "the line's date)"
        ),
    )

    @model_validator(mode="after")
    def _points_or_steps(self) -> Counted:
        if (getattr(self, "points", None) is None) == (self.steps is None):
            raise ValueError("give either `points` or `steps` (escalating points), not both")
        return self
