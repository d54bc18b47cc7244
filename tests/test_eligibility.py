"""Eligibility apart from points (issue 13, mechanisms 7 and 8): flags' bars and item
conditions, quota ties, `not_assessed` lacking any or all, values added to built-in event
types, and enums of numbers. Every expected figure is worked out by hand in a comment."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from builders import scheme_head

import assessment
from assessment import SchemeError, parse_scheme
from assessment._internal.model.upgrade import additions
from assessment.errors import InputError
from assessment.roster import Roster, Unit

UNITS = ("town-a", "town-b", "town-c", "town-d")


def _scheme(*, grades: str = "", flags: str = "", extra: str = "", rules: str = "") -> str:
    """Format 2: a tasks category of 10 in a work section of 10 (completion), and a 10-point
    bonus section scoring each commendation +1."""
    head = scheme_head("eligibility-test", "资格测试", 10).replace("format: 1", "format: 2")
    return f"""{head}
categories:
  - {{id: tasks, name: 任务, clause: 一, points: 10, method: proportional}}
{extra}
sections:
  - id: work
    name: 完成任务
    clause: 一
    points: 10
    rules:
      - {{id: completion, kind: completion, name: 完成, clause: 一, text: 完成, categories: [tasks]}}
{rules}
  - id: bonus
    name: 加分
    clause: 二
    points: 10
    start: zero
    rules:
      - id: commended
        kind: per_event
        name: 领导肯定
        clause: 二
        text: 受到领导肯定的每次加1分
        event: commendation
        points: 1
{grades}
{flags}
"""


def _roster() -> Roster:
    return Roster(units=tuple(Unit(id=u, name=u, kind="town") for u in UNITS))


def _praise(unit: str, n: int, level: str = "city") -> list[dict[str, object]]:
    return [
        {
            "id": f"{unit}-p{i}",
            "type": "commendation",
            "date": "2024-03-01",
            "unit": unit,
            "level": level,
            "circulated": False,
        }
        for i in range(n)
    ]


def _score(text: str, events: list[dict[str, object]]) -> assessment.Report:
    scheme = parse_scheme(text)
    return assessment.score(scheme, _roster(), assessment.parse_events(events, scheme, _roster()))


def _problems(text: str) -> list[str]:
    with pytest.raises(SchemeError) as caught:
        parse_scheme(text)
    return [p.message for p in caught.value.problems]


QUOTA = """
grades:
  - {{id: excellent, name: 优秀, min: 1, quota: 0.5, ties: {ties}}}
  - {{id: pass, name: 合格}}
"""


@pytest.mark.parametrize(
    ("ties", "excellent"),
    [("none_of_them", ["town-a"]), ("all_of_them", ["town-a", "town-b", "town-c"])],
)
def test_a_tie_at_the_quota_edge_is_broken_as_the_grade_says(
    ties: str, excellent: list[str]
) -> None:
    # Totals 3, 2, 2, 0 (10 work points each are kept: no items): 13, 12, 12, 10; quota
    # floor(0.5 × 4) = 2 and min 1 is met by all. The 2nd and 3rd tie at the edge (12):
    # none_of_them drops both (only 13); all_of_them keeps both (13, 12, 12).
    events = _praise("town-a", 3) + _praise("town-b", 2) + _praise("town-c", 2)
    report = _score(_scheme(grades=QUOTA.format(ties=ties)), events)
    assert sorted(u.unit for u in report.units if u.grade == "excellent") == excellent


def test_a_quota_without_ties_is_refused_in_format_2_and_read_as_none_in_format_1() -> None:
    text = _scheme(grades=QUOTA.format(ties="none_of_them").replace(", ties: none_of_them", ""))
    assert any("must say how a tie at the quota's edge is broken" in m for m in _problems(text))
    old = parse_scheme(text.replace("format: 2", "format: 1"))
    assert old.grades[0].ties == "none_of_them"
    stray = _scheme(grades="grades:\n  - {id: pass, name: 合格, ties: all_of_them}\n")
    assert any("`ties` applies only to a grade with a `quota`" in m for m in _problems(stray))


BARRING = """
flags:
  - id: praised_twice
    name: 测试标记
    raised_by: [{{rule: commended, at_least: 2}}]
    bars: [{bars}]
{best}
"""
GRADES = """
grades:
  - {id: excellent, name: 优秀, min: 12, quota: 0.5, ties: all_of_them}
  - {id: good, name: 良好, min: 11}
  - {id: pass, name: 合格}
"""


def test_a_flag_bars_the_quota_the_grades_above_a_level_and_the_ranking() -> None:
    # town-a: 3 praises → 13 and flagged; town-b 2 → 12 and flagged; town-c 1 → 11; town-d 10.
    events = _praise("town-a", 3) + _praise("town-b", 2) + _praise("town-c", 1)
    plain = _score(_scheme(grades=GRADES, flags=BARRING.format(bars="", best="")), events)
    # Barring nothing: quota floor(0.5 × 4) = 2 → a (13) and b (12) excellent.
    assert [u.grade for u in plain.units] == ["excellent", "excellent", "good", "pass"]
    quota = _score(_scheme(grades=GRADES, flags=BARRING.format(bars="quota", best="")), events)
    # a and b take no quota grade: the next they reach is good (≥ 11); c 11 good; d pass.
    assert {u.unit: u.grade for u in quota.units} == {
        "town-a": "good",
        "town-b": "good",
        "town-c": "good",
        "town-d": "pass",
    }
    best = "    best_grade: pass"
    capped = _score(_scheme(grades=GRADES, flags=BARRING.format(bars="", best=best)), events)
    # best_grade pass: a and b are pass whatever their totals; c good (11), d pass.
    assert {u.unit: u.grade for u in capped.units} == {
        "town-a": "pass",
        "town-b": "pass",
        "town-c": "good",
        "town-d": "pass",
    }
    assert capped.unit("town-a").barred_from == ("grades",)
    assert capped.unit("town-a").best_grade_name == "合格"
    unranked = _score(_scheme(grades=GRADES, flags=BARRING.format(bars="ranking", best="")), events)
    # a and b are not ranked; c and d close up to 1 and 2; a and b still graded excellent.
    assert {u.unit: (u.rank, u.grade) for u in unranked.units} == {
        "town-c": (1, "good"),
        "town-d": (2, "pass"),
        "town-a": (None, "excellent"),
        "town-b": (None, "excellent"),
    }


def test_the_commendation_bar_is_in_the_result_and_its_json() -> None:
    events = _praise("town-a", 2)
    report = _score(_scheme(flags=BARRING.format(bars="commendation", best="")), events)
    unit = report.unit("town-a")
    assert unit.barred_from == ("commendation",)
    assert json.loads(report.explained("town-a").model_dump_json())["barred_from"] == [
        "commendation"
    ]
    # A unit no flag bars keeps the JSON it always had: no eligibility keys at all.
    assert "barred_from" not in json.loads(report.explained("town-b").model_dump_json())


def _items(unit: str, specs: list[tuple[str, str, str | None]]) -> list[dict[str, object]]:
    events: list[dict[str, object]] = []
    for item, due, closed in specs:
        events.append(
            {
                "id": f"{item}-a",
                "type": "item_assigned",
                "date": "2024-01-05",
                "unit": unit,
                "item": item,
                "category": "tasks",
                "due": due,
            }
        )
        if closed is not None:
            events.append(
                {
                    "id": f"{item}-c",
                    "type": "item_closed",
                    "date": closed,
                    "unit": unit,
                    "item": item,
                }
            )
    return events


CONDITION = """
flags:
  - id: f
    name: 条件标记
    raised_when: [{condition}]
    bars: [commendation]
"""


@pytest.mark.parametrize(
    ("condition", "flagged"),
    [
        # town-a: A1 due 03-31 closed 07-15 (106 days late); A2 on time.
        # town-b: B1 due 09-30 open: 92 days overdue as of 12-31; B2 due 10-31 open: 61 days.
        # town-c: C1 due 12-31, not yet due on 12-31? it is: due day passed at 12-31 (0 days).
        # town-d: no item.
        ("{items: overdue, more_than_days: 90}", ["town-a", "town-b"]),
        ("{items: overdue, more_than_days: 100}", ["town-a"]),
        ("{items: overdue}", ["town-a", "town-b"]),  # C1 is 0 days overdue: not overdue
        ("{items: incomplete, at_least: 2}", ["town-b"]),  # B1, B2; a has one (A1), c one (C1)
        ("{items: complete, at_least: 1}", ["town-a"]),  # only A2
        ("{items: assigned, at_most: 0}", ["town-d"]),  # no supervised item at all
        ("{items: counted, at_least: 2}", ["town-a", "town-b"]),
    ],
)
def test_a_flag_is_raised_by_a_condition_on_items(condition: str, flagged: list[str]) -> None:
    events = _items(
        "town-a", [("A1", "2024-03-31", "2024-07-15"), ("A2", "2024-06-30", "2024-06-01")]
    )
    events += _items("town-b", [("B1", "2024-09-30", None), ("B2", "2024-10-31", None)])
    events += _items("town-c", [("C1", "2024-12-31", None)])
    report = _score(_scheme(flags=CONDITION.format(condition=condition)), events)
    assert sorted(u.unit for u in report.units if u.flags) == flagged
    assert all(u.barred_from == ("commendation",) for u in report.units if u.flags)


NOT_ASSESSED = """
      - id: campaign
        kind: completion
        name: 专项
        clause: 一
        text: 未承担专项行动任务的单位不参加排名
        categories: [safety, environment]
        unassigned: not_assessed
{lacking}
"""
CAMPAIGNS = """
  - {id: safety, name: 安全, clause: 二, points: 5, method: proportional}
  - {id: environment, name: 环境, clause: 二, points: 5, method: proportional}
"""


@pytest.mark.parametrize(
    ("lacking", "left_out"), [("any", ["town-b", "town-c"]), ("all", ["town-c"])]
)
def test_not_assessed_lacks_any_or_all_of_the_categories(lacking: str, left_out: list[str]) -> None:
    # town-a has both campaigns, town-b only safety, town-c neither (town-d neither too).
    text = _scheme(
        extra=CAMPAIGNS, rules=NOT_ASSESSED.format(lacking=f"        lacking: {lacking}")
    )
    text = text.replace("points: 10\n    rules:", "points: 20\n    rules:", 1).replace(
        "base: 10", "base: 20"
    )
    events: list[dict[str, object]] = []
    for unit, cats in (("town-a", ["safety", "environment"]), ("town-b", ["safety"])):
        for cat in cats:
            events.append(
                {
                    "id": f"{unit}-{cat}",
                    "type": "item_assigned",
                    "date": "2024-01-05",
                    "unit": unit,
                    "item": f"{unit}-{cat}",
                    "category": cat,
                    "due": "2024-06-30",
                }
            )
    report = _score(text, events)
    assert sorted(u.unit for u in report.units if not u.assessed) == sorted([*left_out, "town-d"])


def test_not_assessed_must_say_lacking_in_format_2_and_reads_any_in_format_1() -> None:
    text = _scheme(extra=CAMPAIGNS, rules=NOT_ASSESSED.format(lacking=""))
    assert any("say which unit is left out" in m for m in _problems(text))
    old = parse_scheme(
        text.replace("format: 2", "format: 1")
        .replace("points: 10\n    rules:", "points: 20\n    rules:", 1)
        .replace("base: 10", "base: 20")
    )
    assert old.sections[0].rules[1].lacking == "any"  # type: ignore[union-attr]
    stray = _scheme().replace("categories: [tasks]}", "categories: [tasks], lacking: all}")
    assert any(
        "`lacking` applies only to `unassigned: not_assessed`" in m for m in _problems(stray)
    )


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ("raised_by: [{rule: commended}]", "a flag must say what it bars the unit from"),
        ("raised_by: [{rule: commended}]\n    bars: [quota]", "no grade has a quota"),
        (
            "raised_by: [{rule: commended}]\n    bars: []\n    best_grade: god",
            "the scheme has no grades",
        ),
        ("bars: []", "give `raised_by` (rules) or `raised_when` (item conditions)"),
        (
            "raised_when: [{items: incomplete, more_than_days: 3}]\n    bars: []",
            "`more_than_days` applies only to `items: overdue`",
        ),
        (
            "raised_when: [{items: overdue, categories: [taks]}]\n    bars: []",
            "unknown category 'taks'; did you mean 'tasks'?",
        ),
        (
            "raised_when: [{items: overdue, at_least: 1, at_most: 2}]\n    bars: []",
            "give `at_least` or `at_most`, not both",
        ),
        ("raised_by: [{rule: commended}]\n    bars: [ranking, ranking]", "names something twice"),
        (
            "raised_by: [{rule: commended}]\n    veto: true\n    bars: []\n    best_grade: pass",
            "a veto gives the lowest grade already",
        ),
    ],
)
def test_flags_that_cannot_do_what_they_say_are_refused(flags: str, message: str) -> None:
    text = _scheme(flags=f"flags:\n  - id: f\n    name: 标记\n    {flags}\n")
    assert any(message in m for m in _problems(text)), _problems(text)


@pytest.mark.parametrize(
    ("best", "message"),
    [
        ("god", "unknown grade 'god'; did you mean 'good'?"),
        ("excellent", "'excellent' is the best grade"),
    ],
)
def test_a_best_grade_must_be_a_grade_below_the_best(best: str, message: str) -> None:
    flags = f"flags:\n  - {{id: f, name: 标记, raised_by: [{{rule: commended}}], bars: [], best_grade: {best}}}\n"
    assert any(message in m for m in _problems(_scheme(grades=GRADES, flags=flags)))


def test_a_condition_on_items_needs_item_categories() -> None:
    text = _scheme(flags=CONDITION.format(condition="{items: overdue}"))
    text = text.replace(
        "categories:\n  - {id: tasks, name: 任务, clause: 一, points: 10, method: proportional}\n",
        "",
    )
    text = text.replace(
        "      - {id: completion, kind: completion, name: 完成, clause: 一, text: 完成, categories: [tasks]}\n",
        "      - {id: none, kind: per_event, name: 批评, clause: 一, text: 批评扣1分, event: commendation, points: -1, sign: any, note: 测试}\n",
    )
    assert any("the scheme has no item categories" in m for m in _problems(text))


# ---------------------------------------------------------------- mechanism 8: extends

PROVINCE = """
extends:
  - {event: commendation, field: level, add_values: [province]}
"""


def test_a_scheme_adds_a_level_to_the_built_in_commendation() -> None:
    text = _scheme(extra=PROVINCE).replace(
        "        points: 1\n", "        points: {by: level, table: {province: 3, city: 2}}\n"
    )
    # province +3, city +2, district (not in the table) 0: 5 in all.
    events = (
        _praise("town-a", 1, "province")
        + [{**e, "id": f"{e['id']}c"} for e in _praise("town-a", 1, "city")]
        + [{**e, "id": f"{e['id']}d"} for e in _praise("town-a", 1, "district")]
    )
    assert _score(text, events).unit("town-a").section("bonus").exact == 5
    # Without the extension the level is refused at the event, and in the scheme's table.
    with pytest.raises(InputError):
        _score(_scheme(), _praise("town-a", 1, "province"))
    plain = _scheme().replace(
        "        points: 1\n", "        points: {by: level, table: {province: 3}}\n"
    )
    assert any(
        "'province' can never be the value of commendation.level" in m for m in _problems(plain)
    )


@pytest.mark.parametrize(
    ("extension", "message"),
    [
        (
            "{event: commendation, field: level, add_values: [city]}",
            "'city' is already a value of commendation.level",
        ),
        (
            "{event: comendation, field: level, add_values: [x]}",
            "unknown built-in event type 'comendation'; did you mean 'commendation'?",
        ),
        ("{event: commendation, field: levle, add_values: [x]}", "did you mean 'level'?"),
        (
            "{event: commendation, field: circulated, add_values: [x]}",
            "commendation.circulated is not an enumeration",
        ),
        ("{event: commendation, field: level, add_values: [2]}", "commendation.level holds text"),
        ("{event: commendation, field: level, add_values: [x, x]}", "listed twice"),
    ],
)
def test_extensions_that_would_change_a_built_in_type_are_refused(
    extension: str, message: str
) -> None:
    text = _scheme(extra=f"extends:\n  - {extension}\n")
    assert any(message in m for m in _problems(text)), _problems(text)


def test_extending_a_declared_type_or_the_same_field_twice_is_refused() -> None:
    declared = """
event_types:
  - id: rating
    name: 评定
    fields: [{id: grade, type: enum, values: [a, b]}]
extends:
  - {event: rating, field: grade, add_values: [c]}
  - {event: commendation, field: level, add_values: [province]}
  - {event: commendation, field: level, add_values: [county]}
"""
    problems = _problems(_scheme(extra=declared))
    assert any("'rating' is declared by this scheme" in m for m in problems)
    assert any("commendation.level is extended above" in m for m in problems)


# ---------------------------------------------------------------- numbers as enum values

RATED = """
event_types:
  - id: rating
    name: 专报评定
    fields: [{id: value, name: 分值, type: enum, values: [0.5, 1, 1.5]}]
"""


def test_an_enum_of_numbers_is_written_and_carried_as_numbers(tmp_path: Path) -> None:
    text = _scheme(extra=RATED).replace(
        "        event: commendation\n        points: 1\n",
        "        event: rating\n        points: {by: value, table: {0.5: 0.5, 1: 1, 1.5: 1.5}}\n",
    )
    scheme = parse_scheme(text)
    assert scheme.event_types[0].fields[0].values == (Decimal("0.5"), Decimal(1), Decimal("1.5"))
    # 1.5 as a number, "1.50" as text (the same number), 1 and 0.5: 1.5 + 1.5 + 1 + 0.5 = 4.5
    events = [
        {"id": f"r{i}", "type": "rating", "date": "2024-05-01", "unit": "town-a", "value": v}
        for i, v in enumerate([1.5, "1.50", 1, 0.5])
    ]
    assert _score(text, events).unit("town-a").section("bonus").exact == Decimal("4.5")
    # The same from JSON Lines, where 1.5 is a JSON number: read exactly, never as a float.
    ledger = tmp_path / "events.jsonl"
    ledger.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    read = assessment.read_events(ledger, scheme, _roster())
    assert assessment.score(scheme, _roster(), read).unit("town-a").section(
        "bonus"
    ).exact == Decimal("4.5")
    with pytest.raises(InputError) as caught:
        _score(text, [{**events[0], "value": 2}])
    assert "must be one of 0.5, 1, 1.5" in str(caught.value)


def test_an_enum_of_numbers_checks_the_scheme_s_values() -> None:
    text = _scheme(extra=RATED).replace(
        "        event: commendation\n        points: 1\n",
        "        event: rating\n        where: {value: 2}\n        points: 1\n",
    )
    assert any(
        "2 can never be the value of rating.value (its values are 0.5, 1, 1.5)" in m
        for m in _problems(text)
    )
    at_least = text.replace("where: {value: 2}", "where: {value: {gt: 1.5}}")
    assert any("no value of rating.value" in m for m in _problems(at_least))
    fine = text.replace("where: {value: 2}", "where: {value: {ge: 1}}")
    parse_scheme(fine)
    mixed = _scheme(extra=RATED.replace("[0.5, 1, 1.5]", "[0.5, one]"))
    assert any("all text or all numbers" in m for m in _problems(mixed))
    twice = _scheme(extra=RATED.replace("[0.5, 1, 1.5]", "[0.5, 0.50]"))
    assert any("listed twice" in m for m in _problems(twice))


@pytest.mark.parametrize(
    ("roles", "flagged"), [("[lead]", ["town-a"]), ("[lead, cohandler]", ["town-a", "town-b"])]
)
def test_a_condition_on_items_counts_the_roles_it_names(roles: str, flagged: list[str]) -> None:
    # A1, led by town-a and co-handled by town-b, is open past its 2024-03-31 deadline.
    events = _items("town-a", [("A1", "2024-03-31", None)])
    events[0]["cohandlers"] = ["town-b"]
    condition = f"{{items: overdue, roles: {roles}}}"
    report = _score(_scheme(flags=CONDITION.format(condition=condition)), events)
    assert sorted(u.unit for u in report.units if u.flags) == flagged


def test_format_1_flags_bar_nothing_and_migrate_says_so() -> None:
    flag = "flags:\n  - {id: f, name: 标记, raised_by: [{rule: commended}]}\n"
    text = _scheme(flags=flag)
    assert any("a flag must say what it bars" in m for m in _problems(text))
    old = text.replace("format: 2", "format: 1")
    assert parse_scheme(old).flags[0].bars == ()
    found = additions(yaml.safe_load(old))
    assert [(a.parent, a.key, a.value) for a in found] == [(("flags", 0), "bars", [])]
