"""The per-item example (schemes/examples/per-item-points.yaml over examples/per-item-points/)
scored by hand: points per item with no proportional share, and bonuses for having done
every item in time.

Every figure is worked out from the rules' sentences and the events, with the arithmetic
beside it; none is computed with the library. Sections: handling (督查事项办理, 100, starts
full): −2 per led item not done in time (未按期办结), −0.5 per extension; bonus (加分项目,
starts at zero, ≤ 10): +2 per led item done in time and +1 per co-handled one, +1 more per
led instruction done in time, +2 (towns) or +1 (departments) once when every led item
counted is done in time (none counted: nothing), +1 once when every led instruction is
done in time (none: paid as if done).
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from builders import score_example

import assessment

ROOT = Path(__file__).resolve().parent.parent
SCHEME = ROOT / "schemes/examples/per-item-points.yaml"
EXAMPLE = ROOT / "examples/per-item-points"

F = Fraction

# unit → (handling, bonus, total), as of 2024-12-31
EXPECTED = {
    # A-1, A-2 (closed on its due day), A-4 key tasks and A-3 instruction, all in time:
    # handling 100; bonus 4 led × 2 = 8, A-3 instruction +1, all in time +2 (town), all
    # instructions in time +1: 12, kept at the section's 10
    "town-a": (F(100), F(10), F(110)),
    # B-1 extended once (−0.5) and closed 08-15 after its extended 07-31 (−2); B-2 due 10-31,
    # never closed (−2): 100 − 4.5; bonus: B-3 instruction in time 2 + 1, not all in time
    # (B-1, B-2): 0, its one instruction in time +1: 4
    "town-b": (F(100) - F(9, 2), F(4), F(100) - F(9, 2) + 4),
    # co-handles A-1 and A-4 (in time: +1 each); leads D-1 instruction in time (+2, +1 more);
    # D-2 is due 2025-03-31: not counted, so every counted led item (D-1) is in time:
    # 2 × 0.5 = +1; all instructions in time +1: 1 + 1 + 2 + 1 + 1 + 1 = 7
    "dept-a": (F(100), F(7), F(107)),
    # co-handles B-2 only, not done (a co-handler is not charged: −2 is the lead's);
    # leads nothing: not paid for all in time; no instruction: paid the 1 as if done
    "dept-b": (F(100), F(1), F(101)),
    # leads C-1, due 2025-02-28: none due yet, so not paid for all in time; no instruction: +1
    "dept-c": (F(100), F(1), F(101)),
    # no item at all: the same as dept-c
    "dept-d": (F(100), F(1), F(101)),
}


@pytest.fixture(scope="module")
def report() -> assessment.Report:
    return score_example(SCHEME, EXAMPLE)


def test_every_unit_scores_as_computed_by_hand(report: assessment.Report) -> None:
    found = {
        u.unit: (u.section("handling").exact, u.section("bonus").exact, u.exact_total)
        for u in report.units
    }
    assert found == EXPECTED


def test_the_bonus_past_the_cap_is_cut_in_date_order(report: assessment.Report) -> None:
    lines = [line for line in report.unit("town-a").lines if line.section == "bonus"]
    # given: 8 + 1 + 2 + 1 = 12; applied: 10, the last line (all in time, dated at A-4's
    # closure 11-15, after A-4's own +2 on the same day) loses its 2
    assert sum(line.points for line in lines) == 12
    all_in_time = [line for line in lines if line.rule == "all_in_time"]
    assert [(ln.date, ln.points, ln.applied) for ln in all_in_time] == [
        (date(2024, 11, 15), F(2), F(0))
    ]


def test_a_unit_with_no_counted_item_is_told_why_it_was_not_paid(
    report: assessment.Report,
) -> None:
    for unit in ("dept-b", "dept-c", "dept-d"):
        lines = [line for line in report.unit(unit).lines if line.rule == "all_in_time"]
        assert [(line.points, line.applied) for line in lines] == [(F(0), F(0))], unit
        assert "不得此项分数" in lines[0].detail, unit


def test_all_in_time_counts_only_what_is_due_by_the_scoring_day() -> None:
    scheme = assessment.load_scheme(SCHEME)
    roster = assessment.read_roster(EXAMPLE / "roster.csv", scheme)
    events = assessment.read_events(EXAMPLE / "events.jsonl", scheme, roster)
    june = assessment.score(scheme, roster, events, as_of=date(2024, 6, 30)).unit("town-b")
    # as of 06-30: B-1 is due 07-31 (extended on 04-25) and B-2 10-31, so neither counts;
    # handling 100 − 0.5 (the extension); bonus: B-3 in time 2 + 1, every counted led item
    # (B-3) in time +2, every instruction in time +1: 6
    assert (june.section("handling").exact, june.section("bonus").exact) == (F(199, 2), F(6))
