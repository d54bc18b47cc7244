"""What a scheme makes of its units' results beyond them: the portfolios (条线) ranked from
their units' scores, and the persons (单位负责人) whose result is tied to their unit's."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from assessment._internal.model.values import Boolean, Id, Model, Text

__all__ = ["PersonRole", "Persons", "Portfolio", "Portfolios"]


class Portfolio(Model):
    """One portfolio (条线): the units under one leader (e.g. 县级领导联系条线)."""

    id: Id = Field(description="the id the roster's `portfolio` column names")
    name: Text = Field(description="e.g. 王副县长联系条线, shown in reports")
    leader: Text | None = Field(None, description="the leader in charge (联系领导), shown")
    note: Text | None = None


class Portfolios(Model):
    """A ranking of portfolios, each scored from the totals of the units the roster puts in it."""

    name: Text = Field(description="what the ranking is called in reports, e.g. 县级领导联系条线")
    score: Literal["mean", "sum"] = Field(
        description=(
            "mean: the average of its assessed units' shown totals (平均分); sum: their sum; "
            "then rounded as the scheme's `rounding` says"
        )
    )
    rank: Boolean = Field(
        True, description="rank the portfolios by score (equal scores share a rank)"
    )
    kinds: tuple[Id, ...] = Field(
        (),
        description=(
            "the unit kinds that belong to portfolios (every unit of them names one in the "
            "roster, and no other unit does); empty: every kind"
        ),
    )
    entries: tuple[Portfolio, ...] = Field(
        min_length=1, description="the portfolios: the values the roster's `portfolio` column takes"
    )
    text: Text | None = Field(None, description="the original sentence of the scheme")
    note: Text | None = None


class PersonRole(Model):
    """A post whose holder is assessed by the unit's result (e.g. 主要负责人)."""

    id: Id = Field(description="the roster's column (or `persons:` key) holding the name")
    name: Text = Field(description="e.g. 主要负责人, 分管负责人")
    note: Text | None = None


class Persons(Model):
    """Persons tied to their unit: each is given the unit's result as the scheme maps it
    (单位主要负责人……年度考核等次与单位考核结果挂钩)."""

    roles: tuple[PersonRole, ...] = Field(min_length=1, description="the posts assessed so")
    grades: dict[Id, Text] | None = Field(
        None,
        description=(
            "each grade's id to what a person of a unit of that grade gets, in words (every "
            "grade of the scheme, when given); without it, the unit's grade name"
        ),
    )
    flags: dict[Id, Text] | None = Field(
        None,
        description=(
            "a flag's id to what it means for the persons of a unit that raised it, e.g. "
            "不得评为优秀等次; listed beside the grade's outcome"
        ),
    )
    text: Text | None = Field(None, description="the original sentence of the scheme")
    note: Text | None = None
