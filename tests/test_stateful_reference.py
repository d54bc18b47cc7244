"""Events fed one at a time, checked against batch scoring and a naive reference interpreter.

The reference below is written straight from the 2023 decisions (docs/interpretation-2023.md),
independently of the engine: plain loops over dictionaries, exact fractions, no rule kinds.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

import assessment
from assessment import Roster, Unit
from assessment.testing import event_streams

ROOT = Path(__file__).resolve().parent.parent
SCHEME = assessment.load_scheme(ROOT / "schemes/2023.yaml")
ROSTER = Roster(
    units=(
        Unit(id="t", name="镇", kind="town"),
        Unit(id="z", name="园区", kind="zone"),
        Unit(id="d", name="局", kind="department"),
    )
)
POINTS = {
    "work_report": 20,
    "ten_things": 10,
    "key_works": 15,
    "meeting_decisions": 10,
    "proposals": 15,
    "instructions": 10,
}
STAGE = {"item_assigned": 0, "item_extended": 1, "item_closed": 2, "item_assessed": 3}
Record = dict[str, Any]


def _clamp(value: Fraction, high: int) -> Fraction:
    return max(Fraction(0), min(Fraction(high), value))


def _latest(records: list[Record], field: str) -> Any:
    found = [r[field] for r in records if r["type"] == "inspection" and field in r]
    return found[-1] if found else None


def _completion(records: list[Record], unit: str, as_of: date) -> Fraction:
    items: dict[str, dict[str, Any]] = {}
    for r in records:
        if r["type"] == "item_assigned" and r["unit"] == unit:
            items[r["item"]] = {
                "category": r["category"],
                "due": r["due"],
                "closed": None,
                "assessed": None,
            }
        elif r.get("item") in items and r["type"] in STAGE:
            item = items[r["item"]]
            if r["type"] == "item_extended":
                item["due"] = r["due"]
            elif r["type"] == "item_closed":
                item["closed"] = r["date"]
            elif r["type"] == "item_assessed":
                item["assessed"] = Fraction(r["completion"])
    undertaken = {i["category"] for i in items.values()}
    weight = sum(POINTS[c] for c in undertaken)
    total = Fraction(0) if undertaken else Fraction(80)
    for category in undertaken:
        share = Fraction(80 * POINTS[category], weight)
        done = []
        for i in items.values():
            if i["category"] != category:
                continue
            if i["assessed"] is not None:
                done.append(i["assessed"])
            elif i["closed"] is not None:
                done.append(Fraction(int(i["closed"] <= i["due"])))
            elif date.fromisoformat(i["due"]) <= as_of:
                done.append(Fraction(0))
        if not done:
            total += share
        elif category == "ten_things":
            total += share if all(d == 1 for d in done) else 0
        else:
            total += share * sum(done, Fraction(0)) / len(done)
    extensions = sum(1 for r in records if r["type"] == "item_extended" and r["unit"] == unit)
    return _clamp(total - extensions, 80)


def reference(records: list[Record], as_of: date) -> dict[str, tuple[Fraction, ...]]:
    """Each unit's four exact section scores under the 2023 scheme, the naive way."""
    kept = sorted(
        {r["id"]: r for r in records if date.fromisoformat(r["date"]) <= as_of}.values(),
        key=lambda r: (r["date"], STAGE.get(r["type"], 9), r["id"]),
    )
    by_unit: dict[str, list[Record]] = defaultdict(list)
    for r in kept:
        by_unit[r["unit"]].append(r)
    result: dict[str, tuple[Fraction, ...]] = {}
    for unit in (u.id for u in ROSTER.units):
        mine = by_unit[unit]
        org = (
            5
            - 2 * (_latest(mine, "has_office") is False)
            - 3 * (_latest(mine, "has_staff") is False)
        )
        missed = 0
        for month in range(1, 13):
            end = date(2023, month, calendar.monthrange(2023, month)[1])
            if end > as_of:
                break
            key = f"2023-{month:02d}"
            if not any(
                r["type"] == "report_submitted"
                and r["month"] == key
                and date.fromisoformat(r["date"]) <= end
                for r in mine
            ):
                missed += 1
        timeliness = (
            15
            - 2 * (_latest(mine, "has_work_plan") is False)
            - 3 * (_latest(mine, "ledger_complete") is False)
            - missed
            - 2 * (missed >= 3)
        )
        praised = sum(1 for r in mine if r["type"] == "commendation" and r["circulated"])
        result[unit] = (
            _clamp(Fraction(org), 5),
            _clamp(Fraction(timeliness), 15),
            _completion(kept, unit, as_of),
            Fraction(min(20, 5 * praised)),
        )
    return result


def engine(records: list[Record], as_of: date) -> dict[str, tuple[Fraction, ...]]:
    log = assessment.parse_events(records, SCHEME, ROSTER)
    report = assessment.score(SCHEME, ROSTER, log, as_of=as_of)
    return {u.unit: tuple(s.exact for s in u.sections) for u in report.units}


class FeedOneAtATime(RuleBasedStateMachine):
    """Deliver a year's ledger in date order, re-deliver some, score at any date."""

    def __init__(self) -> None:
        super().__init__()
        self.pending: list[Record] = []
        self.delivered: list[Record] = []

    @initialize(stream=event_streams(SCHEME, ROSTER, redeliver=False))
    def receive_a_year(self, stream: list[Record]) -> None:
        self.pending = sorted(stream, key=lambda r: (r["date"], STAGE.get(r["type"], 9), r["id"]))

    @precondition(lambda self: bool(self.pending))
    @rule()
    def deliver_the_next_event(self) -> None:
        self.delivered.append(self.pending.pop(0))

    @precondition(lambda self: bool(self.delivered))
    @rule(data=st.data())
    def redeliver_an_event(self, data: st.DataObject) -> None:
        self.delivered.append(dict(data.draw(st.sampled_from(self.delivered))))

    @precondition(lambda self: bool(self.delivered))
    @rule(data=st.data())
    def score_as_of_an_earlier_date(self, data: st.DataObject) -> None:
        day = data.draw(st.dates(min_value=date(2023, 1, 1), max_value=date(2023, 12, 31)))
        assert engine(self.delivered, day) == reference(self.delivered, day)

    @invariant()
    def the_running_result_matches_batch_and_reference(self) -> None:
        so_far = engine(self.delivered, date(2023, 12, 31))
        assert so_far == reference(self.delivered, date(2023, 12, 31))
        everything = [*self.delivered, *self.pending]
        if not self.pending and everything:
            assert so_far == engine(everything[::-1], date(2023, 12, 31))


TestFeedOneAtATime = FeedOneAtATime.TestCase
