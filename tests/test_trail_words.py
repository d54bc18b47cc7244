"""The explanation trail: each line dated at the event that decided it, counted as the scheme
means, worded as what happened to it, and showing the values that decided it.

Every expected figure is worked out by hand from the rules' sentences, in the comments.
"""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction

import pytest
from builders import scheme_head

from assessment import Report, Roster, Unit, parse_events, parse_scheme, score
from assessment.render import explanation as render_explanation

SCHEME = (
    scheme_head("trail", "说明测试方案", 30, kinds=("town", "department"))
    + """\
categories:
  - {id: tasks, name: 任务, clause: 一, points: 20, method: proportional}
sections:
  - id: work
    name: 完成任务
    clause: 一
    points: 20
    rules:
      - {id: completion, kind: completion, name: 完成, clause: 一, text: 按比例扣分, categories: [tasks]}
  - id: discipline
    name: 工作纪律
    clause: 二
    points: 10
    rules:
      - id: criticism
        kind: per_event
        name: 通报批评
        clause: 二
        text: 受到通报批评的每次扣6分,部门不扣分
        event: commendation
        where: {circulated: false}
        points: -6
        multiply: [{of: unit_kind, table: {department: 0}}]
      - id: restored
        kind: per_item
        name: 按期完成加回
        clause: 二
        text: 按期完成一项加回2分
        status: complete
        points: 2
        sign: any
        note: The section starts full; this rule gives back points it lost.
  - id: bonus
    name: 工作奖励
    clause: 三
    points: 10
    start: zero
    rules:
      - id: praise
        kind: per_event
        name: 通报表扬
        clause: 三
        text: 受到通报表扬的每次加5分,总加分不超过10分
        event: commendation
        where: {circulated: true}
        points: 5
      - id: not_done
        kind: per_item
        name: 未完成扣分
        clause: 三
        text: 未完成的每项扣2分
        status: incomplete
        points: -2
        sign: any
        note: The section starts at zero; this rule takes back points it gained.
flags:
  - id: no_honours
    name: 取消评先资格
    raised_by: [{rule: criticism, at_least: 2}]
"""
)
Record = dict[str, object]
TOWN, DEPT = "t1", "d1"
ROSTER = Roster(
    units=(Unit(id=TOWN, name="一镇", kind="town"), Unit(id=DEPT, name="一局", kind="department"))
)


def _report(records: list[Record], as_of: date | None = None) -> Report:
    scheme = parse_scheme(SCHEME, "trail.yaml")
    numbered = [{"id": f"e{n}", **r} for n, r in enumerate(records, 1)]
    return score(scheme, ROSTER, parse_events(numbered, scheme, ROSTER), as_of)


def _praise(day: str, unit: str = TOWN) -> dict[str, object]:
    return {"type": "commendation", "date": day, "unit": unit, "level": "city", "circulated": True}


def _criticism(day: str, unit: str = TOWN) -> dict[str, object]:
    return {"type": "commendation", "date": day, "unit": unit, "level": "city", "circulated": False}


def _item(name: str, due: str, unit: str = TOWN) -> dict[str, object]:
    return {
        "type": "item_assigned",
        "date": "2024-01-05",
        "unit": unit,
        "item": name,
        "category": "tasks",
        "due": due,
    }


def test_a_line_is_dated_at_the_assessment_that_made_its_item_incomplete() -> None:
    # The item is closed on time in June (complete), then assessed at 0.5 in December: it is
    # incomplete from the assessment on. Two praises (+5 each, September and October) fill the
    # bonus's 10; December's −2 leaves 8. The line belongs on 2024-12-20: dated at the closure
    # in June (as before), the trail said the unit lost the points before it gained any, and
    # the first line read "applied 0, the section was at its floor" (a section settles its
    # lines' sum at once, so its score was 8 either way).
    records: list[Record] = [
        _item("A", "2024-06-30"),
        {"type": "item_closed", "date": "2024-06-20", "unit": TOWN, "item": "A"},
        _praise("2024-09-10"),
        _praise("2024-10-10"),
        {
            "type": "item_assessed",
            "date": "2024-12-20",
            "unit": TOWN,
            "item": "A",
            "completion": "0.5",
        },
    ]
    town = _report(records).unit(TOWN)
    assert town.section("bonus").exact == 8
    (line,) = [x for x in town.lines if x.rule == "not_done"]
    assert (line.date, line.points, line.applied) == (
        date(2024, 12, 20),
        Fraction(-2),
        Fraction(-2),
    )
    # Scored as of November, before the assessment, the item is complete and costs nothing.
    november = _report(records, date(2024, 11, 30)).unit(TOWN)
    assert [x.rule for x in november.lines if x.rule == "not_done"] == []
    assert november.section("bonus").exact == 10


def test_a_flag_counts_occurrences_not_lines_a_multiplier_made_zero() -> None:
    # Two criticisms each: the town's cost 6 each (10 − 12: the floor stops the second at −4,
    # and it still counts: the unit was criticised twice); the department's are multiplied by 0,
    # so it was never criticised in the scheme's sense.
    records = [
        _criticism(day, unit) for day in ("2024-03-01", "2024-04-01") for unit in (TOWN, DEPT)
    ]
    report = _report(records)
    town, dept = report.unit(TOWN), report.unit(DEPT)
    town_lines = [x for x in town.lines if x.rule == "criticism"]
    assert [(x.points, x.applied, x.limited_by) for x in town_lines] == [
        (Fraction(-6), Fraction(-6), None),
        (Fraction(-6), Fraction(-4), "section_floor"),
    ]
    assert [f.id for f in town.flags] == ["no_honours"]
    # A line a multiplier made 0 says nothing the department did: it is not shown, where it
    # would read as a finding of 0 points.
    assert [x for x in dept.lines if x.rule == "criticism"] == []
    assert dept.flags == ()


# Points held past a section's limit, then taken up by a later line of the other sign: each
# case is the records, the section, its start, its lines as (rule, points, applied,
# limited_by, later_offset, offset), its exact score, and the two sentences that say so.
HELD_PAST_A_LIMIT = [
    (
        # Three praises of 5 against a cap of 10: the third goes 5 past it. Item B, due in
        # November and never closed, costs 2 on its deadline: taken from the 5 held past the
        # cap, so the bonus stays at 10. The third praise counted for nothing and 2 of its 5
        # offset the deduction; the deduction moved nothing, offset.
        "a bonus past the cap later offsets a deduction",
        [
            _praise("2024-03-01"),
            _praise("2024-04-01"),
            _praise("2024-05-01"),
            _item("B", "2024-11-30"),
        ],
        ("bonus", 0),
        [
            ("praise", Fraction(5), Fraction(5), None, None, None),
            ("praise", Fraction(5), Fraction(5), None, None, None),
            ("praise", Fraction(5), Fraction(0), "section_cap", Fraction(2), None),
            ("not_done", Fraction(-2), Fraction(0), "offset", None, Fraction(2)),
        ],
        10,
        (
            "+5(实计 +0:本项已达满分或上限;超出部分中 2 分抵减了此后的扣分)",
            "-2(实计 +0:其中 2 分由此前超出上限的加分抵减;本项得分不变)",
        ),
    ),
    (
        # Two criticisms (−6, −6) take the discipline section from 10 to 0, 2 past its floor.
        # Item C is closed on time in July: +2 (按期完成加回), taken up by the 2 held past the
        # floor, so the section stays at 0.
        "points past the floor are taken up by a later addition",
        [
            _criticism("2024-03-01"),
            _criticism("2024-04-01"),
            _item("C", "2024-07-31"),
            {"type": "item_closed", "date": "2024-07-20", "unit": TOWN, "item": "C"},
        ],
        ("discipline", 10),
        [
            ("criticism", Fraction(-6), Fraction(-6), None, None, None),
            ("criticism", Fraction(-6), Fraction(-4), "section_floor", Fraction(2), None),
            ("restored", Fraction(2), Fraction(0), "offset", None, Fraction(2)),
        ],
        0,
        (
            "-6(实计 -4:本项分值已扣完;超出部分中 2 分抵减了此后的加分)",
            "+2(实计 +0:其中 2 分由此前超出扣完下限的扣分抵减;本项得分不变)",
        ),
    ),
]


@pytest.mark.parametrize(
    ("records", "section", "expected", "exact", "sentences"),
    [case[1:] for case in HELD_PAST_A_LIMIT],
    ids=[case[0] for case in HELD_PAST_A_LIMIT],
)
def test_points_held_past_a_limit_that_a_later_line_takes_up_say_so(
    records: list[Record],
    section: tuple[str, int],
    expected: list[tuple[str, Fraction, Fraction, str | None, Fraction | None, Fraction | None]],
    exact: int,
    sentences: tuple[str, str],
) -> None:
    report = _report(records)
    town = report.unit(TOWN)
    name, start = section
    lines = [x for x in town.lines if x.section == name]
    assert [
        (x.rule, x.points, x.applied, x.limited_by, x.later_offset, x.offset) for x in lines
    ] == expected
    assert town.section(name).exact == exact == start + sum(x.applied for x in lines)
    text = render_explanation(report, town)
    for sentence in sentences:
        assert sentence in text


def test_lines_show_the_values_that_decided_them_in_text_and_json() -> None:
    records: list[Record] = [
        _praise("2024-03-01"),
        _item("D", "2024-05-31"),
        {"type": "item_closed", "date": "2024-06-10", "unit": TOWN, "item": "D"},
    ]
    report = _report(records)
    town = report.unit(TOWN)
    (praise,) = [x for x in town.lines if x.rule == "praise"]
    assert praise.facts == {"level": "city", "circulated": "true"}
    # D closed ten days late: incomplete in its category (one item of 20 points: −20).
    (completion,) = [x for x in town.lines if x.rule == "completion"]
    assert completion.facts == {
        "item": "D",
        "category": "tasks",
        "share": "20",
        "due": "2024-05-31",
        "completion": "0",
        "settled_by": "closed_late",
    }
    dumped = json.loads(report.explained(town.unit).model_dump_json())
    assert {"level": "city", "circulated": "true"} in [line["facts"] for line in dumped["lines"]]
    assert "依据: level=city, circulated=true" in render_explanation(report, town)


def test_a_periodic_rule_of_no_points_raises_the_flag_it_exists_for() -> None:
    # 累计3次未报送的取消评先资格, with no points of its own: every missed or late month is a
    # line of 0 points, and `count: lines` counts them. Reports for January to September
    # only: October, November and December are missed, 3 lines, the flag is raised.
    text = SCHEME.replace(
        "flags:\n",
        "",
    ).replace(
        "  - id: no_honours\n    name: 取消评先资格\n    raised_by: [{rule: criticism, at_least: 2}]\n",
        "",
    )
    text += """
      - id: reports_flag
        kind: periodic
        name: 月报(计次)
        clause: 二
        text: 累计3次未按时上报的取消评先资格
        event: report_submitted
        period_field: month
        missed: 0
        late: 0
flags:
  - id: no_honours
    name: 取消评先资格
    raised_by: [{rule: reports_flag, at_least: 3, count: lines}]
"""
    scheme = parse_scheme(text, "trail.yaml")
    records = [
        {
            "id": f"r{m}",
            "type": "report_submitted",
            "date": f"2024-{m:02d}-25",
            "unit": TOWN,
            "month": f"2024-{m:02d}",
        }
        for m in range(1, 10)
    ]
    report = score(scheme, ROSTER, parse_events(records, scheme, ROSTER))
    town = report.unit(TOWN)
    lines = [x for x in town.lines if x.rule == "reports_flag"]
    zero = Fraction(0)
    assert [(x.date, x.points) for x in lines] == [
        (date(2024, 10, 31), zero),
        (date(2024, 11, 30), zero),
        (date(2024, 12, 31), zero),
    ]
    assert [f.id for f in town.flags] == ["no_honours"]


LIMITS = (
    scheme_head("limits", "上下限测试方案", 10)
    + """\
sections:
  - id: gains
    name: 加减分
    clause: 一
    points: 10
    start: zero
    rules:
      - {id: adjust_gains, kind: adjustment, name: 调整, clause: 一, text: 综合评分, min: -20, max: 20}
  - id: losses
    name: 扣分
    clause: 二
    points: 10
    rules:
      - {id: adjust_losses, kind: adjustment, name: 调整, clause: 二, text: 综合评分, min: -20, max: 0}
      - id: criticism
        kind: per_event
        name: 通报批评
        clause: 二
        text: 每次扣4分,最多扣6分
        event: commendation
        where: {circulated: false}
        points: -4
        cap: 6
"""
)


LimitLine = tuple[str, Fraction, Fraction, str | None, Fraction | None, Fraction | None]


def _limits(
    records: list[Record],
) -> tuple[
    Report, list[tuple[str, Fraction, Fraction, str | None, Fraction | None, Fraction | None]]
]:
    scheme = parse_scheme(LIMITS, "limits.yaml")
    roster = Roster(units=(Unit(id=TOWN, name="一镇", kind="town"),))
    numbered = [{"id": f"e{n}", **r} for n, r in enumerate(records, 1)]
    report = score(scheme, roster, parse_events(numbered, scheme, roster))
    lines: list[LimitLine] = [
        (x.section, x.points, x.applied, x.limited_by, x.offset, x.later_offset)
        for x in report.unit(TOWN).lines
    ]
    return report, lines


def _adjust(rule: str, day: str, points: str) -> Record:
    return {
        "type": "adjustment",
        "date": day,
        "unit": TOWN,
        "rule": rule,
        "points": points,
        "reason": "综合评分",
    }


def test_a_line_partly_offset_moves_the_section_by_the_rest() -> None:
    # [0, 10] starting at 0: +12 counts 10 (2 past the top); −3 is first taken up by those
    # 2, then moves the section by −1 (9); −5 moves it by −5 (4). 10 − 1 − 5 = 4.
    report, lines = _limits(
        [
            _adjust("adjust_gains", "2024-03-01", "12"),
            _adjust("adjust_gains", "2024-04-01", "-3"),
            _adjust("adjust_gains", "2024-05-01", "-5"),
        ]
    )
    gains = [x for x in lines if x[0] == "gains"]
    assert gains == [
        ("gains", Fraction(12), Fraction(10), "section_cap", None, Fraction(2)),
        ("gains", Fraction(-3), Fraction(-1), "offset", Fraction(2), None),
        ("gains", Fraction(-5), Fraction(-5), None, None, None),
    ]
    assert report.unit(TOWN).section("gains").exact == 4
    text = render_explanation(report, report.unit(TOWN))
    assert "-3(实计 -1:其中 2 分由此前超出上限的加分抵减)" in text


def test_a_line_past_both_limits_says_both() -> None:
    # +12 counts 10 (2 past the top); −15 is taken up by those 2, moves the section by −10
    # to its floor of 0, and 3 go past the floor: −15 = −2 − 10 − 3.
    report, lines = _limits(
        [
            _adjust("adjust_gains", "2024-03-01", "12"),
            _adjust("adjust_gains", "2024-04-01", "-15"),
        ]
    )
    assert [x for x in lines if x[0] == "gains"] == [
        ("gains", Fraction(12), Fraction(10), "section_cap", None, Fraction(2)),
        ("gains", Fraction(-15), Fraction(-10), "section_floor", Fraction(2), None),
    ]
    text = render_explanation(report, report.unit(TOWN))
    assert "-15(实计 -10:其中 2 分由此前超出上限的加分抵减;本项分值已扣完)" in text


def test_a_rule_cap_behind_the_floor_is_said_too() -> None:
    # 10 − 8 (adjustment) = 2; the first criticism −4 counts −2 (floor, 2 past it); the second
    # −4 is cut to −2 by the rule's cap of 6, and those 2 go past the floor: it counts 0.
    report, _ = _limits(
        [
            _adjust("adjust_losses", "2024-03-01", "-8"),
            {
                "type": "commendation",
                "date": "2024-04-01",
                "unit": TOWN,
                "level": "city",
                "circulated": False,
            },
            {
                "type": "commendation",
                "date": "2024-05-01",
                "unit": TOWN,
                "level": "city",
                "circulated": False,
            },
        ]
    )
    town = report.unit(TOWN)
    second = [x for x in town.lines if x.rule == "criticism"][-1]
    assert (second.points, second.allowed, second.applied, second.limited_by) == (
        Fraction(-4),
        Fraction(-2),
        Fraction(0),
        "section_floor",
    )
    assert "-4(实计 +0:本规则累计上限已满;本项分值已扣完)" in render_explanation(report, town)
