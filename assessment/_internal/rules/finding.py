"""The finding rule kind: points when the latest record of a field has a given value."""

from __future__ import annotations

from assessment._internal.base.arith import fraction
from assessment._internal.ledger.facts import UnitFacts
from assessment._internal.rules.hits import Context, Evaluator, Hit
from assessment.scheme import FindingRule

__all__ = ["compile_finding"]


def compile_finding(rule: FindingRule) -> Evaluator:
    key = (rule.event, rule.field)
    points = fraction(rule.points)

    def evaluate(facts: UnitFacts, ctx: Context) -> list[Hit]:
        event = facts.latest.get(key)
        if event is None or getattr(event, rule.field) != rule.equals:
            return []
        words = (rule.event, event.date, rule.field, rule.equals)
        shown = ((rule.field, rule.equals),)
        return [Hit(event.date, points, (event.id,), "finding", words, facts=shown)]

    return evaluate
