"""A unit's total: the sections added, the cap on the total (sections beyond it added
after), rounding as the scheme says, and the conversion to a target's points."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from assessment._internal.base.arith import Q, div, fraction, round_shown
from assessment.results import SectionScore
from assessment.scheme import Scheme

__all__ = ["converted", "totals"]


def totals(
    scheme: Scheme, sections: Sequence[SectionScore], exacts: Sequence[Q]
) -> tuple[Q, Decimal, Decimal]:
    """The exact and shown totals, and what the cap on the total took off the shown one.

    Sections listed in `total.beyond_cap` are added after the cap.
    """
    rules, rounding = scheme.total, scheme.rounding
    inside = [s for s in sections if s.id not in rules.beyond_cap]
    beyond = [s for s in sections if s.id in rules.beyond_cap]
    cap = fraction(rules.cap) if rules.cap is not None else None
    inside_sum = sum(
        v for s, v in zip(sections, exacts, strict=True) if s.id not in rules.beyond_cap
    )
    beyond_sum = sum(v for s, v in zip(sections, exacts, strict=True) if s.id in rules.beyond_cap)
    value = (inside_sum if cap is None else min(inside_sum, cap)) + beyond_sum
    places = Decimal(1).scaleb(-rounding.places)  # a cap of 100 is shown as 100.00
    if rounding.stage == "section":
        shown_inside = sum((s.score for s in inside), Decimal(0))
        capped = shown_inside if rules.cap is None else min(shown_inside, rules.cap)
        total = (capped + sum((s.score for s in beyond), Decimal(0))).quantize(places)
    else:
        total = round_shown(value, rounding.places, rounding.mode)
    cut = sum((s.score for s in sections), Decimal(0)) - total
    return value, total, max(cut, Decimal(0)).quantize(places)


def converted(scheme: Scheme, total: Decimal) -> tuple[Q, Decimal] | None:
    """The shown total converted to the target's points, exact and shown, if the scheme
    converts."""
    conversion = scheme.conversion
    if conversion is None:
        return None
    rounding = scheme.rounding
    if conversion.full_score == conversion.target_points:  # the shown total, at most capped
        value_shown = min(total, conversion.target_points) if conversion.cap else total
        return fraction(value_shown), value_shown.quantize(Decimal(1).scaleb(-rounding.places))
    value = div(
        fraction(total) * fraction(conversion.target_points), fraction(conversion.full_score)
    )
    if conversion.cap:
        value = min(value, fraction(conversion.target_points))
    return value, round_shown(value, rounding.places, rounding.mode)
