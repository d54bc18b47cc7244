"""The deduction-only example (schemes/examples/deduction-only.yaml over
examples/deduction-only/), every figure computed by hand.

Every unit starts at 100 = 纪律监督 40 + 督办落实 30 + 信息报送 30 and only loses points.
Scored on 2024-12-31, the quarters counted are Q1 (due 2024-04-05), Q2 (due 2024-07-05)
and Q3 (due 2024-10-05); Q4 is due 2025-01-05 and does not count yet.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import assessment

ROOT = Path(__file__).resolve().parent.parent
SCHEME = ROOT / "schemes" / "examples" / "deduction-only.yaml"
EXAMPLE = ROOT / "examples" / "deduction-only"

Expected = tuple[Fraction, Fraction, Fraction, Decimal, str, tuple[str, ...], int]


def _report(as_of: date | None = None) -> assessment.Report:
    scheme = assessment.load_scheme(SCHEME)
    roster = assessment.read_roster(EXAMPLE / "roster.csv", scheme)
    events = assessment.read_events(EXAMPLE / "events.jsonl", scheme, roster)
    return assessment.score(scheme, roster, events, as_of)


def _found(unit: assessment.UnitResult) -> Expected:
    assert unit.grade is not None
    assert unit.rank is not None
    return (
        unit.section("accountability").exact,
        unit.section("supervision").exact,
        unit.section("reporting").exact,
        unit.total,
        unit.grade,
        tuple(flag.id for flag in unit.flags),
        unit.rank,
    )


EXPECTED: dict[str, Expected] = {
    # criticism D003 on DH-07 −4; the provincial exposure D002 on the same item (−2) is
    # excluded; the county exposure D006 has no item: −0.5.  40 − 4 − 0.5 = 35.5
    # one re-issued notice: 30 − 1 = 29
    # Q1 on 04-03, Q2 late on 07-08 (−0.5), Q3 on its deadline day 10-05: 30 − 0.5 = 29.5
    # 35.5 + 29 + 29.5 = 94 → 良好 (85 ≤ 94 < 95); one notice raises no flag; 2nd of towns
    "town-donghu": (
        Fraction(71, 2),
        Fraction(29),
        Fraction(59, 2),
        Decimal("94.00"),
        "good",
        (),
        2,
    ),
    # a circulated criticism X003: −4 (and 0 from the veto rule): 40 − 4 = 36
    # no notice: 30; every quarter on time: 30
    # 36 + 30 + 30 = 96 would be 优秀, but the veto makes it 不合格; still ranked 1st
    "town-xishan": (
        Fraction(36),
        Fraction(30),
        Fraction(30),
        Decimal("96.00"),
        "fail",
        ("veto",),
        1,
    ),
    # national exposure N002 (town, no item): −3 → 37
    # five notices: −1 −3 −10 −10 −10 = −34 < −30 → floored at 0 (扣完为止)
    # Q1 missed −1, Q2 late (07-10) −0.5, Q3 missed −1 = −2.5; the threshold at the 2nd
    # occurrence −2 (only 3 occurrences: not again): 30 − 4.5 = 25.5
    # 37 + 0 + 25.5 = 62.5 → 合格 (60 ≤ 62.5 < 85); 5 notices ≥ 2 → no_honours; 3rd of towns
    "town-nanling": (
        Fraction(37),
        Fraction(0),
        Fraction(51, 2),
        Decimal("62.50"),
        "pass",
        ("no_honours",),
        3,
    ),
    # national exposure H001 on ZJ-03: −3 × 2 (department) = −6, which beats the criticism
    # H002 on the same item (−4, excluded); city exposure H004: −1 × 2 = −2.  40 − 8 = 32
    # two notices: −1 −3: 30 − 4 = 26
    # no report at all: Q1, Q2, Q3 missed −3, threshold at the 2nd −2: 30 − 5 = 25
    # 32 + 26 + 25 = 83 → 合格; 2 notices → no_honours; 2nd of departments
    "dept-housing": (
        Fraction(32),
        Fraction(26),
        Fraction(25),
        Decimal("83.00"),
        "pass",
        ("no_honours",),
        2,
    ),
    # provincial exposure −2 × 2 = −4, county exposure −0.5 × 2 = −1: 40 − 5 = 35
    # no notice: 30; Q1 on its deadline day 04-05, Q2 07-05, Q3 10-05: all on time, 30
    # 35 + 30 + 30 = 95 → 优秀 (min 95 is inclusive); 1st of departments
    "dept-education": (
        Fraction(35),
        Fraction(30),
        Fraction(30),
        Decimal("95.00"),
        "excellent",
        (),
        1,
    ),
}


def test_every_unit_scores_as_computed_by_hand() -> None:
    report = _report()
    assert {u.unit: _found(u) for u in report.units} == EXPECTED
    shown = {u.unit: tuple(s.score for s in u.sections) for u in report.units}
    assert shown["town-donghu"] == (Decimal("35.50"), Decimal("29.00"), Decimal("29.50"))
    assert shown["town-nanling"] == (Decimal("37.00"), Decimal("0.00"), Decimal("25.50"))


def test_the_lines_show_exclusion_floor_and_threshold() -> None:
    report = _report()
    donghu = {line.events: line for line in report.unit("town-donghu").lines}
    # the provincial exposure on DH-07 stays in the trail with nothing applied
    assert donghu[("D002",)].points == Fraction(-2)
    assert donghu[("D002",)].applied == 0
    assert donghu[("D002",)].limited_by == "exclusive"
    assert donghu[("D003",)].applied == Fraction(-4)
    housing = {line.events: line for line in report.unit("dept-housing").lines}
    assert housing[("H001",)].applied == Fraction(-6)
    assert housing[("H002",)].applied == 0
    assert housing[("H002",)].limited_by == "exclusive"
    # the escalating steps, and the fifth notice cut by the floor: 30 − 1 − 3 − 10 − 10 = 6 left
    nanling = report.unit("town-nanling")
    steps = [
        (line.points, line.applied) for line in nanling.lines if line.rule == "notice_reissued"
    ]
    assert steps == [
        (Fraction(-1), Fraction(-1)),
        (Fraction(-3), Fraction(-3)),
        (Fraction(-10), Fraction(-10)),
        (Fraction(-10), Fraction(-10)),
        (Fraction(-10), Fraction(-6)),
    ]
    floored = [line for line in nanling.lines if line.limited_by == "section_floor"]
    assert [line.events for line in floored] == [("N007",)]
    # the threshold is dated on the 2nd occurrence: Q2 late, decided when its report (N005)
    # arrived on 2024-07-10, after its deadline of 2024-07-05
    thresholds = [line for line in nanling.lines if line.rule == "reports_missed_twice"]
    assert [(line.date, line.points) for line in thresholds] == [(date(2024, 7, 10), Fraction(-2))]


def test_after_the_fourth_quarter_is_due_the_threshold_fires_again() -> None:
    # Scored on 2025-01-06, Q4 (due 2025-01-05) counts too. dept-housing never reported:
    # 4 missed quarters −4, the threshold at the 2nd and the 4th −2 −2: 30 − 8 = 22;
    # 32 + 26 + 22 = 80
    housing = _report(date(2025, 1, 6)).unit("dept-housing")
    assert housing.section("reporting").exact == Fraction(22)
    assert housing.total == Decimal("80.00")
    thresholds = [line.date for line in housing.lines if line.rule == "reports_missed_twice"]
    assert thresholds == [date(2024, 7, 5), date(2025, 1, 5)]
    # town-nanling has no Q4 report either: −1 −0.5 −1 −1 and −2 −2: 30 − 7.5 = 22.5
    nanling = _report(date(2025, 1, 6)).unit("town-nanling")
    assert nanling.section("reporting").exact == Fraction(45, 2)
