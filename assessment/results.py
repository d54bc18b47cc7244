"""Scoring results: what each unit scored, and a line for every point moved.

Shown figures (`score`, `total`, `converted`) are `Decimal`s rounded as the
scheme says; exact figures are `Fraction`s. In JSON both are strings (`"87.11"`,
`"-80/9"`), so Java and .NET readers never meet a binary float.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from assessment._internal.base.arith import exact_text
from assessment.errors import UnknownIdError

__all__ = [
    "Exact",
    "GroupInfo",
    "Line",
    "Provenance",
    "RaisedFlag",
    "Report",
    "SectionScore",
    "UnitResult",
]

Exact = Annotated[Fraction, PlainSerializer(exact_text, return_type=str, when_used="json")]
"""An exact value; in JSON a decimal string when it terminates, else `numerator/denominator`."""

Shown = Annotated[Decimal, PlainSerializer(str, return_type=str, when_used="json")]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Line(_Frozen):
    """One movement of points, as a rule gave it and as it was applied."""

    section: str = Field(description="id of the section whose score it moves")
    rule: str = Field(description="id of the rule that gave it")
    rule_name: str = Field(description="the rule's Chinese label")
    clause: str = Field(description="the clause of the scheme the rule implements")
    date: dt.date = Field(description="when it happened (or fell due)")
    points: Exact = Field(description="the points the rule gives")
    applied: Exact = Field(description="the points that moved the section, after caps and floors")
    limited_by: (
        Literal["rule_cap", "exclusive", "section_floor", "section_cap", "offset"] | None
    ) = Field(
        None,
        description=(
            "why `applied` differs from `points`, when it does (the main reason, when there "
            "are several: the section's floor or points, then `offset`, then the rule's own "
            "cap or another rule of its exclusive group)"
        ),
    )
    allowed: Exact | None = Field(
        None,
        description=(
            "the points the rule's own cap or its exclusive group left it, when they differ "
            "from `points` (0 when another rule of the group counted instead)"
        ),
    )
    offset: Exact | None = Field(
        None,
        description=(
            "how many of its points were taken up by points an earlier line had past the "
            "section's floor or points (they moved nothing)"
        ),
    )
    later_offset: Exact | None = Field(
        None,
        description=(
            "for a line whose points went past the section's floor or points: how many of "
            "them later offset lines the other way"
        ),
    )
    events: tuple[str, ...] = Field(description="ids of the events behind it")
    detail: str = Field(description="what happened, in words")
    facts: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "the deciding values behind it, as text: an event's fields (level, reason), or "
            "what the rule read (period, deadline, days_overdue, completion)"
        ),
    )


# Left out of JSON when they say what every section could say before they existed (a cap at
# its points, a floor, a top-level section), so that such results read as they always did.


class SectionScore(_Frozen):
    """A unit's score in one section (a sub-section names its `parent`)."""

    id: str
    name: str
    short_name: str = Field(description="the heading of the section's column in tables")
    clause: str
    points: Shown | None = Field(
        description=(
            "what the section is worth as the scheme writes it (its start if it starts full, "
            "else the most it can gain); none for a section that writes only a `cap`"
        )
    )
    start: Exact = Field(
        description="where the section starts: its points, or 0 if it starts empty"
    )
    score: Shown = Field(description="the shown score, rounded as the scheme says")
    exact: Exact = Field(
        description=(
            "the exact score: start plus every applied line (a section with sub-sections: "
            "theirs added, within its cap and floor)"
        )
    )
    cap: Shown | Literal["none"] | None = Field(
        None,
        description=(
            "the most it can score when that is not its points: a number, or none (no cap, "
            "不封顶); left out when the cap is its points"
        ),
    )
    floor: Literal["none"] | None = Field(
        None, description="none when the section has no floor (left out when it has one)"
    )
    parent: str | None = Field(
        None, description="the id of the section it is a sub-section of (left out if none)"
    )

    @model_serializer(mode="wrap")
    def _as_before(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        # Keys left at None are left out, so that results of schemes without these limits
        # read as they did before the keys existed.
        data: dict[str, object] = handler(self)
        for key in ("cap", "floor", "parent"):
            if getattr(self, key) is None:
                data.pop(key, None)
        return data


class RaisedFlag(_Frozen):
    """A flag the unit's record raised, and the rule occurrences that raised it."""

    id: str
    name: str
    veto: bool
    rules: tuple[str, ...] = Field(description="the rules whose occurrences raised it")


class UnitResult(_Frozen):
    """Everything one unit scored."""

    unit: str
    name: str
    kind: str
    group: str
    total: Shown = Field(description="the shown total")
    exact_total: Exact
    cut_by_cap: Shown = Field(
        Decimal(0), description="points the total lost to the scheme's cap on the total"
    )
    rank: int | None = Field(
        description="rank in its group; equal totals share a rank (1, 2, 2, 4); none if not assessed"
    )
    assessed: bool = Field(
        True, description="false when the scheme leaves the unit out of ranking and grading"
    )
    converted: Shown | None = Field(
        description="the performance-management score, if the scheme converts"
    )
    grade: str | None = Field(None, description="the id of the unit's grade, if the scheme grades")
    grade_name: str | None = None
    flags: tuple[RaisedFlag, ...] = ()
    sections: tuple[SectionScore, ...]
    lines: tuple[Line, ...] = Field(description="the explanation trail, section by section")

    def section(self, section_id: str) -> SectionScore:
        """The score of one section, by id (`UnknownIdError`, a `KeyError`, if none has it)."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise UnknownIdError(section_id)


class GroupInfo(_Frozen):
    """A ranking group of the scheme."""

    id: str
    name: str


class Provenance(_Frozen):
    """What is needed to reproduce a published score."""

    scheme_id: str
    scheme_title: str
    scheme_version: str
    scheme_digest: str = Field(description="sha256 of the scheme's canonical JSON form")
    library_version: str
    as_of: dt.date
    events_digest: str = Field(
        description="sum modulo 2**256 of the sha256 of each distinct event's validated values"
    )
    events: int = Field(description="how many distinct events the stream holds")
    roster_digest: str


class Report(_Frozen):
    """The results of scoring a roster over an event stream as of a date."""

    provenance: Provenance
    groups: tuple[GroupInfo, ...]
    units: tuple[UnitResult, ...] = Field(description="by group, then rank, then unit id")

    def unit(self, unit_id: str) -> UnitResult:
        """The result of one unit, by id (`UnknownIdError`, a `KeyError`, if none has it)."""
        for result in self.units:
            if result.unit == unit_id:
                return result
        raise UnknownIdError(unit_id)
