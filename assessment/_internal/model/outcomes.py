"""What a scheme makes of the sections' scores: the total, its conversion, grades, flags,
and the promises (expectations) it makes about them."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

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
    "ItemCondition",
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
    ties: Literal["none_of_them", "all_of_them"] = Field(
        "none_of_them",
        description=(
            "required with a quota: how a tie at the quota's edge is broken. none_of_them: "
            "every unit tied at the edge falls to the next grade; all_of_them: every unit "
            "tied at the edge gets it, beyond the quota"
        ),
    )
    note: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _ties_said(cls, data: object) -> object:
        # Written, never assumed: a quota's edge decides real grades (format 1 files get
        # `ties: none_of_them`, what format 1 did, from model/upgrade.py).
        if isinstance(data, dict) and data.get("quota") is not None and "ties" not in data:
            raise ValueError(
                "a grade with a quota must say how a tie at the quota's edge is broken: "
                "add `ties: none_of_them` (every tied unit falls to the next grade) or "
                "`ties: all_of_them` (every tied unit gets it)"
            )
        # (The default, which a full dump writes everywhere, is harmless without a quota.)
        if (
            isinstance(data, dict)
            and data.get("quota") is None
            and data.get("ties")
            not in (
                None,
                "none_of_them",
            )
        ):
            raise ValueError("`ties` applies only to a grade with a `quota`: remove it")
        return data


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


# ---------------------------------------------------------------- eligibility (mechanism 7)

ItemState = Literal["assigned", "counted", "complete", "incomplete", "overdue"]
Bar = Literal["commendation", "quota", "ranking"]


class ItemCondition(Model):
    """A flag raised by the unit's items: "an item overdue by more than 90 days", "two or
    more items not completed", "no supervised item at all"."""

    items: ItemState = Field(
        description=(
            "which of the unit's items are counted: assigned (every item assigned by the "
            "scoring date), counted (due, closed or assessed), complete (closed by its "
            "deadline in force, or assessed at 1), incomplete (counted and not complete), "
            "overdue (open past its deadline in force, or closed after it)"
        )
    )
    more_than_days: int | None = Field(
        None,
        ge=0,
        le=3660,
        description="with items: overdue, only items overdue by more than this many days",
    )
    categories: tuple[Id, ...] | None = Field(
        None, min_length=1, description="only items of these categories (default: every one)"
    )
    roles: tuple[Literal["lead", "cohandler"], ...] = Field(
        ("lead",), min_length=1, description="items the unit leads, co-handles, or both"
    )
    at_least: int | None = Field(None, ge=1, description="raised by this many such items or more")
    at_most: int | None = Field(
        None, ge=0, description="raised by this many such items or fewer (0: none at all)"
    )
    note: Text | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> ItemCondition:
        if self.at_least is not None and self.at_most is not None:
            raise ValueError("give `at_least` or `at_most`, not both")
        if self.more_than_days is not None and self.items != "overdue":
            raise ValueError(
                f"`more_than_days` applies only to `items: overdue` (not {self.items}): "
                "remove it, or count overdue items"
            )
        return self

    @property
    def bound(self) -> tuple[str, int]:
        """("at_least", n) or ("at_most", n): at least 1 unless the condition says otherwise."""
        if self.at_most is not None:
            return "at_most", self.at_most
        return "at_least", self.at_least if self.at_least is not None else 1


class Flag(Model):
    """An outcome beyond points, e.g. losing eligibility for commendation (取消评先资格)."""

    id: Id
    name: Text
    raised_by: tuple[FlagTrigger, ...] = Field(
        (), description="any of these raises it: a rule's occurrences"
    )
    raised_when: tuple[ItemCondition, ...] = Field(
        (), description="any of these raises it too: a condition on the unit's items"
    )
    veto: Boolean = Field(
        False, description="一票否决: a unit with this flag gets the lowest grade"
    )
    bars: tuple[Bar, ...] = Field(
        (),
        description=(
            "required: what the flag bars the unit from, [] for nothing (it is only shown). "
            "commendation: 评先评优; quota: every grade with a quota; ranking: the ranking "
            "(it is not ranked; the others' ranks close up)"
        ),
    )
    best_grade: Id | None = Field(
        None, description="the best grade a unit with this flag can get (barred from those above)"
    )
    note: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _bars_said(cls, data: object) -> object:
        # A flag named 取消评优资格 that bars nothing would read as if it did: say it.
        if isinstance(data, dict) and "bars" not in data:
            raise ValueError(
                "a flag must say what it bars the unit from: add `bars: []` (it is only shown), "
                "or list any of commendation, quota, ranking (and `best_grade:` for grades "
                "above a level)"
            )
        return data

    @model_validator(mode="after")
    def _raised_somehow(self) -> Flag:
        if not self.raised_by and not self.raised_when:
            raise ValueError("give `raised_by` (rules) or `raised_when` (item conditions)")
        if len(set(self.bars)) != len(self.bars):
            raise ValueError("`bars` names something twice: list each once")
        if self.veto and self.best_grade is not None:
            raise ValueError("a veto gives the lowest grade already: remove `best_grade` or `veto`")
        return self


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
