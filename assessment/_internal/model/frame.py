"""The frame of a scheme: its source and period, who is assessed, the item categories.
(The event types it declares are in eventspecs.py, the sections in sections.py.)"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from assessment._internal.model.values import (
    Id,
    Model,
    PositivePoints,
    Text,
)

__all__ = ["Category", "Group", "Period", "Rounding", "Source", "UnitKind"]


class Source(Model):
    """Where the scheme comes from."""

    document: Text = Field(description="title of the published scheme (方案名称)")
    issuer: Text | None = Field(None, description="who issued it (发布单位)")
    text: Text | None = Field(None, description="where the original text is kept")
    note: Text | None = None


_EARLIEST, _LATEST = date(1900, 1, 1), date(2999, 12, 31)
_LONGEST_YEARS = 10


class Period(Model):
    """The assessment period; scoring defaults to its last day.

    `events_until` lets the ledger run on after the period ends, for what completes
    it: the reports on its periods that arrive late, the closures and year-end
    assessments of its items, adjustments. Any other event dated after `end`, and
    any event dated outside `start`..`events_until`, is refused: it belongs to the
    ledger of another year.
    """

    start: date
    end: date
    events_until: date | None = Field(
        None,
        description=(
            "the last day the ledger runs to, and the latest scoring date (default: end), for "
            "what completes the period: late reports on its periods, closures and year-end "
            "assessments of its items, adjustments"
        ),
    )
    note: Text | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        for name in ("start", "end", "events_until"):
            value = getattr(self, name)
            if value is not None and not _EARLIEST <= value <= _LATEST:
                raise ValueError(
                    f"{name} ({value}) must lie between {_EARLIEST} and {_LATEST}: check the year"
                )
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")
        if self.end.year - self.start.year >= _LONGEST_YEARS:
            raise ValueError(
                f"the period runs from {self.start} to {self.end}, {_LONGEST_YEARS} years or "
                "more: check the years (a scheme is for one year, or a few)"
            )
        if self.events_until is not None and self.events_until < self.end:
            raise ValueError(
                f"events_until ({self.events_until}) is before the period ends ({self.end}): "
                "it can only widen the period, so give a date on or after end, or remove it"
            )
        if self.events_until is not None and (self.events_until - self.end).days > 366:
            raise ValueError(
                f"events_until ({self.events_until}) is more than a year after the period ends "
                f"({self.end}): check the year"
            )
        return self

    @property
    def last_event_day(self) -> date:
        """The latest date a ledger event may have, and the latest scoring date."""
        return self.events_until if self.events_until is not None else self.end


class Rounding(Model):
    """How shown figures are rounded. Arithmetic before rounding is exact."""

    places: int = Field(2, ge=0, le=6)
    mode: Literal["half_up", "half_even", "down", "up"] = "half_up"
    stage: Literal["section", "total"] = Field(
        "section",
        description=(
            "section: each section is rounded and the shown total is the sum of the shown "
            "sections; total: sections and total are each rounded from exact values"
        ),
    )
    note: Text | None = None


class UnitKind(Model):
    """A kind of assessed unit (考核对象), e.g. town (镇人民政府)."""

    id: Id
    name: Text
    note: Text | None = None


class Group(Model):
    """A ranking group: units of these kinds are ranked together."""

    id: Id
    name: Text
    kinds: tuple[Id, ...] = Field(min_length=1)
    note: Text | None = None


class Category(Model):
    """A category of supervised item (督查事项类别).

    A category scored by a completion rule has a share of its points (`points`) and a
    `method`; one scored only by rules on items (per_item, all_items, overdue, rate,
    per_event on an item's events) has neither: it has no share to divide.
    """

    id: Id
    name: Text
    short_name: Text | None = Field(None, description="a short label for reports")
    clause: Text
    text: Text | None = Field(None, description="the original sentence of the scheme")
    points: PositivePoints | None = Field(
        None,
        description=(
            "the category's share of its completion rule's points; only for a category a "
            "completion rule scores (a category scored item by item has none)"
        ),
    )
    method: Literal["proportional", "all_or_nothing"] | None = Field(
        None,
        description=(
            "how its completion rule scores it: proportional, the share times the completed "
            "fraction of counted items; all_or_nothing, the whole share only if every counted "
            "item is complete; only with `points`"
        ),
    )
    note: Text | None = None

    @model_validator(mode="after")
    def _points_with_method(self) -> Category:
        if (self.points is None) != (self.method is None):
            raise ValueError(
                "give `points` and `method` together (a category a completion rule scores), "
                "or neither (a category scored only item by item)"
            )
        return self
