"""The rule kinds: how each kind of rule moves a unit's score, as the scheme writes it."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, model_validator

from assessment._internal.model.lookups import Condition, EventPoints, Multiplier
from assessment._internal.model.modifiers import Capped, Counted
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

    # The modifiers of the one rule shape that this kind has no use for, and why: a scheme
    # that writes one is told so, rather than "unknown key".
    not_applicable: ClassVar[dict[str, str]] = {}

    @model_validator(mode="before")
    @classmethod
    def _modifiers_that_do_not_apply(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key, why in cls.not_applicable.items():
                if key in data and key not in cls.model_fields:
                    kind = str(data.get("kind", cls.__name__))
                    raise ValueError(f"`{key}` does not apply to a {kind} rule ({why}): remove it")
        return data


# Why a modifier does not apply to a kind, worded once for the kinds that share a reason.
_FIRES_ONCE = "it gives its points once, on the latest finding"
_PERIODS = "its points are `missed` and `late`, once for each period"
_SHARES = "its points are the categories' shares"
_MANUAL = "its points are the adjustment events' own, kept within `min` and `max`"
_DAYS = "its points come from the days overdue, at `per_day`, limited by `cap_per_item` and `cap`"
_RATE = "its points come from the rate, at `per_point_below`, limited by `cap`"
_COUNTING = ("steps", "max_count", "per", "cap", "multiply")


class FindingRule(RuleBase):
    """Points once, when the latest finding of an event field (as of the date) has a value.

    For example an `inspection` whose latest `has_staff` is false: −3.
    """

    kind: Literal["finding"]
    event: Id = Field(description="the event type that carries the finding")
    field: Id = Field(description="the field of that event")
    equals: Scalar = Field(description="the finding that triggers the points")
    points: Points

    not_applicable: ClassVar[dict[str, str]] = dict.fromkeys(_COUNTING, _FIRES_ONCE)


class PerEventRule(Counted, RuleBase):
    """Points for each event of a type whose fields match `where`."""

    kind: Literal["per_event"]
    event: Id
    where: dict[Id, Condition] = Field(default_factory=dict)
    roles: tuple[Role, ...] = Field(
        ("lead",),
        min_length=1,
        description="for events of items: count them for the lead unit, co-handlers, or both",
    )
    points: EventPoints | None = Field(
        None,
        description=(
            "points for each matching event: a number, a table by field value, or the value "
            "of a numeric field within a band ({from: value, min: 0.5, max: 1, step: 0.5})"
        ),
    )
    multiply: tuple[Multiplier, ...] = Field(
        (), description="factors applied to the points, e.g. doubled for one unit kind"
    )
    exclusive: Id | None = Field(
        None,
        description=(
            "rules sharing this name do not add up on the same item (or event): "
            "only the largest of their points counts"
        ),
    )


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

    not_applicable: ClassVar[dict[str, str]] = dict.fromkeys(_COUNTING, _PERIODS)


class ThresholdRule(Counted, RuleBase):
    """Points once another rule has fired `at` times (or at every multiple, with `repeat`).

    With `per`, the other rule's occurrences are counted per item or per period (the 3rd
    notice on one item; twice in one month), and `steps`, `max_count` and `cap` count the
    threshold's own lines the same way.
    """

    kind: Literal["threshold"]
    counts: Id = Field(description="id of the rule whose occurrences are counted")
    at: int = Field(ge=1)
    repeat: Boolean = Field(False, description="fire again at every multiple of `at`")
    points: Points | None = None

    not_applicable: ClassVar[dict[str, str]] = {
        "multiply": "its points are given once a count is reached: write one threshold per group, with `groups`"
    }


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

    not_applicable: ClassVar[dict[str, str]] = dict.fromkeys(_COUNTING, _SHARES)


class ItemRuleBase(RuleBase):
    """What every rule on items has: the categories and roles it scores."""

    categories: tuple[Id, ...] | None = Field(
        None, description="only items of these categories (default: every category)"
    )
    roles: tuple[Role, ...] = Field(
        ("lead",), min_length=1, description="score items the unit leads, co-handles, or both"
    )


class PerItemRule(Counted, ItemRuleBase):
    """Points for each counted item in a given state (e.g. +1 per item completed).

    An item counts once its deadline in force has passed or it was closed or
    assessed. complete: closed by its deadline in force (or assessed at 1);
    incomplete: counted and not complete; closed_late: closed after its
    deadline; closed_early: closed at least `days_early` days before it.
    Its lines are counted (`steps`, `max_count`, `cap`) in the order of their dates.
    """

    kind: Literal["per_item"]
    status: Literal["complete", "incomplete", "closed_late", "closed_early"]
    days_early: int | None = Field(None, ge=1, le=366)
    points: Points | None = None
    multiply: tuple[Multiplier, ...] = ()

    @model_validator(mode="after")
    def _days_iff_early(self) -> PerItemRule:
        if (self.status == "closed_early") != (self.days_early is not None):
            raise ValueError("give `days_early` exactly when `status` is closed_early")
        if self.per == "item":
            raise ValueError(
                "`per: item` does not apply to a per_item rule: it gives each item one line "
                "already; count per unit or per period, or use `cap` for the rule in all"
            )
        return self


class OverdueRule(Capped, ItemRuleBase):
    """Points per day an item is overdue: until it was closed, or until the scoring date."""

    kind: Literal["overdue"]
    per_day: Points
    multiply: tuple[Multiplier, ...] = ()
    grace_days: int = Field(0, ge=0, le=366, description="days overdue that cost nothing")
    cap_per_item: PositivePoints | None = Field(None, description="at most this per item")

    not_applicable: ClassVar[dict[str, str]] = dict.fromkeys(("steps", "max_count", "per"), _DAYS)


class RateRule(Capped, ItemRuleBase):
    """Points from a rate over the counted items, below a threshold.

    closed_on_time: the share of counted items closed by their deadline;
    completion: the mean completion of counted items. Below `full_at`, every
    percentage point costs `per_point_below`.
    """

    kind: Literal["rate"]
    of: Literal["closed_on_time", "completion"]
    full_at: Share
    per_point_below: Points

    not_applicable: ClassVar[dict[str, str]] = dict.fromkeys(
        ("steps", "max_count", "per", "multiply"), _RATE
    )


class AdjustmentRule(RuleBase):
    """Manual adjustments (e.g. the year-end comprehensive evaluation, 综合评分).

    Each `adjustment` event naming this rule moves the points it gives, with its
    reason shown in the explanation; their running sum is kept within [min, max].
    """

    kind: Literal["adjustment"]
    min: Points = Field(description="the most the adjustments may take off, e.g. -5")
    max: Points = Field(description="the most they may add, e.g. 5")

    not_applicable: ClassVar[dict[str, str]] = dict.fromkeys(_COUNTING, _MANUAL)

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
