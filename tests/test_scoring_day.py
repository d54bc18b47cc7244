"""The day a report is scored as of: a date within the days the scheme scores, or refused.

A day of another year (a typo in --as-of, a datetime from a caller's clock) would score the
ledger as if nothing had happened yet, or everything were overdue: refused with what to do.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

import assessment
from assessment import Scheme


@pytest.fixture(scope="module")
def inputs(scheme_2023: Scheme) -> tuple[assessment.Roster, assessment.EventLog]:
    roster = assessment.Roster(units=(assessment.Unit(id="town-a", name="甲镇", kind="town"),))
    return roster, assessment.parse_events([], scheme_2023, roster)


@pytest.mark.parametrize(
    ("day", "error", "words"),
    [
        ("2023-06-30", TypeError, "as_of must be a datetime.date, such as date(2024, 6, 30)"),
        (datetime(2023, 6, 30, 9, 0), TypeError, "pass as_of.date()"),
        (date(2022, 12, 31), ValueError, "outside the days scheme district-2023 scores"),
        (date(2024, 2, 1), ValueError, "(2023-01-01 to 2024-01-31)"),
    ],
)
def test_a_day_the_scheme_does_not_score_is_refused(
    scheme_2023: Scheme,
    inputs: tuple[assessment.Roster, assessment.EventLog],
    day: object,
    error: type[Exception],
    words: str,
) -> None:
    roster, events = inputs
    with pytest.raises(error) as caught:
        assessment.score(scheme_2023, roster, events, as_of=day)  # type: ignore[arg-type]
    assert words in str(caught.value)
    scorer = assessment.Scorer(scheme_2023, roster)
    with pytest.raises(error):
        scorer.report(as_of=day)  # type: ignore[arg-type]
    with pytest.raises(error):
        scorer.unit_result("town-a", as_of=day)  # type: ignore[arg-type]


@pytest.mark.parametrize("day", [date(2023, 1, 1), date(2023, 12, 31), date(2024, 1, 31)])
def test_every_day_from_the_start_to_the_ledgers_last_day_is_scored(
    scheme_2023: Scheme, inputs: tuple[assessment.Roster, assessment.EventLog], day: date
) -> None:
    roster, events = inputs
    assert assessment.score(scheme_2023, roster, events, as_of=day).provenance.as_of == day
