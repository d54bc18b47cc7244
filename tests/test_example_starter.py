"""The starter ledger `assessment init` writes (examples/starter/), on schemes/2023.yaml.

Every expected figure is worked out from the events by hand, with the arithmetic
beside it, from the scheme's sentences; none is computed with the library. Sections,
in order: organisation (组织领导, 5), timeliness (办理时限, 15), completion (完成任务,
80), bonus (工作奖励, zero start, ≤ 20). Scored as of the period's last day,
2023-12-31: every month's report is due by then.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from builders import score_example

from assessment import Report

ROOT = Path(__file__).resolve().parent.parent
SCHEME = ROOT / "schemes" / "2023.yaml"
EXAMPLE = ROOT / "examples" / "starter"

SECTIONS = ("organisation", "timeliness", "completion", "bonus")

F = Fraction

# Completion of 青石镇: it undertakes work_report (20), ten_things (10) and key_works (15),
# 45 of the 80 points, so each share is scaled by 80/45 = 16/9 (三(三): 按比例转为其他承担
# 任务的事项). work_report: 3 of 4 items closed on time → 20 × 3/4 × 16/9 = 80/3;
# ten_things: 1 of 1 → 10 × 16/9 = 160/9; key_works: ZDGZ-2023-001 on time, ZDGZ-2023-002
# extended to 08-31 and closed 08-15 within it → 15 × 16/9 = 80/3; the extension's
# re-issued notice is −1 (三(七)).
QINGSHI_COMPLETION = F(80, 3) + F(160, 9) + F(80, 3) - 1

EXACT: dict[str, tuple[Fraction, ...]] = {
    # inspection: has_office, no staff (未明确督查督办专职人员 −3); plan and ledger fine.
    # Reports missing for March, July and November: 3 × −1, and the third miss adds −2.
    # One circulated city commendation +5; the district one was not circulated: 0.
    "town-qingshi": (F(5 - 3), F(15 - 3 - 2), QINGSHI_COMPLETION, F(5)),
    # every finding fine, all 12 reports on the month's last day, its one key_works item
    # closed on time (the only category it undertakes: the full 80), one circulated +5.
    "sub-dongcheng": (F(5), F(15), F(80), F(5)),
    # no office (未落实承担政务督查工作科室 −2); May's report missing −1; proposals only:
    # JYTA-2023-001 closed on time, JYTA-2023-002 never closed → 80 × 1/2 = 40; no bonus.
    "dept-housing": (F(5 - 2), F(15 - 1), F(40), F(0)),
}

# unit → (shown sections, shown total, converted): the conversion is total ÷ 100 × 100,
# capped at 100.
SHOWN: dict[str, tuple[tuple[str, ...], str, str]] = {
    # 631/9 = 70.111… → 70.11; 2 + 10 + 70.11 + 5 = 87.11 (the scheme's own worked example)
    "town-qingshi": (("2.00", "10.00", "70.11", "5.00"), "87.11", "87.11"),
    # 5 + 15 + 80 + 5 = 105, converted 105 ÷ 100 × 100 = 105 → capped at 100
    "sub-dongcheng": (("5.00", "15.00", "80.00", "5.00"), "105.00", "100.00"),
    # 3 + 14 + 40 + 0 = 57
    "dept-housing": (("3.00", "14.00", "40.00", "0.00"), "57.00", "57.00"),
}


@pytest.fixture(scope="module")
def report() -> Report:
    return score_example(SCHEME, EXAMPLE)


def test_the_starter_has_a_unit_of_each_group_and_a_few_events(report: Report) -> None:
    assert [u.unit for u in report.units if u.group == "towns"] == ["sub-dongcheng", "town-qingshi"]
    assert [u.unit for u in report.units if u.group == "departments"] == ["dept-housing"]
    assert report.provenance.events == 58


@pytest.mark.parametrize("unit_id", sorted(EXACT))
def test_every_unit_scores_as_computed_by_hand(report: Report, unit_id: str) -> None:
    result = report.unit(unit_id)
    assert tuple(result.section(s).exact for s in SECTIONS) == EXACT[unit_id]
    sections, total, converted = SHOWN[unit_id]
    assert tuple(result.section(s).score for s in SECTIONS) == tuple(map(Decimal, sections))
    assert result.total == Decimal(total)
    assert result.converted == Decimal(converted)
