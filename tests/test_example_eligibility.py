"""The eligibility example scheme over its example events; every figure computed by hand
from the sentences of schemes/examples/eligibility.yaml."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from builders import ROOT, score_example

import assessment
from assessment.render import csv, table

SCHEME = ROOT / "schemes/examples/eligibility.yaml"
EXAMPLE = ROOT / "examples/eligibility"


def test_the_eligibility_example_scores_as_computed_by_hand() -> None:
    report = score_example(SCHEME, EXAMPLE)
    found: dict[str, tuple[object, ...]] = {
        u.unit: (
            u.section("completion").exact,
            u.section("campaign").exact,
            u.section("discipline").exact,
            u.section("bonus").exact,
            u.exact_total,
        )
        for u in report.units
    }
    assert found == {
        # every item on time: 50 and 5 + 5; one criticism −1 ("每次扣1分");
        # province +3, city +2, two reports rated 1.5 (one written as text "1.5"): 3+2+1.5+1.5 = 8
        "town-a": (50, 10, 9, 8, Fraction(77)),
        # KB1 closed on its due day is on time; city +2 twice, reports 1 + 1: 6
        "town-b": (50, 10, 10, 6, Fraction(76)),
        # one criticism; province 3 + city 2 + reports 0.5 + 1.5 = 7
        "town-c": (50, 10, 9, 7, Fraction(76)),
        # only the safety campaign: "均未承担" is not met, so it is assessed and keeps the
        # environment campaign's 5; two criticisms −2; 3 + 3 + 2 + 1.5 + 1 = 10.5, capped at 10
        "town-d": (50, 10, 8, 10, Fraction(78)),
        # KF1 closed late and KF2 never closed: 50 × 0/2 = 0; the environment campaign done,
        # safety not undertaken and kept: 10; 0 + 10 + 10 + 0 = 20
        "town-f": (0, 10, 10, 0, Fraction(20)),
        # no item at all: "两项专项行动均未承担" leaves it out; it keeps every share; district +1
        "town-e": (50, 10, 10, 1, Fraction(71)),
    }


def test_bars_ranks_and_grades_follow_the_flags() -> None:
    report = score_example(SCHEME, EXAMPLE)
    outcomes = {
        u.unit: (u.rank, u.assessed, u.grade, [f.id for f in u.flags], u.barred_from, u.best_grade)
        for u in report.units
    }
    barred = ("commendation", "quota", "grades")
    assert outcomes == {
        # two criticisms (五(一)): no 优秀 whatever its 78, the best total; 良好 (min 70)
        "town-d": (1, True, "good", ["no_honours"], barred, "good"),
        # 优秀 quota: floor(50% × 5 graded units) = 2; without town-d the candidates are
        # 77, 76, 76: the 2nd and 3rd tie at the edge and "得分并列的,一并评为优秀": all three
        "town-a": (2, True, "excellent", [], (), None),
        "town-b": (3, True, "excellent", [], (), None),
        "town-c": (3, True, "excellent", [], (), None),
        # KF2 open 184 days past 2025-06-30 (> 90) and two items incomplete: graded 不合格
        # (20 < 60) but not ranked; the others' ranks close up (1, 2, 3, 3)
        "town-f": (
            None,
            True,
            "fail",
            ["no_honours", "incomplete_twice"],
            ("commendation", "quota", "ranking", "grades"),
            "good",
        ),
        # no item: not assessed (neither ranked nor graded), and no commendation (五(三))
        "town-e": (None, False, None, ["no_items"], ("commendation",), None),
    }
    f = report.unit("town-f")
    assert [fl.conditions for fl in f.flags] == [
        ("逾期超过90天的事项 1 项(至少 1 项)",),  # KF1 is 15 days late: not counted
        ("未完成的事项 2 项(至少 2 项)",),
    ]
    assert report.unit("town-d").flags[0].rules == ("criticism",)
    assert report.unit("town-e").flags[0].conditions == ("交办的事项 0 项(至多 0 项)",)


def test_the_table_and_csv_show_each_bar() -> None:
    report = score_example(SCHEME, EXAMPLE)
    shown = table(report)
    assert "资格限制" in shown
    assert "不得评先评优、不占等次名额、最高评为良好" in shown
    rows = csv(report).splitlines()
    assert rows[0].endswith(",标记,资格限制")
    row_f = next(r for r in rows if ",town-f," in r)
    assert row_f.endswith(",不得评先评优、不占等次名额、不参加排名、最高评为良好")
    assert row_f.startswith("乡镇,不参加排名,")


def test_as_of_mid_year_the_long_overdue_item_is_not_yet_90_days_late() -> None:
    scheme = assessment.load_scheme(SCHEME)
    roster = assessment.read_roster(EXAMPLE / "roster.csv", scheme)
    events = assessment.read_events(EXAMPLE / "events.jsonl", scheme, roster)
    # As of 2025-09-28, KF2 (due 2025-06-30) is 90 days overdue: not more than 90.
    # As of 2025-09-29 it is 91 days overdue.
    before = assessment.score(scheme, roster, events, as_of=dt.date(2025, 9, 28))
    after = assessment.score(scheme, roster, events, as_of=dt.date(2025, 9, 29))
    assert "no_honours" not in [fl.id for fl in before.unit("town-f").flags]
    assert "no_honours" in [fl.id for fl in after.unit("town-f").flags]


def test_the_explanation_says_what_raised_each_flag_and_what_it_bars() -> None:
    report = score_example(SCHEME, EXAMPLE)
    text = assessment.render.explanation(report, report.unit("town-f"))
    assert "标记 取消评先评优资格: 由 逾期超过90天的事项 1 项(至少 1 项) 触发" in text
    assert "资格限制 不得评先评优、不占等次名额、不参加排名、最高评为良好" in text
