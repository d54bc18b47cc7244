"""A cap on the total, a bonus on top of it, grades with quotas, flags and the veto."""

from __future__ import annotations

from decimal import Decimal

import pytest
from builders import scheme_head

from assessment import Report, Roster, SchemeError, Unit, parse_events, parse_scheme, score
from assessment.render import csv as render_csv
from assessment.render import explanation as render_explanation
from assessment.render import table as render_table

SCHEME = (
    scheme_head("outcomes", "结果运用", 80)
    + """\
sections:
  - id: work
    name: 日常工作
    clause: 一
    points: 80
    rules:
      - id: renotice
        kind: per_event
        name: 检查发现无专职人员
        clause: 一
        text: 每次检查发现无专职人员扣5分
        event: inspection
        where: {has_staff: false}
        points: -5
  - id: merit
    name: 加分
    clause: 二
    points: 30
    start: zero
    rules:
      - id: praise
        kind: per_event
        name: 表扬
        clause: 二
        text: 每次加10分
        event: commendation
        points: 10
  - id: extra
    name: 创新加分
    clause: 三
    points: 10
    start: zero
    rules:
      - id: innovation
        kind: per_event
        name: 创新
        clause: 三
        text: 创新加5分
        event: commendation
        where: {level: city}
        points: 5
total:
  cap: 100
  beyond_cap: [extra]
grades:
  - {id: excellent, name: 优秀, min: 90, quota: 0.4}
  - {id: good, name: 良好, min: 75}
  - {id: fail, name: 不合格}
flags:
  - id: no_honours
    name: 取消评先资格
    raised_by: [{rule: renotice, at_least: 2}]
  - id: veto
    name: 一票否决
    veto: true
    raised_by: [{rule: renotice, at_least: 4}]
"""
)

UNITS = ("a", "b", "c", "d", "e")
ROSTER = Roster(units=tuple(Unit(id=u, name=f"{u}镇", kind="town") for u in UNITS))


def run(plan: dict[str, tuple[int, int, int]], text: str = SCHEME) -> Report:
    """plan: unit → (failed inspections, district praises, city praises)."""
    scheme = parse_scheme(text, "outcomes.yaml")
    records: list[dict[str, object]] = []
    for unit, (failed, district, city) in plan.items():
        for n in range(failed):
            records.append(
                {
                    "type": "inspection",
                    "date": f"2024-02-{n + 1:02d}",
                    "unit": unit,
                    "has_staff": False,
                }
            )
        for level, count, month in (("district", district, 5), ("city", city, 6)):
            for n in range(count):
                day = f"2024-{month:02d}-{n + 1:02d}"
                records.append(
                    {
                        "type": "commendation",
                        "date": day,
                        "unit": unit,
                        "level": level,
                        "circulated": True,
                    }
                )
    numbered = [{"id": f"e{i:03d}", **r} for i, r in enumerate(records, 1)]
    return score(scheme, ROSTER, parse_events(numbered, scheme, ROSTER))


def test_the_cap_applies_before_the_sections_beyond_it() -> None:
    report = run({"a": (0, 3, 0), "b": (0, 1, 2), "c": (1, 0, 0), "d": (0, 0, 0), "e": (0, 0, 0)})
    a, b, c = report.unit("a"), report.unit("b"), report.unit("c")
    # a: 80 + 30 (merit, at its 30 top) = 110 → capped at 100; no city praise
    assert (a.total, a.cut_by_cap) == (Decimal(100), Decimal(10))
    # b: 80 + 30 (1 district + 2 city praises, 10 each) → 100 after the cap; + 10 extra (2 × 5)
    assert (b.total, b.cut_by_cap) == (Decimal(110), Decimal(10))
    # c: 80 − 5 = 75, under the cap
    assert (c.total, c.cut_by_cap) == (Decimal(75), Decimal(0))
    assert a.exact_total == 100 and b.exact_total == 110


CONVERSION = "conversion: {name: 绩效管理内容得分, full_score: 90, target_points: 10, cap: CAP}\n"


@pytest.mark.parametrize("cap", [True, False])
def test_a_scaled_conversion_is_capped_at_the_target_points(cap: bool) -> None:
    text = SCHEME + CONVERSION.replace("CAP", str(cap).lower())
    plan = {"a": (0, 2, 0), "b": (0, 1, 2), "c": (1, 0, 0), "d": (0, 0, 0), "e": (1, 1, 0)}
    converted = {u.unit: str(u.converted) for u in run(plan, text).units}
    # "converted = shown total ÷ full_score × target_points", to 2 places (half up), and
    # with `cap: true` never more than target_points: total ÷ 90 × 10, at most 10.
    # a 80 + 20 = 100 → 11.11…; b 100 (capped) + 10 beyond = 110 → 12.22…
    # c 80 − 5 = 75 → 8.33…; d 80 → 8.88… → 8.89; e 80 − 5 + 10 = 85 → 9.44…
    expected = {"a": "11.11", "b": "12.22", "c": "8.33", "d": "8.89", "e": "9.44"}
    if cap:
        expected |= {"a": "10.00", "b": "10.00"}
    assert converted == expected


def test_grades_with_a_quota_per_group() -> None:
    # totals: a 100, b 110, c 75, d 90, e 95 → 40% of 5 units = 2 may be excellent
    report = run({"a": (0, 2, 0), "b": (0, 1, 2), "c": (1, 0, 0), "d": (0, 1, 0), "e": (1, 2, 0)})
    totals = {u.unit: u.total for u in report.units}
    assert totals == {"a": 100, "b": 110, "c": 75, "d": 90, "e": 95}
    grades = {u.unit: u.grade for u in report.units}
    # b and a take the two excellent places; e (95) and d (90) qualify but fall to good
    assert grades == {"b": "excellent", "a": "excellent", "e": "good", "d": "good", "c": "good"}


def test_a_tie_that_would_overflow_the_quota_is_left_out() -> None:
    # a 110, b 100, c 100 → 40% of 5 = 2 places, but b and c tie for the second
    report = run({"a": (0, 1, 2), "b": (0, 2, 0), "c": (0, 2, 0), "d": (3, 0, 0), "e": (6, 0, 0)})
    grades = {u.unit: u.grade_name for u in report.units}
    assert grades == {"a": "优秀", "b": "良好", "c": "良好", "d": "不合格", "e": "不合格"}


def test_flags_and_the_veto() -> None:
    # d: 2 failed inspections → no honours; e: 4 → veto, lowest grade despite 95 points
    report = run({"a": (0, 0, 0), "b": (0, 0, 0), "c": (0, 0, 0), "d": (2, 1, 0), "e": (4, 3, 2)})
    d, e = report.unit("d"), report.unit("e")
    assert [f.id for f in d.flags] == ["no_honours"]
    assert [f.id for f in e.flags] == ["no_honours", "veto"]
    assert e.total == Decimal(80 - 20 + 30) + 10  # 90 inside the cap, + 10 beyond it
    assert e.grade == "fail"
    assert d.grade == "good"  # 80 − 10 + 10 = 80


def test_reports_show_grades_flags_and_the_cap() -> None:
    report = run({"a": (0, 3, 0), "b": (0, 0, 0), "c": (0, 0, 0), "d": (0, 0, 0), "e": (4, 0, 0)})
    table = render_table(report)
    assert "封顶扣减" in table and "等次" in table and "一票否决" in table
    csv = render_csv(report)
    assert csv.splitlines()[0].endswith("封顶扣减,等次,标记")
    explanation = render_explanation(report, report.unit("a"))
    assert "− 10.00(封顶) = 100.00" in explanation


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        (
            "beyond_cap: [extra]",
            "beyond_cap: [extr]",
            "total.beyond_cap[0]",
            "did you mean 'extra'?",
        ),
        (
            "- {id: fail, name: 不合格}",
            "- {id: fail, name: 不合格, min: 0}",
            "grades[2].min",
            "remove its `min`",
        ),
        (
            "{id: good, name: 良好, min: 75}",
            "{id: good, name: 良好, min: 95}",
            "grades[1].min",
            "must be below",
        ),
        (
            "{rule: renotice, at_least: 4}",
            "{rule: renotise, at_least: 4}",
            "flags[1].raised_by[0].rule",
            "did you mean 'renotice'?",
        ),
        ("quota: 0.4", "quota: 40", "grades[0].quota", "less than or equal to 1"),
    ],
)
def test_outcome_settings_are_validated(old: str, new: str, path: str, message: str) -> None:
    assert old in SCHEME
    with pytest.raises(SchemeError) as caught:
        parse_scheme(SCHEME.replace(old, new), "outcomes.yaml")
    found = {p.path: p for p in caught.value.problems}
    assert path in found, found
    assert message in found[path].message and found[path].line > 0
