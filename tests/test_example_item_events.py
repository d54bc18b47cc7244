"""The item-events example: circulars about items scored for the lead and its co-handlers,
`where:` over the item and the unit, tables and selections named by several rules, and a
points table keyed by numbers. Every figure is computed by hand from the rules' sentences."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from builders import ROOT, score_example

import assessment
from assessment import EventsError, SchemeError, render

SCHEME = ROOT / "schemes/examples/item-events.yaml"
EXAMPLE = ROOT / "examples/item-events"
ASSIGNED: list[dict[str, Any]] = [
    {"id": "a1", "type": "item_assigned", "date": "2024-01-10", "unit": "town-a", "item": "K1"}
    | {"category": "key_tasks", "due": "2024-06-30", "assigned_by": "city"}
    | {"cohandlers": ["dept-a"]},
]


def _circular(ident: str, unit: str, item: str, kind: str = "criticism") -> dict[str, Any]:
    return {"id": ident, "type": "circular", "date": "2024-03-01", "unit": unit, "item": item} | {
        "kind": kind,
        "level": "district",
    }


def test_the_example_scores_as_computed_by_hand() -> None:
    report = score_example(SCHEME, EXAMPLE)
    found = {
        u.unit: tuple(u.section(s).exact for s in ("completion", "criticism", "praise"))
        for u in report.units
    }
    assert found == {
        # completion: leads K1 (closed on time) → key_tasks 40; no livelihood item led → 20 kept.
        # criticism 20: C01 city criticism of its K1 −2 × 1 (lead), K1 is a city key task −1;
        # C06 district criticism of K3 (dept-b leads, town-a co-handles) −1 × 0.5; K3's
        # re-issued notice (city key task) −0.5 × 0.5. C02 is dept-a's own (a co-handler's
        # circular): it does not reach the lead. 20 − 2 − 1 − 0.5 − 0.25 = 16.25.
        # praise: C03 city praise of L1 (town-b leads, town-a co-handles) +2 × 0.5; Q1 ranking
        # 1st +1.5. The livelihood extra +1 is the lead's only.
        "town-a": (Fraction(60), Fraction(1625, 100), Fraction(1) + Fraction(3, 2)),
        # completion: leads L1 (on time) → 20; no key task led → 40 kept.
        # criticism: C05 city criticism of K2 (dept-a leads, town-b co-handles) −2 × 0.5.
        # praise: C03 +2 (lead) and +1 (a town's livelihood item); Q1 ranking 2nd +1.
        "town-b": (Fraction(60), Fraction(19), Fraction(2 + 1 + 1)),
        # completion: leads K2, closed late → key_tasks 0 of 40; livelihood kept 20.
        # criticism: C01 reaches it as K1's co-handler −2 × 0.5; C02, its own circular as
        # K1's co-handler −1 × 0.5; C05 on K2, which it leads, −2 (K2 was assigned by the
        # district: no extra). 20 − 1 − 0.5 − 2 = 16.5. praise: Q2 ranking 3rd +0.5.
        "dept-a": (Fraction(20), Fraction(33, 2), Fraction(1, 2)),
        # completion: K3 closed within its extended deadline, L2 on time → 60.
        # criticism: C06 −1 (lead) and −1 (city key task); K3 re-issued −0.5. 20 − 2.5.
        # praise: C04 district praise of L2 +1 (a department: no livelihood extra); Q2 5th: none.
        "dept-b": (Fraction(60), Fraction(35, 2), Fraction(1)),
    }


def test_a_co_handler_scores_the_leads_circular_in_its_role() -> None:
    lines = score_example(SCHEME, EXAMPLE).unit("dept-a").lines
    criticism = [
        (line.rule, line.events, line.points) for line in lines if line.rule == "criticism"
    ]
    # −2 × 0.5 for the lead's C01, −1 × 0.5 for its own C02 on K1 (it co-handles K1), −2 on K2
    assert criticism == [
        ("criticism", ("C01",), Fraction(-1)),
        ("criticism", ("C02",), Fraction(-1, 2)),
        ("criticism", ("C05",), Fraction(-2)),
    ]


def _parse(records: list[dict[str, Any]]) -> None:
    scheme = assessment.load_scheme(SCHEME)
    roster = assessment.read_roster(EXAMPLE / "roster.csv", scheme)
    assessment.parse_events(records, scheme, roster)


def test_a_circular_names_an_item_of_its_unit_as_lead_or_co_handler() -> None:
    # the lead and the co-handler may each be named, even before the item's assignment
    _parse([_circular("c1", "dept-a", "K1"), _circular("c2", "town-a", "K1"), *ASSIGNED])
    with pytest.raises(EventsError) as caught:
        _parse([*ASSIGNED, _circular("c3", "town-b", "K1"), _circular("c4", "town-a", "K11")])
    messages = [p.message for p in caught.value.problems]
    assert len(messages) == 2
    assert messages[0].startswith("item 'K1' is assigned to 'town-a', co-handled by dept-a (")
    assert messages[0].endswith("), not to 'town-b'")
    assert messages[1] == "item 'K11' was never assigned; did you mean 'K1'?"


def test_a_circular_without_its_item_is_refused() -> None:
    record = _circular("c1", "town-a", "K1")
    del record["item"]
    with pytest.raises(EventsError) as caught:
        _parse([*ASSIGNED, record])
    assert [p.path for p in caught.value.problems] == ["item"]


def _scheme_with(old: str, new: str) -> str:
    text = SCHEME.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def test_a_shared_table_reads_as_the_same_table_written_in_the_rule() -> None:
    named = assessment.load_scheme(SCHEME)
    inline = assessment.parse_scheme(
        _scheme_with(
            "          - {of: role, table: role_share}\n      - id: criticism_city_key",
            "          - {of: role, table: {lead: 1, cohandler: 0.5}}\n"
            "      - id: criticism_city_key",
        )
    )
    assert named.sections[1].rules[0] == inline.sections[1].rules[0]


def test_numbers_as_table_keys_need_no_quotes() -> None:
    scheme = assessment.load_scheme(SCHEME)
    ranking = scheme.sections[2].rules[2]
    assert ranking.points.table == {"1": 1.5, "2": 1, "3": 0.5}  # type: ignore[union-attr]
    # a key written otherwise than the value is read would never be looked up
    with pytest.raises(SchemeError) as caught:
        assessment.parse_scheme(_scheme_with("{1: 1.5, 2: 1, 3: 0.5}", "{1: 1.5, 2.0: 1, 3: 0.5}"))
    assert [p.path for p in caught.value.problems] == ["sections[2].rules[2].points.table.2.0"]


def test_a_where_on_the_unit_needs_a_kind_of_the_scheme() -> None:
    with pytest.raises(SchemeError) as caught:
        assessment.parse_scheme(
            _scheme_with("unit.kind: town}", "unit.kind: {in: [town, village]}}")
        )
    (problem,) = caught.value.problems
    assert problem.message.startswith("unknown unit kind 'village'")


def test_the_explanation_says_when_a_line_is_a_co_handlers() -> None:
    report = score_example(SCHEME, EXAMPLE)
    shown = render.explanation(report, report.unit("dept-a"))
    # dept-a co-handles K1 (town-a's C01, its own C02) and leads K2 (C05)
    assert "circular 2024-03-15 事项 K1(协办)\n" in shown
    assert "circular 2024-05-10 事项 K1(协办)\n" in shown
    assert "circular 2024-10-20 事项 K2\n" in shown


def test_a_circular_dated_before_its_items_assignment_is_refused() -> None:
    early = _circular("c1", "dept-a", "K1") | {"date": "2024-01-09"}  # K1 assigned 2024-01-10
    for records in ([*ASSIGNED, early], [early, *ASSIGNED]):  # either order in the stream
        with pytest.raises(EventsError) as caught:
            _parse(records)
        (problem,) = caught.value.problems
        assert problem.path == "date"
        assert problem.message.startswith(
            "2024-01-09 is before item 'K1' was assigned, on 2024-01-10"
        )
    _parse([*ASSIGNED, early | {"date": "2024-01-10"}])  # the day it was assigned is fine
