"""Scoring results: what each unit scored, and a line for every point moved.

Shown figures (`score`, `total`, `converted`) are `Decimal`s rounded as the
scheme says; exact figures are `Fraction`s. In JSON every figure is a decimal string
at the scheme's rounding with its exact value beside it (`"points": "-8.89"`,
`"points_exact": "-80/9"`), so Java and .NET readers never meet a binary float; the
documents (`Report`, `Explained`, `ExplainedPortfolio`) carry `format_version` and
the rounding (docs/api.md, "The JSON contract").
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field

from assessment._internal.model.contract import FORMAT_VERSION, Document, Figure, Rounding
from assessment._internal.model.resultparts import (
    Exact,
    ExplainedPortfolio,
    Frozen,
    PersonResult,
    PortfolioRanking,
    PortfolioResult,
    Shown,
)
from assessment.errors import UnknownIdError

__all__ = [
    "FORMAT_VERSION",
    "CategoryCount",
    "Exact",
    "Explained",
    "ExplainedPortfolio",
    "GroupInfo",
    "Line",
    "PersonResult",
    "PortfolioRanking",
    "PortfolioResult",
    "Provenance",
    "RaisedFlag",
    "Report",
    "Rounding",
    "RuleText",
    "SectionScore",
    "UnitResult",
]


class Line(Frozen):
    """One movement of points, as a rule gave it and as it was applied."""

    _figures: ClassVar[dict[str, Figure]] = {
        key: Figure(None, key) for key in ("points", "applied", "allowed", "offset", "later_offset")
    }

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
    purpose: Literal["info", "counted"] | None = Field(
        None,
        description=(
            "why a line that moves no points is shown: info, it says something (a category's "
            "points moved to others, the unit is not assessed); counted, its rule gives 0 "
            "points and a flag counts its lines. None for a line that gives points"
        ),
    )


class SectionScore(Frozen):
    """A unit's score in one section (a sub-section names its `parent`)."""

    _figures: ClassVar[dict[str, Figure]] = {
        "points": Figure("points", None),
        "start": Figure(None, "start"),
        "score": Figure("score", "exact"),
        "cap": Figure("cap", None),
    }
    # Left out of JSON when they say what every section could say before they existed (a
    # cap at its points, a floor, a top-level section).
    _omitted: ClassVar[dict[str, object]] = {"cap": None, "floor": None, "parent": None}

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


class RaisedFlag(Frozen):
    """A flag the unit's record raised, and the rule occurrences that raised it."""

    # Eligibility keys (format 2) are written only when they say something.
    _omitted: ClassVar[dict[str, object]] = {"conditions": (), "bars": (), "best_grade": None}

    id: str
    name: str
    veto: bool
    rules: tuple[str, ...] = Field(description="the rules whose occurrences raised it")
    conditions: tuple[str, ...] = Field(
        (), description="the words of each condition on the unit's items that raised it"
    )
    bars: tuple[Literal["commendation", "quota", "ranking"], ...] = Field(
        (), description="what the flag bars the unit from"
    )
    best_grade: str | None = Field(None, description="the best grade the flag leaves open")


class CategoryCount(Frozen):
    """How many items (件数) of one category a unit has, as of the scoring date."""

    category: str = Field(description="the category's id")
    name: str = Field(description="the category's short name, or its name")
    assigned: int = Field(description="items assigned to the unit as lead (交办), by the date")
    counted: int = Field(
        description=(
            "of those, the items that count (到期): their deadline in force has passed, or "
            "they were closed or assessed"
        )
    )
    completed: int = Field(
        description=(
            "of those, the items completed (办结): closed, unless a year-end assessment "
            "put them below 1; or assessed at 1"
        )
    )
    on_time: int = Field(
        description="of those, the items closed on or before their deadline in force (按期办结)"
    )
    cohandled: int = Field(0, description="items of the category the unit co-handles (协办)")


class UnitResult(Frozen):
    """Everything one unit scored."""

    _figures: ClassVar[dict[str, Figure]] = {
        "total": Figure("total", "exact_total", summed=True),
        "cut_by_cap": Figure("cut_by_cap", None),
        "converted": Figure("converted", "exact_converted"),
    }
    _omitted: ClassVar[dict[str, object]] = {
        "barred_from": (),
        "best_grade": None,
        "best_grade_name": None,
    }

    unit: str
    name: str
    kind: str
    group: str
    total: Shown = Field(
        description=(
            "the shown total: the sum of the sections' shown scores (rounding stage section) "
            "or the exact total rounded (stage total), within the scheme's cap"
        )
    )
    exact_total: Exact = Field(description="the exact total: the sections' exact scores added")
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
    exact_converted: Exact | None = Field(
        None, description="the exact converted score (the shown total converted)"
    )
    grade: str | None = Field(None, description="the id of the unit's grade, if the scheme grades")
    grade_name: str | None = None
    flags: tuple[RaisedFlag, ...] = ()
    barred_from: tuple[Literal["commendation", "quota", "ranking", "grades"], ...] = Field(
        (),
        description=(
            "what the unit's flags bar it from: commendation (评先评优), quota (every grade "
            "with a quota), ranking (it is not ranked), grades (those above `best_grade`)"
        ),
    )
    best_grade: str | None = Field(
        None, description="the best grade the unit's flags leave open to it, if they limit it"
    )
    best_grade_name: str | None = None
    sections: tuple[SectionScore, ...]
    items: tuple[CategoryCount, ...] = Field(
        (), description="the unit's items (件数) per category of the scheme, in its order"
    )
    lines: tuple[Line, ...] = Field(description="the explanation trail, section by section")

    def section(self, section_id: str) -> SectionScore:
        """The score of one section, by id (`UnknownIdError`, a `KeyError`, if none has it)."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise UnknownIdError(section_id)


class RuleText(Frozen):
    """A rule in the author's words: what every line of the rule stands on, given once."""

    id: str
    section: str = Field(description="id of the section the rule belongs to")
    name: str = Field(description="the rule's Chinese label")
    clause: str = Field(description="the clause of the scheme it implements")
    text: str = Field(description="the original sentence the rule implements (原文)")
    note: str | None = Field(None, description="how the scheme's author read the sentence, and why")
    evidence: str | None = Field(
        None, description="whose records decide (依据来源), e.g. 以区委督查室通报为准"
    )


class Explained(UnitResult, Document):
    """A unit's result with the rules its lines cite, in the author's words: what
    `assessment explain --format json` prints."""

    rules: tuple[RuleText, ...] = Field(
        (), description="each rule that gave one of the unit's lines, once, in scheme order"
    )


class GroupInfo(Frozen):
    """A ranking group of the scheme."""

    id: str
    name: str


class Provenance(Frozen):
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


class Report(Document):
    """The results of scoring a roster over an event stream as of a date."""

    # A scheme without roll-ups gives the report it always gave, key for key.
    _omitted: ClassVar[dict[str, object]] = {"portfolios": None, "persons": ()}

    provenance: Provenance
    groups: tuple[GroupInfo, ...]
    rules: tuple[RuleText, ...] = Field(
        (), description="every rule of the scheme in its author's words, once, in scheme order"
    )
    units: tuple[UnitResult, ...] = Field(description="by group, then rank, then unit id")
    portfolios: PortfolioRanking | None = Field(
        None, description="the ranking of portfolios, if the scheme has one"
    )
    persons: tuple[PersonResult, ...] = Field(
        (), description="the persons assessed by their unit's result, in roster order"
    )

    def unit(self, unit_id: str) -> UnitResult:
        """The result of one unit, by id (`UnknownIdError`, a `KeyError`, if none has it)."""
        for result in self.units:
            if result.unit == unit_id:
                return result
        raise UnknownIdError(unit_id)

    def cited(self, result: UnitResult) -> tuple[RuleText, ...]:
        """The rules behind a unit's lines, each once, in scheme order."""
        named = {line.rule for line in result.lines}
        return tuple(rule for rule in self.rules if rule.id in named)

    def explained(self, unit_id: str) -> Explained:
        """One unit's result with the rules its lines cite, in their author's words (what
        `assessment explain --format json` prints); `UnknownIdError` if no unit has the id."""
        result = self.unit(unit_id)
        values = {name: getattr(result, name) for name in UnitResult.model_fields}
        return Explained.model_construct(**values, rules=self.cited(result), rounding=self.rounding)

    def explained_portfolio(self, portfolio_id: str) -> ExplainedPortfolio:
        """One portfolio's result as a document (what `assessment explain --portfolio ID
        --format json` prints); `UnknownIdError` if the scheme has no portfolios or none
        has the id."""
        if self.portfolios is None:
            raise UnknownIdError(portfolio_id)
        entry = self.portfolios.portfolio(portfolio_id)
        values = {name: getattr(entry, name) for name in PortfolioResult.model_fields}
        return ExplainedPortfolio.model_construct(**values, rounding=self.rounding)


# The roll-ups' results are defined beside the base they share; their public home is here.
for _moved in (PersonResult, PortfolioRanking, PortfolioResult):
    _moved.__module__ = __name__
del _moved
