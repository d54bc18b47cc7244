"""The rule kinds: how each kind of rule moves a unit's score, as the scheme writes it."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import (
    BeforeValidator,
    Field,
    model_validator,
)

from assessment._internal.model.itemrules import (
    AllItemsRule,
    ItemRuleBase,
    OverdueRule,
    PerItemRule,
    RateRule,
)
from assessment._internal.model.lookups import Condition, EventPoints, Multiplier
from assessment._internal.model.modifiers import Counted
from assessment._internal.model.names import OrName, refuse_name
from assessment._internal.model.rulebase import (
    COUNTING,
    FIRES_ONCE,
    MANUAL,
    PERIODS,
    SHARES,
    Evidence,
    RuleBase,
)
from assessment._internal.model.values import (
    Boolean,
    Id,
    Model,
    Points,
    Role,
    Scalar,
    Text,
    WhereKey,
)

__all__ = [
    "AdjustmentRule",
    "AllItemsRule",
    "CompletionRule",
    "Deadline",
    "Evidence",
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


class FindingRule(RuleBase):
    """Points once, when the latest finding of an event field (as of the date) has a value.

    For example an `inspection` whose latest `has_staff` is false: −3.
    """

    kind: Literal["finding"]
    event: Id = Field(description="the event type that carries the finding")
    field: Id = Field(description="the field of that event")
    equals: Scalar = Field(description="the finding that triggers the points")
    points: Points

    not_applicable: ClassVar[dict[str, str]] = dict.fromkeys(COUNTING, FIRES_ONCE)


class PerEventRule(Counted, RuleBase):
    """Points for each event of a type whose fields match `where`."""

    kind: Literal["per_event"]
    event: Id
    where: Annotated[
        dict[WhereKey, Condition],
        BeforeValidator(refuse_name),
        OrName("selections", listed=True),
    ] = Field(
        default_factory=dict,
        description=(
            "conditions that must all hold: on the event's fields, on the item it names "
            "(item.category, item.assigned_by, …) and on the unit scored (unit.kind, unit.group); "
            "or the id of a selection, or a list of ids and conditions"
        ),
    )
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

    not_applicable: ClassVar[dict[str, str]] = dict.fromkeys(COUNTING, PERIODS)


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
    lacking: Literal["any", "all"] = Field(
        "any",
        description=(
            "required with unassigned: not_assessed: any leaves out a unit that lacks any of "
            "the listed categories; all only a unit that lacks every one of them"
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

    not_applicable: ClassVar[dict[str, str]] = dict.fromkeys(COUNTING, SHARES)

    @model_validator(mode="before")
    @classmethod
    def _lacking_said(cls, data: object) -> object:
        # "Lacks any" and "lacks all" leave out different units: written, never assumed
        # (format 1 meant any; model/upgrade.py writes it into a format 1 file).
        if not isinstance(data, dict):
            return data
        policy = data.get("unassigned")
        if policy == "not_assessed" and "lacking" not in data:
            raise ValueError(
                "with `unassigned: not_assessed`, say which unit is left out: `lacking: any` "
                "(a unit lacking any of the categories) or `lacking: all` (lacking every one)"
            )
        # (The default, which a full dump writes on every completion rule, is harmless.)
        if policy != "not_assessed" and data.get("lacking") not in (None, "any"):
            raise ValueError(
                f"`lacking` applies only to `unassigned: not_assessed` (not {policy or 'reweight'})"
                ": remove it"
            )
        return data


class AdjustmentRule(RuleBase):
    """Manual adjustments (e.g. the year-end comprehensive evaluation, 综合评分).

    Each `adjustment` event naming this rule moves the points it gives, with its
    reason shown in the explanation; their running sum is kept within [min, max].
    """

    kind: Literal["adjustment"]
    min: Points = Field(description="the most the adjustments may take off, e.g. -5")
    max: Points = Field(description="the most they may add, e.g. 5")

    not_applicable: ClassVar[dict[str, str]] = dict.fromkeys(COUNTING, MANUAL)

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
    | AllItemsRule
    | OverdueRule
    | RateRule
    | AdjustmentRule,
    Field(discriminator="kind"),
]
