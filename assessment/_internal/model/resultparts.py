"""The parts of the results that more than one results model uses (the exact and shown
figures, the frozen base), and the results of the roll-ups: portfolios and persons. Public
in `assessment.results`."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Annotated, ClassVar, Literal

from pydantic import Field, PlainSerializer

from assessment._internal.base.arith import exact_text
from assessment._internal.model.contract import Document, Figure, Frozen
from assessment.errors import UnknownIdError

__all__ = [
    "Exact",
    "ExplainedPortfolio",
    "Frozen",
    "PersonResult",
    "PortfolioRanking",
    "PortfolioResult",
    "Shown",
]

Exact = Annotated[Fraction, PlainSerializer(exact_text, return_type=str, when_used="json")]
"""An exact value: a `Fraction` (in JSON, see `contract`: a figure and its `_exact`)."""

Shown = Annotated[Decimal, PlainSerializer(str, return_type=str, when_used="json")]
"""A shown value: a `Decimal` at the scheme's rounding."""


class PortfolioResult(Frozen):
    """One portfolio (条线) scored from its units' totals."""

    _figures: ClassVar[dict[str, Figure]] = {"score": Figure("score", "exact")}

    id: str
    name: str
    leader: str | None = None
    score: Shown | None = Field(
        description="the shown score, rounded as the scheme says; none if no unit is assessed"
    )
    exact: Exact | None = Field(description="the exact mean (or sum) of the units' shown totals")
    rank: int | None = Field(
        description="rank among the portfolios (equal scores share a rank); none if not ranked"
    )
    units: tuple[str, ...] = Field(description="the assessed units whose totals it is made of")
    left_out: tuple[str, ...] = Field(
        (), description="its units the scheme does not assess, left out of its score"
    )


class PortfolioRanking(Frozen):
    """The scheme's ranking of portfolios."""

    name: str = Field(description="what the scheme calls it, e.g. 县级领导联系条线")
    score: Literal["mean", "sum"] = Field(description="how a portfolio's score is made")
    entries: tuple[PortfolioResult, ...] = Field(description="by rank, then id")

    def portfolio(self, portfolio_id: str) -> PortfolioResult:
        """One portfolio's result, by id (`UnknownIdError`, a `KeyError`, if none has it)."""
        for entry in self.entries:
            if entry.id == portfolio_id:
                return entry
        raise UnknownIdError(portfolio_id)


class PersonResult(Frozen):
    """A person assessed by their unit's result, as the scheme maps it."""

    _figures: ClassVar[dict[str, Figure]] = {"total": Figure("total", "exact_total", summed=True)}

    unit: str
    unit_name: str
    role: str = Field(description="the id of the person's role")
    role_name: str
    name: str = Field(description="the person's name, from the roster")
    total: Shown = Field(description="the unit's shown total")
    exact_total: Exact = Field(description="the unit's exact total")
    rank: int | None = Field(description="the unit's rank in its group; none if not assessed")
    grade: str | None = Field(description="the id of the unit's grade, if it has one")
    outcome: str | None = Field(
        description="what the unit's grade gives the person, in the scheme's words"
    )
    restrictions: tuple[str, ...] = Field(
        (), description="what the unit's raised flags mean for the person, in the scheme's words"
    )


class ExplainedPortfolio(PortfolioResult, Document):
    """One portfolio's result as a document: what
    `assessment explain --portfolio ID --format json` prints."""
