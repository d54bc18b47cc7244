"""The threshold rule kind: points when another rule has occurred N times (or every N)."""

from __future__ import annotations

from assessment._internal.base.arith import fraction
from assessment._internal.ledger.facts import UnitFacts
from assessment._internal.rules.hits import Context, Evaluator, Hit
from assessment.scheme import ThresholdRule

__all__ = ["compile_threshold"]


def compile_threshold(rule: ThresholdRule) -> Evaluator:
    points = fraction(rule.points)

    def evaluate(facts: UnitFacts, ctx: Context) -> list[Hit]:
        counted = sorted(ctx.earlier.get(rule.counts, ()), key=lambda h: h.date)
        hits = []
        reached = range(rule.at, len(counted) + 1, rule.at) if rule.repeat else [rule.at]
        for n in reached:
            if n > len(counted):
                break
            upto = counted[:n]
            events = tuple(e for hit in upto for e in hit.events)
            shown = (("counts", rule.counts), ("occurrence", n))
            words = (rule.counts, n)
            hits.append(Hit(upto[-1].date, points, events, "threshold", words, facts=shown))
        return hits

    return evaluate
