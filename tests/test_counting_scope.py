"""Counting scope (`per`) on every rule that counts, points from the event within a band, and
the one rule shape: each modifier applies to the kinds it makes sense for and is refused,
saying why, on the others. Every figure is computed by hand from the rule's sentence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, get_args

import pytest
from builders import scheme_head, tasks_work
from pydantic import TypeAdapter, ValidationError

from assessment import Report, Roster, SchemeError, Unit, parse_events, parse_scheme, score
from assessment.errors import EventsError
from assessment.scheme import Rule

ROSTER = Roster(units=(Unit(id="t1", name="一镇", kind="town"),))

EVENT_TYPES = """
event_types:
  - id: notice
    name: 再次督办
    fields:
      - {id: item, name: 督查事项, type: string}
  - id: bonus_claim
    name: 加分申报
    fields:
      - {id: value, name: 加分值, type: decimal, required: false}
      - {id: basis, name: 依据, type: enum, values: [praise, other]}
"""


def scheme_with(rules: str) -> Any:
    """The `work` section (a completion rule over `tasks`), then a section `extra` of 30 that
    starts full and holds `rules`."""
    head = scheme_head("counting", "计次测试", 80) + EVENT_TYPES + tasks_work(50, 50)
    section = "  - {id: extra, name: 其他, clause: 二, points: 30, rules: [" + rules + "]}\n"
    return parse_scheme(head + section, "counting.yaml")


def run(scheme: Any, records: Sequence[Mapping[str, object]]) -> Report:
    numbered = [{"id": f"e{i}", "unit": "t1", **r} for i, r in enumerate(records, 1)]
    return score(scheme, ROSTER, parse_events(numbered, scheme, ROSTER))


ASSIGNED = {"type": "item_assigned", "date": "2024-01-02", "category": "tasks"}


def item(ident: str, due: str) -> dict[str, object]:
    return {**ASSIGNED, "item": ident, "due": due}


def lines(report: Report, rule: str) -> list[tuple[Fraction, Fraction]]:
    return [(line.points, line.applied) for line in report.unit("t1").lines if line.rule == rule]


RULE = "{{id: {id}, kind: {kind}, name: 测试, clause: 二, text: 测试, {rest}}}"

# ---------------------------------------------------------------- the one rule shape

MODIFIERS = ("steps", "max_count", "per", "cap", "multiply")
TAKES = {  # which kinds take which modifier, as the "one rule shape" reads
    "per_event": {"steps", "max_count", "per", "cap", "multiply"},
    "per_item": {"steps", "max_count", "per", "cap", "multiply"},
    "threshold": {"steps", "max_count", "per", "cap"},
    "overdue": {"cap", "multiply"},
    "rate": {"cap"},
    "all_items": {"cap", "multiply"},
    "finding": set(),
    "periodic": set(),
    "completion": set(),
    "adjustment": set(),
}


def test_each_modifier_is_a_field_of_the_kinds_that_take_it_and_refused_on_the_others() -> None:
    (union, _) = get_args(Rule)
    for model in get_args(union):
        kind = model.model_fields["kind"].annotation.__args__[0]
        for key in MODIFIERS:
            if key in TAKES[kind]:
                assert key in model.model_fields, (kind, key)
                continue
            with pytest.raises(ValidationError) as caught:
                TypeAdapter(Rule).validate_python({"kind": kind, key: 1})
            (error,) = caught.value.errors()
            assert error["msg"].startswith(
                f"Value error, `{key}` does not apply to a {kind} rule ("
            ), (kind, key)
            assert error["msg"].endswith("): remove it")


# ---------------------------------------------------------------- per on each kind that counts


def test_per_item_steps_count_each_quarter_apart() -> None:
    # 逾期未完成的,每季度第1项扣1分,第2项及以上每项扣3分 (per quarter).
    rule = RULE.format(
        id="late", kind="per_item", rest="status: incomplete, steps: [-1, -3], per: quarter"
    )
    dues = {"Z": "2024-01-31", "B": "2024-02-29", "A": "2024-03-31", "C": "2024-05-31"}
    report = run(scheme_with(rule), [item(ident, due) for ident, due in dues.items()])
    # In the order their deadlines passed: Q1 Z −1, B −3, A −3; Q2 C −1 (its own 1st).
    # Counted per unit it would be −1 −3 −3 −3 = −10.
    found = [
        (line.facts["item"], line.points) for line in report.unit("t1").lines if line.rule == "late"
    ]
    assert found == [
        ("Z", Fraction(-1)),
        ("B", Fraction(-3)),
        ("A", Fraction(-3)),
        ("C", Fraction(-1)),
    ]
    assert report.unit("t1").section("extra").exact == 30 - 8


def test_a_threshold_per_item_repeats_on_each_item_apart() -> None:
    # 再次督办的每次扣1分;同一事项每累计2次再次督办的,加扣2分.
    notice = RULE.format(id="notice", kind="per_event", rest="event: notice, points: -1")
    twice = RULE.format(
        id="twice",
        kind="threshold",
        rest="counts: notice, at: 2, repeat: true, per: item, points: -2",
    )
    days = ["2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01", "2024-06-01"]
    records: list[dict[str, object]] = [item("X", "2024-12-31"), item("Y", "2024-12-31")]
    records += [{"type": "notice", "date": day, "item": "X"} for day in days]
    records.append({"type": "notice", "date": "2024-02-15", "item": "Y"})
    report = run(scheme_with(notice + ", " + twice), records)
    # X: 5 notices reach 2 and 4: −2 −2; Y: 1. Counted per unit, 6 notices would reach 2, 4, 6.
    assert lines(report, "twice") == [(Fraction(-2), Fraction(-2))] * 2
    assert {line.facts["scope"] for line in report.unit("t1").lines if line.rule == "twice"} == {
        "X"
    }
    assert report.unit("t1").section("extra").exact == 30 - 6 - 4


def test_a_cap_per_month_holds_in_each_month_apart() -> None:
    # 再次督办的每次扣0.5分,每月扣分不超过1分.
    rule = RULE.format(
        id="notice", kind="per_event", rest="event: notice, points: -0.5, cap: 1, per: month"
    )
    days = ["2024-03-01", "2024-03-05", "2024-03-09", "2024-04-01"]
    records: list[dict[str, object]] = [item("X", "2024-12-31")]
    records += [{"type": "notice", "date": d, "item": "X"} for d in days]
    report = run(scheme_with(rule), records)
    # March: −0.5 −0.5, the third cut to 0; April: −0.5 (1 in all per unit would stop at −1).
    half = Fraction(-1, 2)
    assert lines(report, "notice") == [
        (half, half),
        (half, half),
        (half, Fraction(0)),
        (half, half),
    ]


def test_a_threshold_past_what_its_rule_counts_per_period_is_refused() -> None:
    late = RULE.format(
        id="late", kind="per_event", rest="event: notice, points: -0.5, max_count: 3, per: month"
    )
    four = RULE.format(
        id="four", kind="threshold", rest="counts: late, at: 4, per: month, points: -1"
    )
    with pytest.raises(SchemeError) as caught:
        scheme_with(late + ", " + four)
    assert [p.message for p in caught.value.problems] == [
        "rule 'late' counts at most 3 per month: `at: 4` is never reached"
    ]


# ---------------------------------------------------------------- points from the event


BAND = RULE.format(
    id="claim",
    kind="per_event",
    rest="event: bonus_claim, where: {basis: praise}, points: {from: value, min: -1, max: -0.5, step: 0.5}",
)


def test_a_missing_value_is_refused_and_an_event_the_rule_does_not_read_is_not_checked() -> None:
    scheme = scheme_with(BAND)
    other = {"type": "bonus_claim", "date": "2024-03-01", "basis": "other", "value": 7}
    report = run(
        scheme,
        [other, {"type": "bonus_claim", "date": "2024-03-02", "basis": "praise", "value": -1}],
    )
    assert lines(report, "claim") == [
        (Fraction(-1), Fraction(-1))
    ]  # the band's low end, as recorded
    with pytest.raises(EventsError) as caught:
        run(scheme, [{"type": "bonus_claim", "date": "2024-03-02", "basis": "praise"}])
    (problem,) = caught.value.problems
    assert (problem.line, problem.path) == (1, "value")
    assert problem.message == (
        "missing: rule 'claim' takes its points from value; give a value from -1 to -0.5"
    )


def test_a_band_against_its_section_sign_is_refused_at_its_end() -> None:
    with pytest.raises(SchemeError) as caught:
        scheme_with(BAND.replace("min: -1, max: -0.5", "min: -1, max: 0.5"))
    (problem,) = caught.value.problems
    assert problem.path == "sections[1].rules[0].points.max"
    assert problem.message.startswith("0.5 adds points, but the section starts full")
