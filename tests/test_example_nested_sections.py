"""The nested-sections example scheme over its example events; every figure by hand.

The scheme: 二 督查事项办理 60 = 二(一) 办结情况 30 + 二(二) 办理时限 20 + 二(三) 进展报送 10;
三 40 points of the unit's own group (towns: 工作方案 −10; departments: 科室 −10, 台账 −5);
四 加分项目 at most 10 = 四(一) 县领导肯定 +2 each (at most 6) + 四(二) 通报表扬 +3 each (at
most 6); 五 市级肯定 +5 each, no cap; 六 通报批评 city −5, county −2, no floor.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import assessment
from assessment import render
from assessment.results import Report

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ["handling", "completion", "timeliness", "reporting", "bonus", "affirmed"]
SECTIONS += ["circulated", "honours", "deductions"]


def _report() -> Report:
    scheme = assessment.load_scheme(ROOT / "schemes/examples/nested-sections.yaml")
    roster = assessment.read_roster(ROOT / "examples/nested-sections/roster.csv", scheme)
    events = assessment.read_events(ROOT / "examples/nested-sections/events.jsonl", scheme, roster)
    return assessment.score(scheme, roster, events)


def test_the_nested_sections_example_scores_as_computed_by_hand() -> None:
    report = _report()
    found = {
        u.unit: ({s: u.section(s).exact for s in SECTIONS}, u.exact_total, u.rank)
        for u in report.units
    }
    f = Fraction
    assert found == {
        # 办结 30 × 1/2 (TA2 closed late: not complete); 时限 20 − 4 (TA2); 12 reports on time;
        # 肯定 4 × 2 = 8, kept at 6; 表扬 2 × 3 = 6; together 12, kept at 10 by 四's cap;
        # 市级 +5; no criticism. 41 + (40 − 10) + 10 + 5 + 0 = 86
        "town-a": (
            dict(zip(SECTIONS, map(f, [41, 15, 16, 10, 10, 6, 6, 5, 0]), strict=True)),
            f(86),
            1,
        ),
        # TB1 never closed: 办结 0; nothing closed late: 20; no report: 12 × −1, floor 0;
        # 通报批评 2 × −5 + 3 × −2 = −16, no floor. 20 + 40 + 0 + 0 − 16 = 44
        "town-b": (
            dict(zip(SECTIONS, map(f, [20, 0, 20, 0, 0, 0, 0, 0, -16]), strict=True)),
            f(44),
            2,
        ),
        # 办结 30 × 1/3 (DA2, DA3 late); 时限 20 − 2 × 4; November and December missed: 10 − 2;
        # 部门工作 40 − 10 − 5; 市级 2 × 5 = 10. 30 + 25 + 0 + 10 + 0 = 65
        "dept-a": (
            dict(zip(SECTIONS, map(f, [30, 10, 12, 8, 0, 0, 0, 10, 0]), strict=True)),
            f(65),
            2,
        ),
        # no item: 办结 kept at 30 (full marks); March's report late: 10 − 0.5; one district
        # commendation, circulated: 2 + 3; county criticism −2. 59.5 + 40 + 5 + 0 − 2 = 102.5
        "dept-b": (
            dict(
                zip(
                    SECTIONS,
                    [f(119, 2), f(30), f(20), f(19, 2), f(5), f(2), f(3), f(0), f(-2)],
                    strict=True,
                )
            ),
            f(205, 2),
            1,
        ),
    }


def test_each_group_has_only_its_own_standard() -> None:
    report = _report()
    for unit in report.units:
        ids = {s.id for s in unit.sections}
        assert ("town_work" in ids) == (unit.group == "towns")
        assert ("department_work" in ids) == (unit.group == "departments")
    assert report.unit("town-a").section("town_work").exact == 30  # 40 − 10 (no work plan)
    assert report.unit("dept-a").section("department_work").exact == 25  # 40 − 10 − 5


def test_limits_show_as_the_text_says_them() -> None:
    report = _report()
    town_a = report.unit("town-a")
    assert town_a.section("affirmed").parent == "bonus"
    assert town_a.section("bonus").parent is None
    assert town_a.section("honours").cap == "none"  # 不封顶: no stand-in number
    assert town_a.section("honours").points is None
    assert town_a.section("deductions").cap == Decimal(0)
    assert town_a.section("deductions").floor == "none"
    # the fourth district commendation passes 四(一)'s cap of 6: it moves nothing
    lines = [line for line in town_a.lines if line.rule == "affirmed"]
    assert [line.applied for line in lines] == [2, 2, 2, 0]
    assert lines[-1].limited_by == "section_cap"
    text = render.table(report)
    assert "市级肯定(不封顶)" in text and "扣分(扣分项)" in text
    assert "(1000)" not in text and "(0)" not in text
    explained = render.explanation(report, town_a)
    assert "(下列分项合计 12,超出上限,计 10)" in explained
    assert "总分 = 41.00 + 30.00 + 10.00 + 5.00 + 0.00 = 86.00" in explained
    csv = render.csv(report).splitlines()
    assert csv[0].count("三 ") == 2  # both groups' standards, each blank for the other group
    assert ",41.00,15.00,16.00,10.00,30.00,,10.00," in csv[1]
