"""The adjustment rule kind: points recorded by hand, each with its reason.

The rule's `min` and `max` bound the running sum of its points; the sections
apply them, with every other limit (score/sections.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from assessment._internal.base.arith import fraction
from assessment._internal.ledger.facts import UnitFacts
from assessment._internal.load.records import AdjustmentEvent
from assessment._internal.rules.hits import Context, Evaluator, Hit
from assessment.scheme import AdjustmentRule

__all__ = ["compile_adjustment"]


def compile_adjustment(rule: AdjustmentRule) -> Evaluator:
    def evaluate(facts: UnitFacts, ctx: Context) -> list[Hit]:
        made = cast("Sequence[AdjustmentEvent]", facts.by_type.get("adjustment", ()))
        return [
            Hit(
                event.date,
                fraction(event.points),
                (event.id,),
                "adjustment",
                (event.reason,),
                subject=event,
            )
            for event in made
            if event.rule == rule.id
        ]

    return evaluate
