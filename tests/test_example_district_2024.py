"""The district 2024 example (schemes/examples/district-2024.yaml over examples/district-2024/).

Every expected figure below is worked out from the events by hand, with the
arithmetic beside it; none is computed with the library. Sections, in order:
organisation (组织领导, 5), timeliness (办理时限, 15), completion (完成任务, 80),
bonus (工作奖励, zero start, ≤ 20) and year_end (综合评分, zero start, within
[−5, 5]). Base 100 = 5 + 15 + 80; the total is min(sum of all five sections, 100):
the bonus counts inside the cap.

Scored as of 2024-12-31: monthly reports count for January to November (December's
is due 2025-01-05). Every unit reported on the 3rd of the next month except where
noted. Completion shares are reweighted over the categories a unit leads items in
(work_report 20, ten_things 10, key_works 15, meeting_decisions 10, proposals 15,
instructions 10).
"""

from __future__ import annotations

import io
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from builders import score_example

import assessment
from assessment import Report
from assessment.cli import main

ROOT = Path(__file__).resolve().parent.parent
SCHEME = ROOT / "schemes" / "examples" / "district-2024.yaml"
EXAMPLE = ROOT / "examples" / "district-2024"

SECTIONS = ("organisation", "timeliness", "completion", "bonus", "year_end")

F = Fraction

# unit → exact section scores, in SECTIONS order
EXACT: dict[str, tuple[Fraction, ...]] = {
    # 青石镇: QS-01 (work_report), QS-02 (ten_things) both closed on time; every report on
    # time (February's arrived on 03-05, the deadline day itself); two circulated city
    # commendations 2 × 5 = 10.
    "town-qingshi": (F(5), F(15), F(80), F(10), F(0)),
    # 白沙镇: BS-01 extended once (06-30 → 08-31) and closed 08-20, within the extension:
    # complete and not overdue, but the 1st re-issued notice is −1; March's report came on
    # 04-08, after the 04-05 deadline: −0.5; its city commendation was not circulated: 0.
    "town-baisha": (F(5), F(15) - F(1, 2), F(80 - 1), F(0), F(0)),
    # 东城街道: notices on DC-01 (05-25, 07-28) and DC-02 (08-25): the unit's 1st, 2nd, 3rd
    # → −1 − 2 − 3 = −6; both items closed within their extended deadlines: complete.
    "sub-dongcheng": (F(5), F(15), F(80 - 1 - 2 - 3), F(0), F(0)),
    # 柳河镇: LH-01 (ten_things, all-or-nothing) due 06-30, closed 07-10: 10 days × 0.1 = −1
    # overdue, and incomplete. Shares: ten_things 10 + work_report 20 = 30 of 80, so × 80/30
    # → ten_things 80/3 lost whole; completion 80 − 80/3 = 160/3 (53.33…).
    # Adjustments +3 (12-20), +3 (12-25): running sum 3, then 6 → kept at 5: +3 + 2 = 5.
    "town-liuhe": (F(5), F(15 - 1), F(80) - F(80, 3), F(0), F(3 + 2)),
    # 经济开发区: KF-01 (work_report) due 06-30, closed 07-30: 30 days × 0.1 = 3 → capped 2;
    # KF-03 (meeting_decisions) due 11-30, still open on 12-31: 31 days × 0.1 = 3.1 → capped 2;
    # August's report never came: −1. Timeliness 15 − 2 − 2 − 1 = 10.
    # Shares: work_report 20 + meeting_decisions 10 = 30 of 80 → 160/3 and 80/3; one of two
    # items incomplete in each: − 160/3 × 1/2 − 80/3 × 1/2 = − 80/3 − 40/3 = −40 → 40.
    "zone-dev": (F(5), F(15 - 2 - 2 - 1), F(80) - F(160, 3) / 2 - F(80, 3) / 2, F(0), F(0)),
    # 区财政局: the 05-15 inspection found the ledger incomplete: −3 (its only inspection);
    # CZ-01, CZ-02 closed on time; one circulated district commendation: 3; adjustment −2.
    "dept-finance": (F(5), F(15 - 3), F(80), F(3), F(-2)),
}

# unit → the shown sections: each exact score rounded half-up to 2 places
SHOWN: dict[str, tuple[str, ...]] = {
    "town-qingshi": ("5.00", "15.00", "80.00", "10.00", "0.00"),
    "town-baisha": ("5.00", "14.50", "79.00", "0.00", "0.00"),
    "sub-dongcheng": ("5.00", "15.00", "74.00", "0.00", "0.00"),
    "town-liuhe": ("5.00", "14.00", "53.33", "0.00", "5.00"),  # 160/3 = 53.333…
    "zone-dev": ("5.00", "10.00", "40.00", "0.00", "0.00"),
    "dept-finance": ("5.00", "12.00", "80.00", "3.00", "-2.00"),
}

# unit → (shown total, exact total, cut by the cap, rank in group, grade, flags)
OUTCOME: dict[str, tuple[str, Fraction, str, int, str, tuple[str, ...]]] = {
    # 5 + 15 + 80 + 10 + 0 = 110 → capped at 100, 10 cut; 1st of 5 towns:
    # the quota allows floor(0.2 × 5) = 1 优秀
    "town-qingshi": ("100.00", F(100), "10.00", 1, "excellent", ()),
    # 5 + 14.5 + 79 = 98.5 ≥ 90 but 2nd: beyond the single 优秀 place → 良好
    "town-baisha": ("98.50", F(197, 2), "0.00", 2, "good", ()),
    # 5 + 15 + 74 = 94 ≥ 90 but 3rd → 良好
    "sub-dongcheng": ("94.00", F(94), "0.00", 3, "good", ()),
    # shown 5 + 14 + 53.33 + 0 + 5 = 77.33; exact 24 + 160/3 = 232/3; ≥ 60 → 合格;
    # one incomplete item (LH-01) is not enough for the flag (at least 2)
    "town-liuhe": ("77.33", F(232, 3), "0.00", 4, "pass", ()),
    # 5 + 10 + 40 = 55 < 60 → 不合格; KF-01 (closed late) and KF-03 (open) are two
    # incomplete items → 取消评先资格
    "zone-dev": ("55.00", F(55), "0.00", 5, "fail", ("no_honours",)),
    # 5 + 12 + 80 + 3 − 2 = 98 ≥ 90, but the departments group has 1 unit:
    # floor(0.2 × 1) = 0 优秀 places → 良好
    "dept-finance": ("98.00", F(98), "0.00", 1, "good", ()),
}

GRADE_NAMES = {"excellent": "优秀", "good": "良好", "pass": "合格", "fail": "不合格"}


@pytest.fixture(scope="module")
def report() -> Report:
    return score_example(SCHEME, EXAMPLE)


def test_the_scheme_validates() -> None:
    out = io.StringIO()
    assert main(["validate", str(SCHEME)], stdout=out) == 0
    assert out.getvalue().startswith("ok: ")
    scheme = assessment.load_scheme(SCHEME)
    assert scheme.id == "district-2024"
    assert scheme.total.cap == 100 and scheme.total.beyond_cap == ()


def test_the_example_covers_every_unit(report: Report) -> None:
    assert {u.unit for u in report.units} == set(EXACT) == set(SHOWN) == set(OUTCOME)
    assert report.provenance.scheme_id == "district-2024"
    assert report.provenance.events == 102
    groups = {u.unit: u.group for u in report.units}
    assert groups["dept-finance"] == "departments"
    assert sum(1 for g in groups.values() if g == "towns") == 5


@pytest.mark.parametrize("unit_id", sorted(EXACT))
def test_every_unit_scores_as_computed_by_hand(report: Report, unit_id: str) -> None:
    result = report.unit(unit_id)
    assert tuple(result.section(s).exact for s in SECTIONS) == EXACT[unit_id]
    assert tuple(result.section(s).score for s in SECTIONS) == tuple(map(Decimal, SHOWN[unit_id]))
    total, exact_total, cut, rank, grade, flags = OUTCOME[unit_id]
    assert result.total == Decimal(total)
    assert result.exact_total == exact_total
    assert result.cut_by_cap == Decimal(cut)
    assert result.rank == rank
    assert (result.grade, result.grade_name) == (grade, GRADE_NAMES[grade])
    assert tuple(f.id for f in result.flags) == flags


def test_the_mechanisms_show_in_the_explanations(report: Report) -> None:
    def lines(unit_id: str, rule: str) -> list[assessment.Line]:
        return [x for x in report.unit(unit_id).lines if x.rule == rule]

    # escalating notices count per unit across items: DC-01, DC-01, DC-02 → −1, −2, −3
    assert [x.points for x in lines("sub-dongcheng", "item_extended")] == [-1, -2, -3]
    assert [x.points for x in lines("town-baisha", "item_extended")] == [-1]
    # per-day overdue, at most 2 per item: 30 and 31 days are both cut to −2; 10 days is −1
    assert sorted(x.points for x in lines("zone-dev", "overdue")) == [-2, -2]
    assert [x.points for x in lines("town-liuhe", "overdue")] == [-1]
    # closed within the extended deadline: not overdue
    assert lines("sub-dongcheng", "overdue") == [] and lines("town-baisha", "overdue") == []
    # reports: late −0.5 (March's, due 04-05, dated on its arrival 04-08), missed −1
    # (August, dated at its deadline 09-05); on the deadline day is on time
    assert [(x.points, x.date.isoformat()) for x in lines("town-baisha", "monthly_report")] == [
        (F(-1, 2), "2024-04-08")
    ]
    assert [(x.points, x.date.isoformat()) for x in lines("zone-dev", "monthly_report")] == [
        (F(-1), "2024-09-05")
    ]
    assert lines("town-qingshi", "monthly_report") == []
    # the adjustment's running sum stops at +5: the second +3 applies only +2
    assert [(x.points, x.applied) for x in lines("town-liuhe", "comprehensive")] == [
        (F(3), F(3)),
        (F(3), F(2)),
    ]
    assert all("理由" in x.detail for x in lines("town-liuhe", "comprehensive"))
    assert [x.applied for x in lines("dept-finance", "comprehensive")] == [-2]
    # the flag's rule fires once per incomplete item, for no points
    fired = lines("zone-dev", "incomplete_items")
    assert len(fired) == 2 and all(x.points == 0 for x in fired)
    assert len(lines("town-liuhe", "incomplete_items")) == 1
    (flag,) = report.unit("zone-dev").flags
    assert (flag.name, flag.veto, flag.rules) == ("取消评先资格", False, ("incomplete_items",))
    # commendations by level, only when circulated; the uncirculated one earns nothing
    assert [x.points for x in lines("town-qingshi", "circulated_commendation")] == [5, 5]
    assert [x.points for x in lines("dept-finance", "circulated_commendation")] == [3]
    assert lines("town-baisha", "circulated_commendation") == []
