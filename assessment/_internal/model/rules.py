"""The rule kinds: how each kind of rule moves a unit's score, as the scheme writes it."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from assessment._internal.model.lookups import Condition, Multiplier, PointsByField
from assessment._internal.model.values import (
    Boolean,
    Id,
    Model,
    Points,
    PositivePoints,
    Role,
    Scalar,
    Share,
    Text,
)

__all__ = [
    "AdjustmentRule",
    "CompletionRule",
    "Deadline",
    "FindingRule",
    "ItemRuleBase",
    "OverdueRule",
    "PerEventRule",
    "PerItemRule",
    "PeriodicRule",
    "RateRule",
    "Rule",
    "RuleBase",
    "ThresholdRule",
]


class RuleBase(Model):
    """What every rule has: its id, its labels, the groups it applies to, its sign."""

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
    exclusive: Id | None = Field(
        None,
        description=(
            "the id of an exclusivity group (`exclusive_groups`): the rules of a group do not "
            "count the same matter twice; the group's `choice` says which of them counts"
        ),
    )


class FindingRule(RuleBase):
    """Points once, when the latest finding of an event field (as of the date) has a value.

    For example an `inspection` whose latest `has_staff` is false: −3.
    """

    kind: Literal["finding"]
    event: Id = Field(description="the event type that carries the finding")
    field: Id = Field(description="the field of that event")
    equals: Scalar = Field(description="the finding that triggers the points")
    points: Points


class PerEventRule(RuleBase):
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

    @model_validator(mode="after")
    def _points_or_steps(self) -> PerEventRule:
        if (self.points is None) == (self.steps is None):
            raise ValueError("give either `points` or `steps` (escalating points), not both")
        return self


class Deadline(Model):
    """When a period's obligation falls due: `days_after_end` days after the period's last day."""

    days_after_end: int = Field(0, ge=0, le=366)
    note: Text | None = None


class PeriodicRule(RuleBase):
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


class ThresholdRule(RuleBase):
    """Points once another rule has fired `at` times (or at every multiple, with `repeat`)."""

    kind: Literal["threshold"]
    counts: Id = Field(description="id of the rule whose occurrences are counted")
    at: int = Field(ge=1)
    repeat: Boolean = Field(False, description="fire again at every multiple of `at`")
    points: Points


class CompletionRule(RuleBase):
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


class ItemRuleBase(RuleBase):
    """What every rule on items has: the categories and roles it scores."""

    categories: tuple[Id, ...] | None = Field(
        None, description="only items of these categories (default: every category)"
    )
    roles: tuple[Role, ...] = Field(
        ("lead",), min_length=1, description="score items the unit leads, co-handles, or both"
    )


class PerItemRule(ItemRuleBase):
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


class OverdueRule(ItemRuleBase):
    """Points per day an item is overdue: until it was closed, or until the scoring date."""

    kind: Literal["overdue"]
    per_day: Points
    multiply: tuple[Multiplier, ...] = ()
    grace_days: int = Field(0, ge=0, le=366, description="days overdue that cost nothing")
    cap_per_item: PositivePoints | None = Field(None, description="at most this per item")
    cap: PositivePoints | None = Field(None, description="at most this many points in all")


class RateRule(ItemRuleBase):
    """Points from a rate over the counted items, below a threshold.

    closed_on_time: the share of counted items closed by their deadline;
    completion: the mean completion of counted items. Below `full_at`, every
    percentage point costs `per_point_below`.
    """

    kind: Literal["rate"]
    of: Literal["closed_on_time", "completion"]
    full_at: Share
    per_point_below: Points
    cap: PositivePoints | None = Field(None, description="at most this many points in all")


class AdjustmentRule(RuleBase):
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
