"""What a compiled rule reads besides a unit's facts, and the structured hits it returns.

A compiled rule takes a unit's facts and the scoring context and returns its
hits: dated movements of points with the events behind them, a reason code and
the values that decided them. The trail (score/trail.py) turns them into words;
the sections (score/sections.py) apply every cap and floor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from assessment._internal.base.arith import Q
from assessment._internal.ledger.facts import UnitFacts
from assessment.scheme import Period

__all__ = ["Context", "Evaluator", "Facts", "Hit"]

Facts = tuple[tuple[str, object], ...]
"""(name, value) pairs: what decided a hit, as the explanation shows it."""


@dataclass(slots=True)
class Hit:
    """Points a rule gives: `points` as written, `allowed` after the rule's own limits.

    Treated as immutable (copies are made with `replace`); not frozen, because a
    frozen dataclass is several times slower to create and there are many hits.
    """

    date: date
    points: Q
    events: tuple[str, ...]
    reason: str  # what happened, a code the trail words
    words: tuple[object, ...] = ()  # the values the wording of `reason` names, in its order
    allowed: Q | None = None
    item: str | None = None
    excluded: bool = False  # another rule of its `exclusive` group counted instead
    # What counted instead, when its group chose another rule: (scope, choice, that rule's
    # name, its points on the matter), for the line's words.
    instead: tuple[object, ...] | None = None
    info: bool = False  # says something (a category's points moved) without being an occurrence
    excludes_unit: bool = False  # the unit is not assessed (left out of ranking and grading)
    # What decided it, for the explanation: (name, value) pairs, or else the one event it is
    # about (its fields are read only when a trail is wanted).
    facts: Facts = ()
    subject: object = None
    # Why a line of 0 points is shown (results.Line.purpose): info, or counted by a flag.
    purpose: str | None = None

    @property
    def capped(self) -> Q:
        return self.points if self.allowed is None else self.allowed

    @property
    def occurs(self) -> bool:
        """Whether the line is an occurrence of its rule, as thresholds and flags count them:
        it gave points (its multipliers did not make them 0), whatever caps, floors or
        another rule of its `exclusive` group then did with them."""
        return self.points != 0 and not self.info


@dataclass(frozen=True)
class Context:
    """What a rule may know besides the unit's facts."""

    as_of: date
    period: Period
    section_starts_full: bool
    unit_kind: str = ""
    group: str = ""
    unit: str = ""
    earlier: dict[str, list[Hit]] = field(default_factory=dict)


Evaluator = Callable[[UnitFacts, Context], list[Hit]]
