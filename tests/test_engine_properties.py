"""Invariants of scoring the 2023 scheme over random valid ledgers (Hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from assessment import EventLog, Report, Roster, Unit, load_scheme, score
from assessment.events import (
    Commendation,
    Event,
    Inspection,
    ItemAssessed,
    ItemAssigned,
    ItemClosed,
    ItemExtended,
    ReportSubmitted,
)

ROOT = Path(__file__).resolve().parent.parent
SCHEME = load_scheme(ROOT / "schemes/2023.yaml")
CATEGORIES = [c.id for c in SCHEME.categories]
ROSTER = Roster(
    units=(
        Unit(id="t1", name="一镇", kind="town"),
        Unit(id="s1", name="一街道", kind="subdistrict"),
        Unit(id="d1", name="一局", kind="department"),
        Unit(id="d2", name="二局", kind="department"),
    )
)
START = date(2023, 1, 1)
days = st.integers(min_value=0, max_value=364)


@st.composite
def item_lifecycles(draw: st.DrawFn, unit: str, n: int) -> list[Event]:
    """One item: assigned, maybe extended (later dues), maybe closed, maybe assessed."""
    item = f"{unit}-i{n}"
    assigned = START + timedelta(days=draw(st.integers(0, 300)))
    due = assigned + timedelta(days=draw(st.integers(1, 120)))
    events: list[Event] = [
        ItemAssigned(
            id=f"{item}-a",
            date=assigned,
            unit=unit,
            item=item,
            category=draw(st.sampled_from(CATEGORIES)),
            due=due,
        )
    ]
    last = assigned
    for k in range(draw(st.integers(0, 2))):
        last = last + timedelta(days=draw(st.integers(0, 40)))
        due = max(due, last) + timedelta(days=draw(st.integers(1, 60)))
        events.append(
            ItemExtended(id=f"{item}-x{k}", date=last, unit=unit, item=item, due=due, reason="原因")
        )
    if draw(st.booleans()):
        closed = last + timedelta(days=draw(st.integers(0, 150)))
        events.append(ItemClosed(id=f"{item}-c", date=closed, unit=unit, item=item))
    if draw(st.integers(0, 4)) == 0:
        completion = Decimal(draw(st.integers(0, 10))) / 10
        when = assigned + timedelta(days=draw(st.integers(0, 200)))
        events.append(
            ItemAssessed(id=f"{item}-s", date=when, unit=unit, item=item, completion=completion)
        )
    return events


@st.composite
def unit_streams(draw: st.DrawFn, unit: str) -> list[Event]:
    events: list[Event] = []
    for n in range(draw(st.integers(0, 5))):
        events += draw(item_lifecycles(unit, n))
    for month in draw(st.sets(st.integers(1, 12))):
        first = date(2023, month, 1)
        when = first + timedelta(days=draw(st.integers(0, 45)))
        events.append(
            ReportSubmitted(id=f"{unit}-r{month}", date=when, unit=unit, month=f"2023-{month:02d}")
        )
    for k in range(draw(st.integers(0, 2))):
        findings = draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "has_office": st.booleans(),
                    "has_staff": st.booleans(),
                    "has_work_plan": st.booleans(),
                    "ledger_complete": st.booleans(),
                },
            ).filter(bool)
        )
        when = START + timedelta(days=draw(days))
        events.append(Inspection(id=f"{unit}-n{k}", date=when, unit=unit, **findings))
    for k in range(draw(st.integers(0, 6))):
        when = START + timedelta(days=draw(days))
        events.append(
            Commendation(
                id=f"{unit}-m{k}",
                date=when,
                unit=unit,
                level=draw(st.sampled_from(["city", "district"])),
                circulated=draw(st.booleans()),
            )
        )
    return events


@st.composite
def ledgers(draw: st.DrawFn) -> list[Event]:
    return [e for unit in ROSTER.units for e in draw(unit_streams(unit.id))]


def _check_adds_up(report: Report) -> None:
    places = SCHEME.rounding.places
    for unit in report.units:
        for section in unit.sections:
            lines = [line for line in unit.lines if line.section == section.id]
            assert (
                section.start + sum((line.applied for line in lines), Fraction(0)) == section.exact
            )
            assert 0 <= section.exact <= section.points
            assert section.score == round(
                Decimal(section.exact.numerator) / section.exact.denominator, places
            ) or abs(Fraction(section.score) - section.exact) <= Fraction(1, 2 * 10**places)
        assert unit.total == sum((s.score for s in unit.sections), Decimal(0))
        assert 0 <= unit.total <= 120


@given(ledgers(), st.randoms(use_true_random=False))
def test_results_add_up_and_do_not_depend_on_order(events: list[Event], random: object) -> None:
    report = score(SCHEME, ROSTER, EventLog.of(events))
    _check_adds_up(report)
    shuffled = list(events)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert score(SCHEME, ROSTER, EventLog.of(shuffled)) == report


@given(ledgers(), days)
def test_scoring_as_of_a_date_equals_scoring_the_stream_cut_there(
    events: list[Event], day: int
) -> None:
    as_of = START + timedelta(days=day)
    cut = [e for e in events if e.date <= as_of]
    full = score(SCHEME, ROSTER, EventLog.of(events), as_of=as_of)
    only = score(SCHEME, ROSTER, EventLog.of(cut), as_of=as_of)
    assert full.units == only.units


@given(ledgers())
def test_one_more_circulated_commendation_never_lowers_a_score(events: list[Event]) -> None:
    before = score(SCHEME, ROSTER, EventLog.of(events))
    extra = Commendation(
        id="extra", date=date(2023, 6, 1), unit="t1", level="city", circulated=True
    )
    after = score(SCHEME, ROSTER, EventLog.of([*events, extra]))
    assert after.unit("t1").total >= before.unit("t1").total
