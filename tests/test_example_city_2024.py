"""The city example (schemes/examples/city-2024.yaml over examples/city-2024/) scored by hand.

Every expected figure below is worked out from the events by hand, with the
arithmetic beside it; none is computed with the library. Sections, in order:
completion (督查事项完成情况, 50), handling (办理责任, 20), timeliness (办理时效, 10),
merit (表扬加分, zero start, ≤ 30, inside the cap), bonus (批示加分, zero start,
≤ 20, beyond the cap). Base 80 = 50 + 20 + 10; the total is min(base sections +
merit, 100) + bonus.

Completion shares are reweighted over the categories a unit leads items in
(gov_report 20, key_tasks 15, livelihood 10, instructions 5; 50 in all), and
within a proportional category an item assigned by the province weighs 2.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from builders import score_example

import assessment
from assessment import Report

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCHEME = ROOT / "schemes" / "examples" / "city-2024.yaml"
EXAMPLE = ROOT / "examples" / "city-2024"

SECTIONS = ("completion", "handling", "timeliness", "merit", "bonus")

F = Fraction

# unit → (exact section scores in SECTIONS order, shown total, exact total, cut by cap, rank)
EXPECTED: dict[str, tuple[tuple[Fraction, ...], Decimal, Fraction, Decimal, int]] = {
    # 东江县: everything on time, praised often: above the cap, and a bonus on top of it.
    "county-dongjiang": (
        (
            # leads gov_report, key_tasks, livelihood (all three closed on time): 50 of 50
            F(50),
            # no incomplete item, no extension
            F(20),
            # 3 of 3 closed on time = 100% ≥ 70%; inspection found a work plan
            F(10),
            # circulated: 3 city × 6 + 2 district × 3 = 18 + 6
            F(24),
            # national 10 + provincial 8 + city 5 = 23, kept at the section's 20
            F(20),
        ),
        # inside the cap 50 + 20 + 10 + 24 = 104 → 100; + 20 beyond the cap
        Decimal("120.00"),
        F(120),
        Decimal("4.00"),  # 124 − 120
        1,
    ),
    # 西山区: leads XS-01 (co-handled by 住建局 and 交通局), extended once and never closed.
    "county-xishan": (
        (
            # leads key_tasks, gov_report, instructions (15 + 20 + 5 = 40 of 50): shares × 50/40
            # → gov_report 25, key_tasks 75/4, instructions 25/4; XS-01 is key_tasks' only
            # counted item (due in force 09-30) and incomplete: − 75/4
            F(50) - F(75, 4),  # 125/4 = 31.25
            # XS-01 incomplete, lead: −5 × 1; one re-issued notice: −1 × 1 (county)
            F(20 - 5 - 1),
            # on time: XS-02, XS-03 of 3 counted → 2/3; (0.7 − 2/3) × 100 = 10/3 points below;
            # latest inspection: no work plan (counties only) −2
            F(10) - F(10, 3) - 2,  # 14/3 → 4.67
            # its only commendation was not circulated: 0
            F(0),
            # district-level affirmation: 3
            F(3),
        ),
        # shown: 31.25 + 14.00 + 4.67 + 0 + 3.00
        Decimal("52.92"),
        F(125, 4) + 14 + F(14, 3) + 3,  # 635/12
        Decimal("0.00"),
        3,
    ),
    # 南湖县: province-assigned NH-01 closed late, weighing double among three gov_report items.
    "county-nanhu": (
        (
            # leads gov_report, livelihood (20 + 10 = 30): shares × 50/30 → 100/3 and 50/3;
            # gov_report weights NH-01 2 (province), NH-02 1, NH-03 1: NH-01 late → − 100/3 × 2/4
            F(50) - F(100, 3) * F(2, 4),  # 100/3 → 33.33
            # NH-01 closed after its deadline: incomplete, lead −5
            F(20 - 5),
            # on time: NH-02, NH-03, NH-04 of 4 = 75% ≥ 70%; work plan found
            F(10),
            # one circulated district commendation: 3
            F(3),
            # city-level affirmation: 5
            F(5),
        ),
        # shown: 33.33 + 15.00 + 10.00 + 3.00 + 5.00
        Decimal("66.33"),
        F(100, 3) + 15 + 10 + 3 + 5,  # 199/3
        Decimal("0.00"),
        2,
    ),
    # 发改委: a department with everything on time; over 100 only through the bonus beyond the cap.
    "dept-fgw": (
        (
            F(50),  # FGW-01, FGW-02 closed on time
            F(20),
            F(10),  # 2 of 2 on time
            F(2 * 6),  # two circulated city commendations
            F(10),  # national-level affirmation
        ),
        Decimal("102.00"),  # min(50 + 20 + 10 + 12, 100) = 92; + 10 → 102, nothing cut
        F(102),
        Decimal("0.00"),
        1,
    ),
    # 住建局: co-handles XS-01; its own extended item is closed within the new deadline.
    "dept-zjj": (
        (
            # leads key_tasks ZJJ-01 (closed 07-20, within the extended 07-31) and gov_report
            # ZJJ-02: all complete; XS-01 is not counted here (completion counts lead items)
            F(50),
            # XS-01 incomplete as co-handler: −5 × 0.5; its own extension: −1 × 2 (department)
            F(20) - F(5, 2) - 2,  # 31/2
            # 2 of 2 led items on time; the missing work plan is a counties-only rule: 0
            F(10),
            F(0),
            F(8),  # provincial-level affirmation
        ),
        Decimal("83.50"),  # 50 + 15.5 + 10 + 0 + 8
        F(167, 2),
        Decimal("0.00"),
        2,
    ),
    # 交通局: co-handles XS-01; an on-time rate of 50% exhausts the timeliness section.
    "dept-jtj": (
        (
            # leads instructions, key_tasks, livelihood (5 + 15 + 10 = 30): shares × 50/30
            # → 25/3, 25, 50/3; JTJ-02 (key_tasks' only item) closed late: − 25;
            # JTJ-03 (livelihood) is not due until 2025-03-31: not counted, the share is kept
            F(50) - 25,
            # XS-01 as co-handler −2.5; JTJ-02 incomplete, lead −5
            F(20) - F(5, 2) - 5,  # 25/2
            # JTJ-01 on time, JTJ-02 late: 1/2 = 50%; (0.7 − 0.5) × 100 = 20 below → floor 0
            F(0),
            F(6),  # one circulated city commendation
            F(5 + 3),  # city + district affirmations
        ),
        Decimal("51.50"),  # 25 + 12.5 + 0 + 6 + 8
        F(103, 2),
        Decimal("0.00"),
        3,
    ),
}

# the shown sections: each exact score rounded half-up to 2 places
SHOWN: dict[str, tuple[str, ...]] = {
    "county-dongjiang": ("50.00", "20.00", "10.00", "24.00", "20.00"),
    "county-xishan": ("31.25", "14.00", "4.67", "0.00", "3.00"),  # 125/4; 14/3 = 4.666…
    "county-nanhu": ("33.33", "15.00", "10.00", "3.00", "5.00"),  # 100/3 = 33.333…
    "dept-fgw": ("50.00", "20.00", "10.00", "12.00", "10.00"),
    "dept-zjj": ("50.00", "15.50", "10.00", "0.00", "8.00"),
    "dept-jtj": ("25.00", "12.50", "0.00", "6.00", "8.00"),
}


@pytest.fixture(scope="module")
def report() -> Report:
    return score_example(SCHEME, EXAMPLE)


def test_the_example_is_small_and_complete(report: Report) -> None:
    assert {u.unit for u in report.units} == set(EXPECTED)
    assert 30 <= report.provenance.events <= 70


@pytest.mark.parametrize("unit_id", sorted(EXPECTED))
def test_every_unit_scores_as_computed_by_hand(report: Report, unit_id: str) -> None:
    sections, total, exact_total, cut, rank = EXPECTED[unit_id]
    result = report.unit(unit_id)
    assert tuple(result.section(s).exact for s in SECTIONS) == sections
    assert tuple(result.section(s).score for s in SECTIONS) == tuple(map(Decimal, SHOWN[unit_id]))
    assert result.total == total
    assert result.exact_total == exact_total
    assert result.cut_by_cap == cut
    assert result.rank == rank


def test_the_mechanisms_show_in_the_explanations(report: Report) -> None:
    def lines(unit_id: str, rule: str) -> list[assessment.Line]:
        return [x for x in report.unit(unit_id).lines if x.rule == rule]

    # the shared item: the lead −5, each co-handler −2.5, marked (协办)
    (lead,) = lines("county-xishan", "item_incomplete")
    assert lead.points == -5 and "(协办)" not in lead.detail
    for unit_id in ("dept-zjj", "dept-jtj"):
        (co,) = [x for x in lines(unit_id, "item_incomplete") if "XS-01" in x.detail]
        assert co.points == F(-5, 2) and "(协办)" in co.detail
    # the re-issued notice costs a county 1, a department 2
    assert [x.points for x in lines("county-xishan", "renotice")] == [-1]
    assert [x.points for x in lines("dept-zjj", "renotice")] == [-2]
    # the counties-only finding is not applied to a department with the same finding
    assert [x.points for x in lines("county-xishan", "no_work_plan")] == [-2]
    assert lines("dept-zjj", "no_work_plan") == []
    # praise by level: 10 + 8 + 5 given, the last cut to 2 by the bonus section's 20
    praise = lines("county-dongjiang", "leader_praise")
    assert [(x.points, x.applied) for x in praise] == [(F(10), F(10)), (F(8), F(8)), (F(5), F(2))]
    assert praise[-1].limited_by == "section_cap"
    # a rate 20 points below 70% takes only the 10 the section has
    (rate,) = lines("dept-jtj", "on_time_rate")
    assert (rate.points, rate.applied, rate.limited_by) == (F(-20), F(-10), "section_floor")
    (rate,) = lines("county-xishan", "on_time_rate")
    assert rate.points == F(-10, 3)
    # NH-01, assigned by the province, loses twice what an item of weight 1 would
    # (the categories it leads no item in show as 0-point lines: their points moved)
    moved = lines("county-nanhu", "item_completion")
    assert sorted(x.points for x in moved) == [F(-50, 3), 0, 0]
    (weighted,) = [x for x in moved if x.points != 0]
    assert weighted.points == F(-50, 3) and "NH-01" in weighted.detail
