"""The periodic rule kind: a report due every period, points when it is missed or late."""

from __future__ import annotations

from datetime import date, timedelta

from assessment._internal.base.arith import fraction
from assessment._internal.ledger.facts import UnitFacts
from assessment._internal.load.periods import periods
from assessment._internal.rules.hits import Context, Evaluator, Facts, Hit
from assessment.scheme import PeriodicRule

__all__ = ["compile_periodic"]


def compile_periodic(rule: PeriodicRule) -> Evaluator:
    missed, late = fraction(rule.missed), fraction(rule.late)
    delay = timedelta(days=rule.deadline.days_after_end)

    def evaluate(facts: UnitFacts, ctx: Context) -> list[Hit]:
        first: dict[str, tuple[date, str]] = {}
        for event in facts.by_type.get(rule.event, ()):
            key = str(getattr(event, rule.period_field))
            first.setdefault(key, (event.date, event.id))
        hits = []
        for key, _, last in periods(ctx.period, rule.every):
            deadline = last + delay
            if deadline > ctx.as_of:
                break
            arrived = first.get(key)
            shown: Facts = (("period", key), ("deadline", deadline))
            if arrived is None:  # decided when the deadline passed
                hits.append(Hit(deadline, missed, (), "missed", (key, deadline), facts=shown))
            elif arrived[0] > deadline:  # decided when the late report arrived
                shown += (("submitted", arrived[0]),)
                words = (key, deadline, arrived[0])
                hits.append(Hit(arrived[0], late, (arrived[1],), "late", words, facts=shown))
        return hits  # a period with 0 points still says what happened: a flag may count it

    return evaluate
