"""The days a scheme's ledger takes: its period, and after it (up to `events_until`) only what
completes it. Expected figures worked out by hand from the rules' sentences.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from assessment import EventsError, Roster, Unit, parse_events, parse_scheme, score

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = (ROOT / "tests/data/valid/schemes/minimal.yaml").read_text(encoding="utf-8")
# The minimal scheme (2024; a missed month −1, a late one −0.5), its ledger running to January.
SCHEME = parse_scheme(
    MINIMAL.replace("  end: 2024-12-31\n", "  end: 2024-12-31\n  events_until: 2025-01-31\n"),
    "minimal.yaml",
)
ROSTER = Roster(units=(Unit(id="t1", name="一镇", kind="town"),))
Record = dict[str, object]


def _on_time(months: range) -> list[Record]:
    """t1's reports for these months of 2024, each on the 20th of its own month."""
    return [
        {
            "type": "report_submitted",
            "date": f"2024-{m:02d}-20",
            "unit": "t1",
            "month": f"2024-{m:02d}",
        }
        for m in months
    ]


def _reports(*, december: str | None) -> list[Record]:
    """On-time reports for January to November 2024, and December's on `december`."""
    records = _on_time(range(1, 12))
    if december is not None:
        records.append(
            {"type": "report_submitted", "date": december, "unit": "t1", "month": "2024-12"}
        )
    return records


def _lines(records: list[Record], as_of: date | None = None) -> list[tuple[str, Fraction, date]]:
    numbered = [{"id": f"e{n}", **r} for n, r in enumerate(records, 1)]
    report = score(SCHEME, ROSTER, parse_events(numbered, SCHEME, ROSTER), as_of)
    return [
        (x.rule, x.points, x.date) for x in report.unit("t1").lines if x.rule == "monthly_report"
    ]


def test_a_late_december_report_counts_as_late_when_scored_in_january() -> None:
    # December's report is due 2024-12-31 and arrives on 2025-01-06. Scored as of the year's
    # last day it has not arrived: missed, −1, on the deadline. Scored as of 2025-01-31 it
    # has: late, −0.5, on the day it arrived.
    records = _reports(december="2025-01-06")
    assert _lines(records) == [("monthly_report", Fraction(-1), date(2024, 12, 31))]
    assert _lines(records, date(2025, 1, 31)) == [
        ("monthly_report", Fraction(-1, 2), date(2025, 1, 6))
    ]


@pytest.mark.parametrize(
    "record",
    [
        {
            "type": "commendation",
            "date": "2025-01-15",
            "unit": "t1",
            "level": "city",
            "circulated": True,
        },
        {"type": "inspection", "date": "2025-01-10", "unit": "t1", "has_staff": False},
        {
            "type": "item_assigned",
            "date": "2025-01-05",
            "unit": "t1",
            "item": "N",
            "category": "tasks",
            "due": "2025-01-25",
        },
    ],
    ids=["commendation", "inspection", "assignment"],
)
def test_after_the_period_the_ledger_takes_only_what_completes_it(record: Record) -> None:
    # A January commendation, inspection or new item is next year's: scored as of January it
    # would count for this year (+5, −3, −80 for the new item's category), without a word.
    records = [*_reports(december="2024-12-20"), record]
    with pytest.raises(EventsError) as caught:
        parse_events([{"id": f"e{n}", **r} for n, r in enumerate(records, 1)], SCHEME, ROSTER)
    (problem,) = caught.value.problems
    assert problem.line == 13 and problem.path == "date"
    assert problem.message.startswith(
        "1 event dated after the period ends (2024-12-31) does not complete it: the days up to "
        "2025-01-31 take only late reports on its periods, closures and year-end assessments"
    )
    assert f"a {record['type']} on {record['date']}" in problem.message


def test_after_the_period_closures_and_assessments_of_its_items_are_taken() -> None:
    # Item A, due 2024-11-30, closed late on 2025-01-10, then assessed at 0.5 on 2025-01-20.
    # The unit undertakes only `tasks` (60 of the rule's 80 points): reweighted, its share is
    # 80; its one item is half done as of 2025-01-31: 80 × (0.5 − 1) = −40.
    records: list[Record] = [
        {
            "type": "item_assigned",
            "date": "2024-03-01",
            "unit": "t1",
            "item": "A",
            "category": "tasks",
            "due": "2024-11-30",
        },
        {"type": "item_closed", "date": "2025-01-10", "unit": "t1", "item": "A"},
        {
            "type": "item_assessed",
            "date": "2025-01-20",
            "unit": "t1",
            "item": "A",
            "completion": "0.5",
        },
        *_reports(december="2024-12-20"),
    ]
    numbered = [{"id": f"e{n}", **r} for n, r in enumerate(records, 1)]
    report = score(SCHEME, ROSTER, parse_events(numbered, SCHEME, ROSTER), date(2025, 1, 31))
    (line,) = [x for x in report.unit("t1").lines if x.rule == "completion" and x.points]
    assert (line.points, line.date) == (Fraction(-40), date(2025, 1, 20))


def test_last_years_december_report_is_taken_while_it_can_be_late_and_refused_after() -> None:
    # An export of the year by date holds last December's report, arriving in January: it is
    # last year's, taken and not scored. Dated in February, it is a slip of the year.
    january = {
        "id": "r0",
        "type": "report_submitted",
        "date": "2024-01-04",
        "unit": "t1",
        "month": "2023-12",
    }
    parse_events([january], SCHEME, ROSTER)
    with pytest.raises(EventsError) as caught:
        parse_events([{**january, "date": "2024-02-04"}], SCHEME, ROSTER)
    assert "month 2023-12 is the one before the scheme's period" in caught.value.problems[0].message
    with pytest.raises(EventsError):
        parse_events([{**january, "month": "2023-11"}], SCHEME, ROSTER)


def test_a_threshold_is_dated_on_the_occurrence_that_reached_it() -> None:
    # January's report arrives late on 2024-04-10; February's and March's never come. In
    # date order the occurrences are February's deadline (02-29), March's (03-31) and
    # January's late arrival (04-10): the third, reaching 累计3次, is on 2024-04-10.
    january: Record = {
        "type": "report_submitted",
        "date": "2024-04-10",
        "unit": "t1",
        "month": "2024-01",
    }
    later = _on_time(range(4, 13))
    records = [january, *later]
    numbered = [{"id": f"e{n}", **r} for n, r in enumerate(records, 1)]
    report = score(SCHEME, ROSTER, parse_events(numbered, SCHEME, ROSTER))
    lines = report.unit("t1").lines
    assert [(x.points, x.date) for x in lines if x.rule == "monthly_report"] == [
        (Fraction(-1), date(2024, 2, 29)),
        (Fraction(-1), date(2024, 3, 31)),
        (Fraction(-1, 2), date(2024, 4, 10)),
    ]
    assert [(x.points, x.date) for x in lines if x.rule == "missed_three"] == [
        (Fraction(-2), date(2024, 4, 10))
    ]
