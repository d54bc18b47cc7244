"""The sections of a scheme: their points, cap and floor as the text says them, the groups
they apply to, their sub-sections and rules; and where each sits in the file."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from assessment._internal.model.rules import Rule
from assessment._internal.model.values import (
    Id,
    Model,
    Points,
    PositivePoints,
    Text,
)

__all__ = ["NO_LIMIT", "Placed", "Section", "placed_sections"]


NO_LIMIT = "none"
"""What `cap: none` and `floor: none` write: the section has no such limit."""


def _limit_word(value: object) -> object:
    """A limit is a number or the word none: any other word is refused in one message."""
    if isinstance(value, str) and value != NO_LIMIT:
        try:
            Decimal(value.strip())  # a number as JSON text (a dump) is read as the number
        except ArithmeticError:
            raise ValueError(f"write a number, or none for no limit (got {value!r})") from None
    return value


Limit = Annotated[Points | Literal["none"], BeforeValidator(_limit_word)]


class Section(Model):
    """A part of the score with its own points, cap, floor and rules (e.g. 三(二) 15 points).

    A section holds rules, or sub-sections (`sections:`, 分项) that hold them; a section's
    score is then its sub-sections' scores added, kept within its own cap and floor.
    """

    id: Id
    name: Text = Field(description="the Chinese heading, shown in reports")
    short_name: Text | None = Field(None, description="a short heading for table columns")
    clause: Text
    points: PositivePoints | None = Field(
        None,
        description=(
            "what the section is worth: one that starts full starts at it (and counts toward "
            "the base); one that starts at zero gains at most it (its cap). Leave it out of a "
            "section that starts at zero and says its limit with `cap:` (deductions only: "
            "cap: 0; gains with no cap: cap: none)"
        ),
    )
    start: Literal["full", "zero"] = Field(
        "full",
        description="full: starts at its points and loses them; zero: starts empty and gains",
    )
    cap: Limit | None = Field(
        None,
        description=(
            "the most the section can score: a number, or none (不封顶, no cap); default: its "
            "points"
        ),
    )
    floor: Limit = Field(
        Decimal(0),
        description=(
            "the least the section can score (扣完为止): a number, or none (no floor: "
            "deductions go on below any figure); default 0"
        ),
    )
    groups: tuple[Id, ...] | None = Field(
        None,
        description=(
            "score the section (and every rule in it) only for units of these ranking groups; "
            "a unit of another group has no such section"
        ),
    )
    text: Text | None = None
    note: Text | None = None
    rules: tuple[Rule, ...] = ()
    sections: tuple[Section, ...] = Field(
        (),
        description=(
            "sub-sections (分项), each with its own points, cap, floor and rules, in place of "
            "`rules`: this section's score is theirs added, within its own cap and floor"
        ),
    )

    @property
    def top(self) -> Decimal | None:
        """The most the section can score, or None when it has no cap."""
        if self.cap is None:
            return self.points
        return None if isinstance(self.cap, str) else self.cap

    @property
    def bottom(self) -> Decimal | None:
        """The least the section can score, or None when it has no floor."""
        return None if isinstance(self.floor, str) else self.floor

    @property
    def start_value(self) -> Decimal:
        """What the section starts with: its points if it starts full, else 0."""
        return self.points if self.start == "full" and self.points is not None else Decimal(0)

    @model_validator(mode="after")
    def _holds_rules_or_sections(self) -> Section:
        if self.rules and self.sections:
            raise ValueError(
                "a section holds `rules` or sub-sections (`sections`), not both: move these "
                "rules into a sub-section of their own"
            )
        if not self.rules and not self.sections:
            raise ValueError("a section needs `rules`, or sub-sections (`sections`) that hold them")
        return self

    @model_validator(mode="after")
    def _limits_in_order(self) -> Section:
        if self.start == "full":
            _full_limits(self)
        else:
            _zero_limits(self)
        return self


def _full_limits(section: Section) -> None:
    """A section that starts full starts at its points, within its cap and floor."""
    points, top, bottom = section.points, section.top, section.bottom
    if points is None:
        raise ValueError(
            "a section that starts full needs `points`: what it starts with (for a section "
            "that starts empty, write start: zero)"
        )
    if bottom is not None and bottom > points:
        raise ValueError(f"floor ({bottom}) is above points ({points})")
    if top is not None and top < points:
        raise ValueError(
            f"cap ({top}) is below points ({points}): a section that starts full starts at its "
            "points; raise the cap, or leave it out to cap the section at its points"
        )


def _zero_limits(section: Section) -> None:
    """A section that starts at zero says the most it gains once: `points` or `cap`."""
    if section.points is not None and section.cap is not None:
        raise ValueError(
            "a section that starts at zero gains at most its `points`: write `points` or "
            "`cap`, not both"
        )
    if section.points is None and section.cap is None:
        raise ValueError(
            "a section that starts at zero needs `points` or `cap`: the most it can gain "
            "(cap: 0 for a section of deductions only, cap: none for no cap)"
        )
    top, bottom = section.top, section.bottom
    if bottom is not None and bottom > 0:
        raise ValueError(
            f"a section that starts at zero cannot have a floor above 0 (got {bottom}): "
            "it would start below its own floor; write floor: 0 (or a negative floor)"
        )
    if top is not None and top < 0:
        raise ValueError(
            f"a section that starts at zero cannot have a cap below 0 (got {top}): it would "
            "start above its own cap; write cap: 0 for a section of deductions only"
        )
    if top == 0 and bottom == 0:
        raise ValueError(
            "cap 0 and floor 0 keep the section at 0 whatever its rules give: for a section "
            "of deductions only, give it a floor below 0 (or floor: none)"
        )


@dataclass(frozen=True)
class Placed:
    """A section where the file puts it: its path, its parent's id, and the ranking groups
    it applies to (its own `groups` within its parents'; None: every group)."""

    path: tuple[str | int, ...]
    section: Section
    parent: str | None
    groups: frozenset[str] | None
    depth: int


def placed_sections(
    sections: tuple[Section | None, ...],
    base: tuple[str | int, ...] = (),
    parent: Placed | None = None,
) -> list[Placed]:
    """Every section at any depth, each before its sub-sections (holes left by an invalid
    section are skipped)."""
    out: list[Placed] = []
    for i, section in enumerate(sections):
        if section is None:
            continue
        groups = parent.groups if parent is not None else None
        if section.groups is not None:
            own = frozenset(section.groups)
            groups = own if groups is None else groups & own
        here = Placed(
            (*base, "sections", i),
            section,
            parent.section.id if parent is not None else None,
            groups,
            0 if parent is None else parent.depth + 1,
        )
        out.append(here)
        out += placed_sections(section.sections, here.path, here)
    return out
