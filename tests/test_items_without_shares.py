"""Items scored one by one, with no proportional share (categories with no `points`), and
the all_items rule ("all items done in time") with what a unit with none counted gets.

Every expected figure is computed by hand from the rule's sentence, in a comment beside it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from fractions import Fraction

import pytest
from builders import scheme_head

from assessment import Report, Roster, SchemeError, Unit, parse_events, parse_scheme, score
from assessment.scheme import Scheme

HEAD = scheme_head("items", "按件计分", 20).replace("format: 1", "format: 2") + (
    """\
categories:
  - {id: tasks, name: 任务, clause: 一}
  - {id: deeds, name: 实事, clause: 二}
sections:
  - id: work
    name: 办理
    clause: 一
    points: 20
    rules:
      - {id: undone, kind: per_item, name: 未按期, clause: 一, text: 每件扣2分, status: incomplete, points: -2}
  - id: bonus
    name: 加分
    clause: 二
    points: 10
    start: zero
    rules:
"""
)
ROSTER = Roster(
    units=(Unit(id="t1", name="一镇", kind="town"), Unit(id="t2", name="二镇", kind="town"))
)


def scheme_with(rules: str) -> Scheme:
    return parse_scheme(HEAD + rules, "items.yaml")


def item(name: str, due: str, closed: str | None = None, **more: object) -> list[dict[str, object]]:
    assigned = {"type": "item_assigned", "date": "2024-01-02", "unit": "t1", "item": name}
    records: list[dict[str, object]] = [assigned | {"category": "tasks", "due": due} | more]
    if closed:
        records.append({"type": "item_closed", "date": closed, "unit": "t1", "item": name})
    return records


def run(
    scheme: Scheme, records: Sequence[Mapping[str, object]], as_of: date | None = None
) -> Report:
    numbered = [{"id": f"e{i:03d}", **r} for i, r in enumerate(records, 1)]
    return score(scheme, ROSTER, parse_events(numbered, scheme, ROSTER), as_of=as_of)


ALL_IN_TIME = """\
      - id: all_in_time
        kind: all_items
        name: 全部按期办结
        clause: 二
        text: 所承担的督查事项全部按期办结的,加2分
        status: complete
        points: 2
"""


def test_categories_without_shares_are_scored_item_by_item() -> None:
    scheme = scheme_with(ALL_IN_TIME)
    # t1: X closed in time, Y never closed (due 03-31): work 20 − 2; not all in time: 0
    report = run(scheme, [*item("X", "2024-03-31", "2024-03-01"), *item("Y", "2024-03-31")])
    assert report.unit("t1").section("work").exact == 18
    assert report.unit("t1").section("bonus").exact == 0


def test_all_in_time_pays_once_and_is_dated_at_the_last_closure() -> None:
    scheme = scheme_with(ALL_IN_TIME)
    # both closed by their deadlines: +2 once (not once per item), on 06-10, the later closure
    records = [*item("X", "2024-03-31", "2024-03-01"), *item("Y", "2024-06-30", "2024-06-10")]
    lines = [ln for ln in run(scheme, records).unit("t1").lines if ln.rule == "all_in_time"]
    assert [(ln.date, ln.points) for ln in lines] == [(date(2024, 6, 10), Fraction(2))]


def test_a_unit_with_none_due_gets_nothing_unless_the_scheme_pays_it() -> None:
    records = item("X", "2025-03-31")  # due next year: not counted as of 2024-12-31
    nothing = run(scheme_with(ALL_IN_TIME), records)
    # t1 has one item, none due; t2 has none at all: neither has done "all": 0 each
    assert [nothing.unit(u).section("bonus").exact for u in ("t1", "t2")] == [0, 0]
    paid = run(scheme_with(ALL_IN_TIME + "        no_items: points\n"), records)
    # 未承担的视同全部按期办结: +2 each
    assert [paid.unit(u).section("bonus").exact for u in ("t1", "t2")] == [2, 2]


def test_when_assigned_counts_an_open_item_not_yet_due_as_not_done() -> None:
    rules = ALL_IN_TIME + "        item_counts: when_assigned\n"
    records = [*item("X", "2024-03-31", "2024-03-01"), *item("Y", "2025-03-31")]
    # when_due: Y is not counted, X is in time: +2; when_assigned: Y counts, open: 0
    assert run(scheme_with(ALL_IN_TIME), records).unit("t1").section("bonus").exact == 2
    assert run(scheme_with(rules), records).unit("t1").section("bonus").exact == 0


def test_all_closed_early_and_a_factor_by_unit_kind() -> None:
    rules = """\
      - id: all_early
        kind: all_items
        name: 全部提前办结
        clause: 二
        text: 所承担的事项全部提前10天以上办结的,加3分(乡镇减半)
        status: closed_early
        days_early: 10
        points: 3
        multiply: [{of: unit_kind, table: {town: 0.5}}]
"""
    early = [*item("X", "2024-03-31", "2024-03-21"), *item("Y", "2024-06-30", "2024-06-01")]
    # X 10 days early, Y 29: all early: 3 × 0.5 = 1.5
    assert run(scheme_with(rules), early).unit("t1").section("bonus").exact == Fraction(3, 2)
    # X 9 days early only: not all early: 0
    nine = [*item("X", "2024-03-31", "2024-03-22"), *item("Y", "2024-06-30", "2024-06-01")]
    assert run(scheme_with(rules), nine).unit("t1").section("bonus").exact == 0


def test_lead_and_cohandler_points_per_item_written_as_role_factors() -> None:
    rules = """\
      - id: done
        kind: per_item
        name: 按期办结加分
        clause: 二
        text: 按期办结的,牵头单位每件加2分,协办单位每件加1分
        status: complete
        roles: [lead, cohandler]
        points: 1
        multiply: [{of: role, table: {lead: 2, cohandler: 1}}]
"""
    records = [
        *item("X", "2024-03-31", "2024-03-01", cohandlers=["t2"]),
        *item("Y", "2024-06-30", "2024-06-01"),
    ]
    report = run(scheme_with(rules), records)
    # t1 leads X and Y, both in time: 2 × 2 = 4; t2 co-handles X: 1
    assert [report.unit(u).section("bonus").exact for u in ("t1", "t2")] == [4, 1]


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        # all_items fires at most once a year: a flag at 2 is never reached
        (
            ALL_IN_TIME,
            "rule 'all_in_time' can fire at most 1 time a year: `at_least: 2` is never reached",
        ),
    ],
)
def test_a_flag_past_what_all_items_can_reach_is_refused(rules: str, expected: str) -> None:
    text = (
        HEAD
        + rules
        + "flags:\n  - {id: f, name: 旗, raised_by: [{rule: all_in_time, at_least: 2}], bars: []}\n"
    )
    with pytest.raises(SchemeError) as caught:
        parse_scheme(text, "items.yaml")
    assert [p.message for p in caught.value.problems] == [expected]


def test_a_per_event_rule_on_items_scores_their_categories() -> None:
    # deeds is scored by no item rule here, but by a per_event rule on the item's assignment
    # whose `where` lets deeds through: valid; one that lets only tasks through: refused
    head = HEAD.replace(", status: incomplete", ", categories: [tasks], status: incomplete")
    rule = """\
      - id: deed_assigned
        kind: per_event
        name: 承担实事
        clause: 二
        text: 承担实事的每件加1分
        event: item_assigned
        where: {category: %s}
        points: 1
"""
    parse_scheme(head + rule % "deeds", "items.yaml")
    with pytest.raises(SchemeError) as caught:
        parse_scheme(head + rule % "tasks", "items.yaml")
    assert [p.message for p in caught.value.problems] == [
        "category 'deeds' is scored by no rule: list it in a completion rule, or score its "
        "items with a per_item, all_items, overdue, rate or per_event rule"
    ]
