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
        u.unit: (u.section("completion").exact, u.section("workload").exact, u.rank)
        for u in report.units
    }
    assert found == {
        # key_tasks 40 × 3/4 (A-K4 closed late) + livelihood 20 (complete);
        # 4 items complete × 1 + A-K1 (20 days early) and A-L1 (30) × 0.5
        "town-a": (Fraction(30 + 20), Fraction(4) + 1, 1),
        # key_tasks 40 × 1/2 (B-K2 never closed) + livelihood kept at full marks (not undertaken);
        # B-K1 complete, closed on its due day (not early)
        "town-b": (Fraction(20 + 20), Fraction(1), 2),
        # key_tasks kept at 40; livelihood lost (D-L2 assessed 0.8: all or nothing);
        # D-L1 complete and 60 days early; D-L2 closed only 10 days early
        "dept-a": (Fraction(40 + 0), Fraction(1) + Fraction(1, 2), 1),
    }
