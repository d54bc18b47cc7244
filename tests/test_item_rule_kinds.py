"""Item rule kinds: per item in a state, per overdue day, rates. Expectations computed by hand."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from fractions import Fraction
from typing import Any

import pytest
from builders import per_completed_rule, scheme_head

from assessment import Report, Roster, SchemeError, Unit, parse_events, parse_scheme, score

HEAD = (
    scheme_head("items", "事项规则", 30)
    + """\
categories:
  - {id: tasks, name: 任务, clause: 一, points: 10, method: proportional}
  - {id: deeds, name: 实事, clause: 一, points: 10, method: proportional}
sections:
  - id: work
    name: 工作
    clause: 一
    points: 30
    rules:
      - {id: completion, kind: completion, name: 完成, clause: 一, text: 完成, categories: [tasks, deeds]}
"""
)
ROSTER = Roster(units=(Unit(id="t1", name="一镇", kind="town"),))


def scheme_with(section: str) -> Any:
    return parse_scheme(HEAD + section, "items.yaml")


def item(
    name: str, due: str, closed: str | None = None, category: str = "tasks"
) -> list[dict[str, object]]:
    records: list[dict[str, object]] = [
        {
            "type": "item_assigned",
            "date": "2024-01-02",
            "unit": "t1",
            "item": name,
            "category": category,
            "due": due,
        }
    ]
    if closed:
        records.append({"type": "item_closed", "date": closed, "unit": "t1", "item": name})
    return records


def run(scheme: Any, records: Sequence[Mapping[str, object]], as_of: date | None = None) -> Report:
    numbered = [{"id": f"e{i:03d}", **r} for i, r in enumerate(records, 1)]
    return score(scheme, ROSTER, parse_events(numbered, scheme, ROSTER), as_of=as_of)


WORKLOAD = (
    """
  - id: workload
    name: 工作量
    clause: 二
    points: 10
    start: zero
    rules:
"""
    + per_completed_rule("二")
    + """\
      - id: early
        kind: per_item
        name: 提前10天以上办结加0.5分
        clause: 二
        text: 提前10天以上办结的加0.5分
        status: closed_early
        days_early: 10
        points: 0.5
"""
)


def test_per_item_positive_scoring_and_early_closure_bonus() -> None:
    scheme = scheme_with(WORKLOAD)
    records = [
        *item("A", "2024-03-31", "2024-03-01"),  # complete, 30 days early: 1 + 0.5
        *item("B", "2024-03-31", "2024-03-25"),  # complete, 6 days early: 1
        *item("C", "2024-03-31", "2024-04-02"),  # late: nothing
        *item("D", "2024-03-31"),  # never closed: nothing
        *item("E", "2024-11-30", "2024-11-20", category="deeds"),  # complete, exactly 10 days early
    ]
    report = run(scheme, records)
    # complete: A, B, E → 3 × 1; at least 10 days early: A (30) and E (10) → 2 × 0.5
    assert report.unit("t1").section("workload").exact == 3 + 2 * Fraction(1, 2)


OVERDUE = """
  - id: discipline
    name: 办理时限
    clause: 二
    points: 10
    rules:
      - id: overdue
        kind: overdue
        name: 逾期每天扣0.1分
        clause: 二
        text: 逾期办结的每天扣0.1分,每项最多扣2分
        per_day: -0.1
        cap_per_item: 2
"""


def overdue_scheme() -> Any:
    return parse_scheme((HEAD + OVERDUE).replace("base: 30", "base: 40"), "items.yaml")


def test_per_overdue_day_capped_per_item() -> None:
    records = [
        *item("A", "2024-03-31", "2024-04-05"),  # 5 days late: −0.5
        *item("B", "2024-03-31", "2024-09-30"),  # 183 days: −18.3, capped at −2
        *item("C", "2024-03-31", "2024-03-30"),  # on time
    ]
    unit = run(overdue_scheme(), records).unit("t1")
    assert unit.section("discipline").exact == 10 - Fraction(1, 2) - 2
    capped = [line for line in unit.lines if line.rule == "overdue"]
    assert sorted(line.points for line in capped) == [Fraction(-2), Fraction(-1, 2)]


def test_an_open_overdue_item_costs_days_up_to_the_scoring_date() -> None:
    records = item("A", "2024-06-30")
    unit = run(overdue_scheme(), records, as_of=date(2024, 7, 3)).unit("t1")
    assert unit.section("discipline").exact == 10 - Fraction(3, 10)  # 3 days × 0.1


def test_grace_days_are_free_and_the_cap_applies_to_the_days_beyond_them() -> None:
    # "`per_day` for every day from the deadline to its closure, less `grace_days`, at most
    # `cap_per_item` per item": here −0.1 a day, 3 days of grace, at most 2 an item.
    scheme = parse_scheme(
        (HEAD + OVERDUE + "        grace_days: 3\n").replace("base: 30", "base: 40"), "items.yaml"
    )
    records = [
        *item("A", "2024-03-31", "2024-04-05"),  # 5 days late, 3 free: 2 × −0.1 = −0.2
        *item("B", "2024-03-31", "2024-04-02"),  # 2 days late, within the grace: nothing
        *item("C", "2024-03-31", "2024-04-03"),  # exactly 3 days late: nothing
        *item("D", "2024-03-31", "2024-04-22"),  # 22 days late: 19 × −0.1 = −1.9 (cap: 2)
    ]
    unit = run(scheme, records).unit("t1")
    assert unit.section("discipline").exact == 10 - Fraction(2, 10) - Fraction(19, 10)  # 7.9
    lines = [line for line in unit.lines if line.rule == "overdue"]
    assert sorted(line.points for line in lines) == [Fraction(-19, 10), Fraction(-2, 10)]


RATE = """
  - id: rates
    name: 按期办结率
    clause: 二
    points: 10
    rules:
      - id: on_time_rate
        kind: rate
        name: 按期办结率
        clause: 二
        text: 按期办结率达到70%的得满分,每低1个百分点扣1分,扣完为止
        of: closed_on_time
        full_at: 0.7
        per_point_below: -1
"""


def rate_scheme() -> Any:
    return parse_scheme((HEAD + RATE).replace("base: 30", "base: 40"), "items.yaml")


@pytest.mark.parametrize(
    ("on_time", "late", "expected"),
    [
        (7, 3, Fraction(10)),  # 70%: full marks
        (13, 7, Fraction(10 - 5)),  # 65%: 5 points below 70% → −5
        (1, 3, Fraction(0)),  # 25%: 45 points below → −45, the section stops at 0
        (2, 1, Fraction(10) - (70 - Fraction(200, 3))),  # 66.66…%: −10/3
    ],
)
def test_rate_threshold_and_slope(on_time: int, late: int, expected: Fraction) -> None:
    records: list[dict[str, object]] = []
    for n in range(on_time):
        records += item(f"T{n:02d}", "2024-03-31", "2024-03-01")
    for n in range(late):
        records += item(f"L{n:02d}", "2024-03-31", "2024-05-01")
    assert run(rate_scheme(), records).unit("t1").section("rates").exact == expected


def test_a_rate_over_no_counted_item_costs_nothing() -> None:
    records = item("A", "2024-12-31")
    unit = run(rate_scheme(), records, as_of=date(2024, 6, 30)).unit("t1")
    assert unit.section("rates").exact == 10


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("days_early: 10", "days_erly: 10", "unknown key 'days_erly'; did you mean 'days_early'?"),
        (
            "status: closed_early\n        days_early: 10",
            "status: closed_early",
            "give `days_early` exactly when",
        ),
        ("status: complete", "status: completed", "input should be 'complete'"),
    ],
)
def test_item_rules_are_validated(old: str, new: str, message: str) -> None:
    with pytest.raises(SchemeError) as caught:
        scheme_with(WORKLOAD.replace(old, new))
    assert any(message in p.message and p.line > 0 for p in caught.value.problems), caught.value


def test_item_rule_categories_must_exist() -> None:
    text = OVERDUE + "        categories: [taks]\n"
    with pytest.raises(SchemeError) as caught:
        parse_scheme((HEAD + text).replace("base: 30", "base: 40"), "items.yaml")
    (problem,) = caught.value.problems
    assert problem.path == "sections[1].rules[0].categories[0]"
    assert "did you mean 'tasks'?" in problem.message


def completion_scheme(option: str) -> Any:
    """The completion rule of `HEAD` (tasks 10, deeds 10, both proportional), with `option`."""
    rule = "categories: [tasks, deeds]}"
    return parse_scheme(HEAD.replace(rule, f"categories: [tasks, deeds], {option}}}"), "items.yaml")


# "Closed on or before the deadline in force is complete; closed later is complete only
# with `late_closure: complete`." A proportional category loses its share times the part
# of its counted items not complete: tasks have 10 points and 3 counted items.
@pytest.mark.parametrize(
    ("option", "expected"),
    [
        # A and B complete, C not: tasks lose 10 × 1/3
        ("late_closure: complete", 30 - Fraction(10, 3)),
        # only A complete: tasks lose 10 × 2/3
        ("late_closure: incomplete", 30 - Fraction(20, 3)),
    ],
    ids=["complete", "incomplete"],
)
def test_late_closure_complete_counts_an_item_closed_late_as_complete(
    option: str, expected: Fraction
) -> None:
    records = [
        *item("A", "2024-03-31", "2024-03-20"),  # closed on time
        *item("B", "2024-03-31", "2024-05-10"),  # closed late
        *item("C", "2024-03-31"),  # overdue and never closed: incomplete either way
        *item("D", "2024-03-31", "2024-03-20", category="deeds"),  # deeds complete: no loss
    ]
    assert run(completion_scheme(option), records).unit("t1").section("work").exact == expected


# "With `item_counts: when_due`, an item counts once its deadline in force is on or before
# the scoring date, or once it was closed or assessed; with `when_assigned`, from assignment."
@pytest.mark.parametrize(
    ("option", "expected"),
    [
        # on 06-30 B counts from its assignment, open: tasks lose 10 × 1/2
        ("item_counts: when_assigned", Fraction(30 - 5)),
        # B is due only on 09-30 and does not count yet: A alone, complete
        ("item_counts: when_due", Fraction(30)),
    ],
    ids=["when_assigned", "when_due"],
)
def test_item_counts_when_assigned_counts_an_item_not_yet_due(
    option: str, expected: Fraction
) -> None:
    records = [
        *item("A", "2024-03-31", "2024-03-20"),  # closed on time
        *item("B", "2024-09-30"),  # open, not yet due on the scoring date
        *item("D", "2024-03-31", "2024-03-20", category="deeds"),  # deeds complete: no loss
    ]
    report = run(completion_scheme(option), records, as_of=date(2024, 6, 30))
    assert report.unit("t1").section("work").exact == expected
