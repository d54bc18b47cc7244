"""What a scheme makes of the sections' scores: the total, its conversion, grades, flags,
and the promises (expectations) it makes about them."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from assessment._internal.model.values import (
    Boolean,
    Id,
    Model,
    Points,
    PositivePoints,
    Share,
    Text,
)

__all__ = [
    "Conversion",
    "Expectation",
    "Flag",
    "FlagTrigger",
    "Grade",
    "RangeExpectation",
    "RemovalExpectation",
    "Total",
]


class Conversion(Model):
    """Conversion of the total to a performance-management score (四(一))."""

    name: Text = Field(description="what the converted score is called in reports")
    full_score: PositivePoints = Field(description="the total that converts to target_points")
    target_points: PositivePoints
    cap: Boolean = Field(True, description="never convert to more than target_points")
    note: Text | None = None


class Total(Model):
    """How the sections add up to the total."""

    cap: PositivePoints | None = Field(None, description="the total never exceeds this")
    beyond_cap: tuple[Id, ...] = Field(
        (), description="sections added after the cap (extra points on top of a capped score)"
    )
    note: Text | None = None


class Grade(Model):
    """A grade (等次) given by the total, best first."""

    id: Id
    name: Text = Field(description="e.g. 优秀")
    min: Points | None = Field(None, description="the least total for it; none on the last grade")
    quota: Share | None = Field(
        None, description="at most this share of each ranking group gets it (0.2 = 20%)"
    )
    note: Text | None = None


class FlagTrigger(Model):
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


class Flag(Model):
    """An outcome beyond points, e.g. losing eligibility for commendation (取消评先资格)."""

    id: Id
    name: Text
    raised_by: tuple[FlagTrigger, ...] = Field(min_length=1, description="any of these raises it")
    veto: Boolean = Field(
        False, description="一票否决: a unit with this flag gets the lowest grade"
    )
    note: Text | None = None


class RangeExpectation(Model):
    """A promise that the total (or a section) always lies within [min, max]."""

    kind: Literal["range"]
    id: Id
    name: Text
    of: Id = Field("total", description="`total`, or the id of a section")
    min: Points | None = None
    max: Points | None = None
    note: Text | None = None


class RemovalExpectation(Model):
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
