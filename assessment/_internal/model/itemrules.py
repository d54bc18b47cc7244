"""The rule kinds on items: per item in a status, all items done, days overdue, a rate."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import (
    Field,
    field_validator,
    model_validator,
)

from assessment._internal.model.lookups import Multiplier
from assessment._internal.model.modifiers import Capped, Counted
from assessment._internal.model.rulebase import DAYS, RATE, RuleBase
from assessment._internal.model.values import (
    Id,
    Points,
    PositivePoints,
    Role,
    Share,
)

__all__ = ["AllItemsRule", "ItemRuleBase", "OverdueRule", "PerItemRule", "RateRule"]


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


_COUNTED = (
    "when_due: an item counts once its deadline in force has passed or it was closed or "
    "assessed; when_assigned: every assigned item counts (one still open fails the rule)"
)


class AllItemsRule(ItemRuleBase):
    """Points once, when every counted item of the unit is in a state (e.g. +2 when all its
    items were done on time: 所承担的督查事项全部按时办结的,加2分).

    The items are those of `categories` in `roles`, counting as `item_counts` says. A unit
    with no counted item (none assigned, or none due yet) has not done them all: it gets
    nothing, unless `no_items: points` says the text pays it too.
    """

    kind: Literal["all_items"]
    status: Literal["complete", "closed_early"] = Field(
        description=(
            "complete: every counted item closed by its deadline in force (or assessed at 1); "
            "closed_early: every one closed at least `days_early` days before it"
        )
    )
    days_early: int | None = Field(None, ge=1, le=366)
    item_counts: Literal["when_due", "when_assigned"] = Field("when_due", description=_COUNTED)
    no_items: Literal["nothing", "points"] = Field(
        "nothing",
        description=(
            "what a unit with no counted item (none assigned, or none due yet) gets: nothing "
            "(it has not done them all), or the points (the text pays it as if it had)"
        ),
    )
    points: Points = Field(description="the points, once, when every counted item is in status")
    multiply: tuple[Multiplier, ...] = Field(
        (), description="factors by unit_kind or group (the rule pays the unit, not an item)"
    )
    cap: PositivePoints | None = Field(None, description="at most this many points in all")
    not_applicable: ClassVar[dict[str, str]] = dict.fromkeys(
        ("steps", "max_count", "per"),
        "it pays the unit once, when all its items are done: there is nothing to count",
    )

    @field_validator("multiply")
    @classmethod
    def _of_the_unit(cls, multiply: tuple[Multiplier, ...]) -> tuple[Multiplier, ...]:
        for multiplier in multiply:
            if multiplier.of in ("role", "field"):
                raise ValueError(
                    f"a factor `of: {multiplier.of}` does not apply to all_items: the rule pays "
                    "the unit once for all its items, so there is no one item to take a role or "
                    "a field from; use unit_kind or group, or a per_item rule"
                )
        return multiply

    @model_validator(mode="after")
    def _days_iff_early(self) -> AllItemsRule:
        if (self.status == "closed_early") != (self.days_early is not None):
            raise ValueError("give `days_early` exactly when `status` is closed_early")
        return self


class OverdueRule(Capped, ItemRuleBase):
    """Points per day an item is overdue: until it was closed, or until the scoring date."""

    kind: Literal["overdue"]
    per_day: Points
    multiply: tuple[Multiplier, ...] = ()
    grace_days: int = Field(0, ge=0, le=366, description="days overdue that cost nothing")
    cap_per_item: PositivePoints | None = Field(None, description="at most this per item")

    not_applicable: ClassVar[dict[str, str]] = dict.fromkeys(("steps", "max_count", "per"), DAYS)


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
        ("steps", "max_count", "per", "multiply"), RATE
    )
