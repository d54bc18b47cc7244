"""Manual year-end adjustments: signed points with a reason, bounded by the scheme."""

from __future__ import annotations

from fractions import Fraction

import pytest
from builders import scheme_head

from assessment import EventsError, Roster, Unit, parse_events, parse_scheme, score

SCHEME = (
    scheme_head("adjustments", "年终综合评分", 10)
    + """\
sections:
  - id: year_end
    name: 年终考评
    clause: 三(八)
    points: 10
    floor: 0
    rules:
      - id: comprehensive
        kind: adjustment
        name: 综合评分调整
        clause: 三(八)
        text: 对各责任单位督查事项完成情况进行综合评分
        min: -3
        max: 0
"""
)
ROSTER = Roster(units=(Unit(id="t1", name="一镇", kind="town"),))


def adjust(
    points: object, day: str = "2024-12-20", rule: str = "comprehensive"
) -> dict[str, object]:
    return {
        "type": "adjustment",
        "date": day,
        "unit": "t1",
        "rule": rule,
        "points": points,
        "reason": "实地检查发现台账不实",
    }


def run(*records: dict[str, object]) -> tuple[Fraction, list[tuple[Fraction, Fraction]]]:
    scheme = parse_scheme(SCHEME, "adjustments.yaml")
    numbered = [{"id": f"a{i}", **r} for i, r in enumerate(records, 1)]
    unit = score(scheme, ROSTER, parse_events(numbered, scheme, ROSTER)).unit("t1")
    return unit.section("year_end").exact, [(line.points, line.applied) for line in unit.lines]


def test_an_adjustment_is_its_own_line_with_its_reason() -> None:
    scheme = parse_scheme(SCHEME, "adjustments.yaml")
    log = parse_events([{"id": "a1", **adjust("-1.5")}], scheme, ROSTER)
    unit = score(scheme, ROSTER, log).unit("t1")
    (line,) = unit.lines
    assert (line.rule, line.points, line.events) == ("comprehensive", Fraction(-3, 2), ("a1",))
    assert "实地检查发现台账不实" in line.detail
    assert unit.section("year_end").exact == 10 - Fraction(3, 2)


def test_adjustments_stay_within_the_schemes_bounds() -> None:
    # −2, then −2: the running sum may not pass −3, so the second applies only −1;
    # then +1 brings the sum from −3 to −2, inside [−3, 0]
    exact, lines = run(adjust(-2, "2024-12-01"), adjust(-2, "2024-12-02"), adjust(1, "2024-12-03"))
    expected = [(-2, -2), (-2, -1), (1, 1)]
    assert lines == [(Fraction(a), Fraction(b)) for a, b in expected]
    assert exact == 10 - 2


def test_an_adjustment_must_name_an_adjustment_rule_and_give_a_reason() -> None:
    scheme = parse_scheme(SCHEME, "adjustments.yaml")
    records = [
        {"id": "a1", **adjust(-1, rule="comprehensiv")},
        {
            "id": "a2",
            "type": "adjustment",
            "date": "2024-12-01",
            "unit": "t1",
            "rule": "comprehensive",
            "points": -1,
        },
        {"id": "a3", **adjust("lots")},
    ]
    with pytest.raises(EventsError) as caught:
        parse_events(records, scheme, ROSTER)
    found = {(p.line, p.path): p.message for p in caught.value.problems}
    assert "did you mean 'comprehensive'?" in found[(1, "rule")]
    assert found[(2, "reason")] == "required field 'reason' is missing"
    assert (3, "points") in found


def test_an_adjustment_of_0_is_shown_as_recorded_not_as_a_finding() -> None:
    # 综合评分 0 分, with its reason: a decision someone recorded, so its line stays, as
    # info (a line a multiplier made 0 would be left out).
    scheme = parse_scheme(SCHEME, "adjustments.yaml")
    log = parse_events([{"id": "a1", **adjust("0")}], scheme, ROSTER)
    unit = score(scheme, ROSTER, log).unit("t1")
    assert [(x.points, x.applied, x.purpose) for x in unit.lines] == [
        (Fraction(0), Fraction(0), "info")
    ]
    assert unit.section("year_end").exact == 10
