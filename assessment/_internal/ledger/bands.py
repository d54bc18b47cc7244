"""The bands an event field's points must fall in: a rule that takes its points from the
event (`points: {from: value, min: 0.5, max: 1, step: 0.5}`) refuses, when the ledger is
read, an event it reads whose value is missing, outside the band or off its step. A value
is never clamped into the band: a wrong figure in a ledger is a wrong score nobody sees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from assessment._internal.base.arith import Q, fraction, readable
from assessment._internal.load.conditions import compile_where
from assessment._internal.load.records import CompactEvent
from assessment.scheme import PerEventRule, PointsFromField, Scheme

__all__ = ["Band", "Bands", "band_fault", "bands_of"]


@dataclass(frozen=True)
class Band:
    """A rule's band on one field of the events it reads."""

    rule: str
    field: str
    low: Q
    high: Q
    step: Q | None
    reads: Callable[[CompactEvent], bool]  # the rule's `where`

    def fault(self, value: object) -> str | None:
        """Why `value` cannot be this rule's points, or None when it can."""
        shown = f"{readable(self.low)} to {readable(self.high)}"
        if value is None:
            return (
                f"missing: rule '{self.rule}' takes its points from {self.field}; give a value "
                f"from {shown}"
            )
        assert isinstance(value, int | Decimal)  # the field is a number field, validated
        number = fraction(value)
        if not self.low <= number <= self.high:
            return (
                f"{readable(number)} is outside the band of rule '{self.rule}' ({shown} "
                "points): correct the value, or the scheme's band if the text allows it"
            )
        if self.step is not None and (number - self.low) % self.step:
            return (
                f"{readable(number)} is off the step of rule '{self.rule}': from "
                f"{readable(self.low)} in steps of {readable(self.step)} up to "
                f"{readable(self.high)}; correct the value"
            )
        return None


Bands = dict[str, tuple[Band, ...]]
"""The bands of each event type that has some."""


def bands_of(scheme: Scheme) -> Bands:
    """Every band the scheme's rules declare, by the event type they read."""
    found: dict[str, list[Band]] = {}
    for _, rule in scheme.rules():
        if isinstance(rule, PerEventRule) and isinstance(rule.points, PointsFromField):
            spec = rule.points
            step = fraction(spec.step) if spec.step is not None else None
            band = Band(
                rule.id,
                spec.from_,
                fraction(spec.min),
                fraction(spec.max),
                step,
                compile_where(rule.where),
            )
            found.setdefault(rule.event, []).append(band)
    return {kind: tuple(bands) for kind, bands in found.items()}


def band_fault(event: CompactEvent, bands: tuple[Band, ...]) -> tuple[str, str] | None:
    """The first field of `event` outside a band of a rule that reads it, and why."""
    for band in bands:
        if band.reads(event):
            why = band.fault(getattr(event, band.field, None))
            if why is not None:
                return band.field, why
    return None
