"""The counting-scope example over its example events: counting per item and per month, and
points taken from the event within a band; every figure computed by hand from the rules'
sentences."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from builders import ROOT, score_example

import assessment
from assessment.errors import EventsError

SCHEME = ROOT / "schemes/examples/counting-scope.yaml"
EXAMPLE = ROOT / "examples/counting-scope"


def _lines(report: assessment.Report, unit: str, rule: str) -> list[tuple[Fraction, Fraction]]:
    return [(line.points, line.applied) for line in report.unit(unit).lines if line.rule == rule]


def test_the_counting_scope_example_scores_as_computed_by_hand() -> None:
    report = score_example(SCHEME, EXAMPLE)
    found = {
        u.unit: tuple(u.section(s).exact for s in ("supervision", "completion", "bonus"))
        for u in report.units
    }
    assert found == {
        # 督办落实 40: notices A2 −1 (its 1st); A5 −1 −3 −10, the last cut to −6 by the
        # 10 per item; late feedback: April's 4 count 3 (−1.5), May's 1 (−0.5); April
        # reached 2 in a month: −1; the city's −1.5 doubled: −3. 40 −1 −10 −2 −1 −3 = 23.
        # 任务完成 60: key_tasks 40 × 4/5 (A5 closed late) + instructions 20 = 52.
        # 加分 5: March's 4 closures on time count 3 (+1.5), May's A6 +0.5; praise 1 + 0.5.
        "town-a": (Fraction(23), Fraction(52), Fraction(7, 2)),
        # notices on B2 −1 −3 (its own count: the 1st is −1 whatever town-a had);
        # June's 2 late feedbacks −1, and the threshold −1: 40 − 4 − 1 − 1 = 34.
        # key_tasks 40 + instructions 0 (B2 never closed) = 40; B1 in March +0.5, praise +0.5.
        "town-b": (Fraction(34), Fraction(40), Fraction(1)),
        # late feedback in January and February, one a month: −1 and no threshold
        # (it counts per month); the city's −2 doubled: −4. 40 − 1 − 4 = 35.
        # everything on time: 60; D1 and D2 in April: +0.5 +0.5.
        "dept-a": (Fraction(35), Fraction(60), Fraction(1)),
    }
    assert {u.unit: u.exact_total for u in report.units} == {
        "town-a": Fraction(157, 2),  # 23 + 52 + 3.5
        "town-b": Fraction(75),
        "dept-a": Fraction(96),
    }


def test_steps_and_the_cap_count_each_item_apart() -> None:
    report = score_example(SCHEME, EXAMPLE)
    # 第一次扣1分,第二次扣3分,第三次及以上每次扣10分;同一事项累计扣分不超过10分:
    # A2's one notice is its 1st (−1); A5's three are −1, −3, −10, of which 10 − 1 − 3 = 6 count.
    assert _lines(report, "town-a", "reissued") == [
        (Fraction(-1), Fraction(-1)),
        (Fraction(-1), Fraction(-1)),
        (Fraction(-3), Fraction(-3)),
        (Fraction(-10), Fraction(-6)),
    ]


def test_max_count_and_the_threshold_count_each_month_apart() -> None:
    report = score_example(SCHEME, EXAMPLE)
    # 每次扣0.5分,每月最多扣3次: April 3 of 4, May 1.
    assert len(_lines(report, "town-a", "feedback_late")) == 4
    # 同一月内反馈逾期达到2次的,另扣1分: April only for town-a; dept-a's January and February
    # make 2 in the year but 1 in each month.
    assert _lines(report, "town-a", "feedback_late_twice") == [(Fraction(-1), Fraction(-1))]
    assert _lines(report, "dept-a", "feedback_late_twice") == []


def test_points_from_the_event_are_taken_as_recorded_and_multiplied() -> None:
    report = score_example(SCHEME, EXAMPLE)
    # 视情况每次加0.5–1分: as recorded, 1 and 0.5.
    assert _lines(report, "town-a", "leader_praise") == [
        (Fraction(1), Fraction(1)),
        (Fraction(1, 2), Fraction(1, 2)),
    ]
    # 按所扣分值的2倍扣减: −2 × 2.
    assert _lines(report, "dept-a", "city_deduction") == [(Fraction(-4), Fraction(-4))]


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (0.75, "0.75 is off the step of rule 'leader_praise': from 0.5 in steps of 0.5 up to 1"),
        (1.5, "1.5 is outside the band of rule 'leader_praise' (0.5 to 1 points)"),
        (0, "0 is outside the band of rule 'leader_praise' (0.5 to 1 points)"),
    ],
)
def test_a_value_outside_the_band_or_off_its_step_is_refused_when_read(
    tmp_path: Path, value: float, why: str
) -> None:
    events = (EXAMPLE / "events.jsonl").read_text(encoding="utf-8").splitlines()
    line = (
        '{"id": "X1", "type": "leader_praise", "date": "2024-06-02", "unit": "town-b", '
        f'"value": {value}}}'
    )
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join([*events, line]) + "\n", encoding="utf-8")
    scheme = assessment.load_scheme(SCHEME)
    roster = assessment.read_roster(EXAMPLE / "roster.csv", scheme)
    with pytest.raises(EventsError) as caught:
        assessment.read_events(path, scheme, roster)
    (problem,) = caught.value.problems
    assert (problem.line, problem.path) == (len(events) + 1, "value")
    assert problem.message.startswith(why)
