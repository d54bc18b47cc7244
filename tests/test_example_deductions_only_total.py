"""The deductions-only-total example: base 0, every section starts at 0 and only loses
points (cap 0), so every total is 0 or below; every figure computed by hand.

The scheme: 一 未报送月度信息 −1 each (late counts as missed), no floor; 二 通报批评 city −10,
district −4, at most −20 in all; 三 媒体曝光 −3 each, no floor.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import assessment
from assessment import render

ROOT = Path(__file__).resolve().parent.parent


def test_the_deductions_only_example_scores_as_computed_by_hand() -> None:
    scheme = assessment.load_scheme(ROOT / "schemes/examples/deductions-only-total.yaml")
    assert scheme.base == 0
    folder = ROOT / "examples/deductions-only-total"
    roster = assessment.read_roster(folder / "roster.csv", scheme)
    events = assessment.read_events(folder / "events.jsonl", scheme, roster)
    report = assessment.score(scheme, roster, events)
    found = {
        u.unit: (
            tuple(u.section(s).exact for s in ("reports", "criticism", "exposure")),
            u.total,
            u.rank,
        )
        for u in report.units
    }
    f = Fraction
    assert found == {
        # all 12 reports on time: 0; one city criticism −10; 0 + (−10) + 0 = −10
        "town-a": ((f(0), f(-10), f(0)), Decimal("-10.00"), 1),
        # no report at all: 12 × −1 = −12 (no floor); two exposures 2 × −3 = −6; −18
        "town-c": ((f(-12), f(0), f(-6)), Decimal("-18.00"), 2),
        # February and July missing: −2; criticism −10 − 4 − 10 = −24, kept at −20;
        # one exposure −3; −2 − 20 − 3 = −25
        "town-b": ((f(-2), f(-20), f(-3)), Decimal("-25.00"), 3),
    }
    last = [line for line in report.unit("town-b").lines if line.rule == "criticism"][-1]
    assert (last.points, last.applied, last.limited_by) == (f(-10), f(-6), "section_floor")
    table = render.table(report)
    assert "信息报送(扣分项)" in table and "(0)" not in table
    assert "总分 = 0.00 + -10.00 + 0.00 = -10.00" in render.explanation(
        report, report.unit("town-a")
    )
