"""The threshold rule kind: points when another rule has occurred N times (or every N),
counted over the unit's year, or per item or period (`per`)."""

from __future__ import annotations

from assessment._internal.base.arith import Q
from assessment._internal.ledger.facts import UnitFacts
from assessment._internal.rules.counting import Tally, numbered_points, scope_of
from assessment._internal.rules.hits import Context, Evaluator, Hit
from assessment.scheme import ThresholdRule

__all__ = ["compile_threshold"]


def compile_threshold(rule: ThresholdRule) -> Evaluator:
    points_of = numbered_points(rule)
    scope = scope_of(rule.per)

    def evaluate(facts: UnitFacts, ctx: Context) -> list[Hit]:
        counted = sorted(ctx.earlier.get(rule.counts, ()), key=lambda h: h.date)
        scopes: dict[str | None, list[Hit]] = {}
        for hit in counted:
            key = None if scope is None else scope(hit.item, hit.date)
            scopes.setdefault(key, []).append(hit)
        tally = Tally(rule)
        hits = []
        for key, occurrences in scopes.items():
            for n in _reached(rule, len(occurrences)):
                number = tally.number(key)
                if number is None:
                    break
                tally.take(key)
                upto = occurrences[:n]
                hits.append(_hit(rule, key, upto, n, points_of(number)))
        return hits

    return evaluate


def _reached(rule: ThresholdRule, occurrences: int) -> range:
    """The counts at which the threshold fires, given how many occurrences there were."""
    if rule.repeat:
        return range(rule.at, occurrences + 1, rule.at)
    return range(rule.at, rule.at + 1 if occurrences >= rule.at else rule.at)


def _hit(rule: ThresholdRule, key: str | None, upto: list[Hit], n: int, points: Q) -> Hit:
    events = tuple(e for hit in upto for e in hit.events)
    shown: tuple[tuple[str, object], ...] = (("counts", rule.counts), ("occurrence", n))
    if key is not None:
        shown = (*shown, ("per", rule.per), ("scope", key))
    item = key if rule.per == "item" else None
    words = (rule.counts, n)
    return Hit(upto[-1].date, points, events, "threshold", words, item=item, facts=shown)
