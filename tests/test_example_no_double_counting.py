"""The no-double-counting example scheme over its example events; every figure computed by
hand from the sentences of schemes/examples/no-double-counting.yaml."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import assessment
from assessment import Line, UnitResult

ROOT = Path(__file__).resolve().parent.parent


def _report() -> assessment.Report:
    scheme = assessment.load_scheme(ROOT / "schemes/examples/no-double-counting.yaml")
    folder = ROOT / "examples/no-double-counting"
    roster = assessment.read_roster(folder / "roster.csv", scheme)
    return assessment.score(
        scheme, roster, assessment.read_events(folder / "events.jsonl", scheme, roster)
    )


def _lines(unit: UnitResult, rule: str) -> list[tuple[object, ...]]:
    return [(x.events, x.points, x.applied) for x in unit.lines if x.rule == rule]


def test_the_example_scores_as_computed_by_hand() -> None:
    found = {
        u.unit: (
            u.section("handling").exact,
            u.section("discipline").exact,
            u.section("bonus").exact,
            u.exact_total,
        )
        for u in _report().units
    }
    assert found == {
        # 督查事项办理: A2 complete of 3 due (A1 closed late, A3 open): 75 × 1/3 = 25.
        # 工作纪律 (同一事项按扣分较多的一项): A1 criticised 3 times (−3) beats not done in
        # time (−2), all three count; A3 not done in time (−2) beats one criticism (−1); a
        # criticism about no item (−1) counts on its own: 25 − 3 − 2 − 1 = 19.
        # 加分 (同一事项按加分较高的一项): A2 praised (+2) beats closed 25 days early (+1);
        # awards, the highest one only: city +3, not the district's +2: 2 + 3 = 5.
        "town-a": (Fraction(25), Fraction(19), Fraction(5), Fraction(49)),
        # B1, B2 complete: 75. B2's criticism (−1) is the only deduction on B2: 25 − 1 = 24.
        # B1 praised twice (+2 +2 = 4) beats closed 21 days early (+1): both praises count;
        # two district awards count as one (+2, 按最高一项, not +4): 4 + 2 = 6.
        "town-b": (Fraction(75), Fraction(24), Fraction(6), Fraction(105)),
        # D2 complete of 2 (D1 closed late): 75 × 1/2 = 37.5. D1 not done in time: 25 − 2.
        # D2 closed 30 days early (+1, nothing else on D2); a praise about no item (+2).
        "dept-a": (Fraction(75, 2), Fraction(23), Fraction(3), Fraction(127, 2)),
    }


def test_the_rule_that_counted_more_counts_every_time_and_the_other_says_which() -> None:
    town_a = _report().unit("town-a")
    assert _lines(town_a, "criticism") == [
        (("N004",), -1, -1),
        (("N005",), -1, -1),
        (("N006",), -1, -1),
        (("N010",), -1, -1),  # about no item: a matter of its own
        (("N011",), -1, 0),  # A3: not done in time counted instead
    ]
    assert _lines(town_a, "not_on_time") == [(("N001", "N007"), -2, 0), (("N003",), -2, -2)]
    a1 = next(x for x in town_a.lines if x.rule == "not_on_time" and x.events == ("N001", "N007"))
    assert a1.limited_by == "exclusive"
    assert "已按「被通报批评」计 -3 分" in a1.detail
    a3 = next(x for x in town_a.lines if x.rule == "criticism" and x.events == ("N011",))
    assert "已按「督查事项未按期办结」计 -2 分" in a3.detail


def test_only_the_highest_award_counts_in_a_year() -> None:
    town_b = _report().unit("town-b")
    awards: list[Line] = [x for x in town_b.lines if x.rule == "award_district"]
    # 按最高一项计分,不累加: of two equal district awards the first counts, the second is 0.
    found: list[tuple[object, ...]] = [(x.events, x.applied, x.limited_by) for x in awards]
    assert found == [
        (("N021",), 2, None),
        (("N022",), 0, "exclusive"),
    ]
    assert _lines(town_b, "praise") == [(("N018",), 2, 2), (("N020",), 2, 2)]
    assert _lines(town_b, "early") == [(("N014", "N017"), 1, 0)]
