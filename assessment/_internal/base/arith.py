"""Exact arithmetic: scores are exact rationals until they are shown, then rounded once.

Inside the engine an exact value is a `Q`: an `int` when it is whole (most
points are), else a `Fraction`. Python mixes the two exactly and ints are many
times faster; only `int / int` would give a float, so division goes through
`div`. Results carry `Fraction`s (`exact`), as the public models say.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Literal

__all__ = [
    "Q",
    "RoundingMode",
    "clamp",
    "div",
    "exact",
    "exact_text",
    "fraction",
    "readable",
    "round_shown",
]

RoundingMode = Literal["half_up", "half_even", "down", "up"]

Q = int | Fraction
"""An exact value: an int when whole, else a Fraction."""

_SMALL = {n: Fraction(n) for n in range(-1000, 1001)}


def fraction(value: Decimal | int | Fraction) -> Q:
    """The exact value of a number: an int when it is whole."""
    exact_value = Fraction(value)
    return exact_value.numerator if exact_value.denominator == 1 else exact_value


def div(numerator: Q, denominator: Q) -> Q:
    """An exact quotient (never a float, even of two ints)."""
    if type(numerator) is int and type(denominator) is int:
        quotient, rest = divmod(numerator, denominator)
        return quotient if rest == 0 else Fraction(numerator, denominator)
    return Fraction(numerator) / denominator


def exact(value: Q) -> Fraction:
    """A value as the results carry it; anything but an exact number is a bug, loudly."""
    kind = type(value)
    if kind is Fraction:
        return value  # type: ignore[return-value]
    if kind is int:
        found = _SMALL.get(value)  # type: ignore[arg-type]
        return found if found is not None else Fraction(value)
    raise TypeError(f"an exact score must be an int or a Fraction, not {kind.__name__}")


def clamp(value: Q, low: Q, high: Q) -> Q:
    return low if value < low else high if value > high else value


def round_shown(value: Q, places: int, mode: RoundingMode) -> Decimal:
    """Round an exact value to `places` decimals; half_up rounds halves away from zero."""
    if type(value) is int:
        return Decimal(f"{value * 10**places}E-{places}")  # exact in any decimal context
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
    return Decimal(f"{sign * whole}E-{places}")  # exact in any decimal context


def exact_text(value: Q) -> str:
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


def readable(value: Q) -> str:
    """For people: exact when the decimal terminates, else 4 places and an ellipsis.

    Results keep the exact value; this is only for explanations.
    """
    text = exact_text(value)
    return f"{round_shown(value, 4, 'half_up')}…" if "/" in text else text
