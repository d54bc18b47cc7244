"""The periods of a scheme (months, quarters, years) and how events name them.

A periodic obligation is due once per period of the scheme's period; events
name the period they report on as `2023-03` (a month), `2023-Q1` (a quarter)
or `2023` (a year).
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Literal, NamedTuple

from assessment.scheme import Period

__all__ = [
    "KEY_PATTERNS",
    "Every",
    "Span",
    "periods",
    "span_before",
    "spans_by_key",
    "unknown_period",
    "written",
]

Every = Literal["month", "quarter", "year"]

# ASCII digits only: a Unicode `\d` would take full-width digits, which then name no period.
KEY_PATTERNS: dict[str, str] = {
    "month": r"^[0-9]{4}-(0[1-9]|1[0-2])$",
    "quarter": r"^[0-9]{4}-Q[1-4]$",
    "year": r"^[0-9]{4}$",
}
"""The shape of a period's name, by kind of period."""

_WRITTEN = {"month": "YYYY-MM", "quarter": "YYYY-Qn (n from 1 to 4)", "year": "YYYY"}


class Span(NamedTuple):
    """One period: its name as events write it, its first and its last day."""

    key: str
    first: date
    last: date


def written(every: str) -> str:
    """How a period of this kind is written, for messages."""
    return _WRITTEN[every]


@functools.cache
def periods(period: Period, every: str) -> tuple[Span, ...]:
    """Each period of `every` that overlaps the scheme's period, in order."""
    return tuple(_spans(period, every))


@functools.cache
def spans_by_key(period: Period, every: str) -> dict[str, Span]:
    """The scheme's periods of `every`, by the name events give them."""
    return {span.key: span for span in periods(period, every)}


@functools.cache
def span_before(period: Period, every: str) -> Span:
    """The period just before the scheme's first: last year's December, Q4 or year, whose
    reports arrive in the first days of this scheme's ledger."""
    day = periods(period, every)[0].first - timedelta(days=1)
    earlier = Period.model_construct(start=day, end=day)
    return periods(earlier, every)[0]


def _spans(period: Period, every: str) -> Iterator[Span]:
    year, month = period.start.year, period.start.month
    step = {"month": 1, "quarter": 3, "year": 12}[every]
    if every != "month":
        month = (month - 1) // step * step + 1
    while date(year, month, 1) <= period.end:
        last_month = month + step - 1
        last = date(year, last_month, calendar.monthrange(year, last_month)[1])
        if every == "month":
            key = f"{year:04d}-{month:02d}"
        elif every == "quarter":
            key = f"{year:04d}-Q{(month - 1) // 3 + 1}"
        else:
            key = f"{year:04d}"
        yield Span(key, date(year, month, 1), last)
        month += step
        if month > 12:
            year, month = year + 1, month - 12


def unknown_period(day: date, every: str, key: str, spans: Mapping[str, Span], before: Span) -> str:
    """A period field naming a period the scheme does not have."""
    if key == before.key:
        first = next(iter(spans.values()))
        return (
            f"{every} {key} is the one before the scheme's period: its report is "
            f"taken only until {first.last}, as a late one (dated {day}, it "
            f"is most likely a slip for another {every}): check the {every}"
        )
    known = list(spans)
    return (
        f"{every} {key} is not in the scheme's period ({known[0]} to {known[-1]}): "
        f"check the {every}, or the scheme (is this the ledger of another year?)"
    )
