"""The workload example scheme over its example events; every figure computed by hand."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import assessment

ROOT = Path(__file__).resolve().parent.parent


def test_the_workload_example_scores_as_computed_by_hand() -> None:
    scheme = assessment.load_scheme(ROOT / "schemes/examples/workload.yaml")
    roster = assessment.read_roster(ROOT / "examples/workload/roster.csv", scheme)
    events = assessment.read_events(ROOT / "examples/workload/events.jsonl", scheme, roster)
    report = assessment.score(scheme, roster, events)
    found = {
        u.unit: (
            u.section("completion").exact,
            u.section("campaign").exact,
            u.section("workload").exact,
            u.rank,
            u.assessed,
        )
        for u in report.units
    }
    assert found == {
        # key_tasks 40 × 3/4 (A-K4 closed late) + livelihood 20 (complete); campaign C-A1 on time;
        # workload: 5 items complete × 1, A-K1 (20 days early) and A-L1 (30) × 0.5, and of the
        # 3 circulated commendations max_count takes 2 (+2 +2) and the cap of 3 cuts the second to +1
        "town-a": (Fraction(30 + 20), Fraction(10), Fraction(5) + 1 + 3, 1, True),
        # key_tasks 40 × 1/2 (B-K2 never closed) + livelihood kept at full marks (not undertaken);
        # no campaign item: scored (keeps the 10) but not assessed, so not ranked;
        # B-K1 complete, closed on its due day (not early)
        "town-b": (Fraction(20 + 20), Fraction(10), Fraction(1), None, False),
        # key_tasks kept at 40; livelihood lost (D-L2 assessed 0.8: all or nothing);
        # campaign C-D1 never closed: 0; D-L1 complete and 60 days early
        "dept-a": (Fraction(40 + 0), Fraction(0), Fraction(1) + Fraction(1, 2), 1, True),
    }
    praise = [line for line in report.unit("town-a").lines if line.rule == "praise"]
    assert [(line.points, line.applied, line.limited_by) for line in praise] == [
        (Fraction(2), Fraction(2), None),
        (Fraction(2), Fraction(1), "rule_cap"),
    ]
