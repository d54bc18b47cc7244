"""Exact arithmetic: scores are Fractions until they are shown, then rounded once."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Literal

__all__ = ["RoundingMode", "clamp", "exact_text", "fraction", "readable", "round_shown"]

RoundingMode = Literal["half_up", "half_even", "down", "up"]


def fraction(value: Decimal | int) -> Fraction:
    """The exact value of a scheme number."""
    return Fraction(value)


def clamp(value: Fraction, low: Fraction, high: Fraction) -> Fraction:
    return max(low, min(high, value))


def round_shown(value: Fraction, places: int, mode: RoundingMode) -> Decimal:
    """Round an exact value to `places` decimals; half_up rounds halves away from zero."""
    scale = 10**places
    scaled = value * scale
    sign = -1 if scaled < 0 else 1
    magnitude = abs(scaled)
    if mode == "half_up":
        whole = math.floor(magnitude + Fraction(1, 2))
    elif mode == "down":
        whole = math.floor(magnitude)
    elif mode == "up":
        whole = math.ceil(magnitude)
    else:
        whole = round(magnitude)  # Fraction.__round__ rounds half to even
    return (Decimal(sign * whole) / Decimal(scale)).quantize(Decimal(1).scaleb(-places))


def exact_text(value: Fraction) -> str:
    """`-1`, `26.5` when the decimal terminates, else `320/9`: exact and readable."""
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1:
        return f"{value.numerator}/{value.denominator}"
    if value.denominator == 1:
        return str(value.numerator)
    digits = 0
    while (value * 10**digits).denominator != 1:
        digits += 1
    scaled = abs(value.numerator * 10**digits // value.denominator)
    whole, part = divmod(scaled, 10**digits)
    sign = "-" if value < 0 else ""
    return f"{sign}{whole}.{part:0{digits}d}"


def readable(value: Fraction) -> str:
    """For people: exact when the decimal terminates, else 4 places and an ellipsis.

    Results keep the exact value; this is only for explanations.
    """
    text = exact_text(value)
    return f"{round_shown(value, 4, 'half_up')}…" if "/" in text else text
