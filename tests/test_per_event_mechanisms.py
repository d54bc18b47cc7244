"""per_event rules beyond 2023: points by field value, multipliers, escalation, caps, exclusivity.

Each scheme here is a small YAML text; each expectation is computed by hand in
the comment beside it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import pytest
from builders import scheme_head, tasks_work

from assessment import Report, Roster, SchemeError, Unit, parse_events, parse_scheme, score

HEAD = scheme_head("mechanisms", "机制测试", 50, kinds=("town", "department")) + tasks_work(
    10, 50, name="工作"
)

ROSTER = Roster(
    units=(Unit(id="t1", name="一镇", kind="town"), Unit(id="d1", name="一局", kind="department"))
)


def scheme_with(rules: str, section: str = "", points: int = 50, start: str = "full") -> Any:
    text = HEAD + rules
    if section:
        text += (
            f"""
  - id: {section}
    name: 测试
    clause: 二
    points: {points}
    start: {start}
    rules:
"""
            + rules
        )
        text = HEAD + text[len(HEAD) + len(rules) :]
        if start == "full":
            text = text.replace("base: 50", f"base: {50 + points}")
    return parse_scheme(text, "mechanisms.yaml")


def run(scheme: Any, records: Sequence[Mapping[str, object]]) -> Report:
    numbered = [{"id": f"e{i}", **r} for i, r in enumerate(records, 1)]
    return score(scheme, ROSTER, parse_events(numbered, scheme, ROSTER))


def assigned(unit: str, item: str) -> dict[str, object]:
    return {
        "type": "item_assigned",
        "date": "2024-01-05",
        "unit": unit,
        "item": item,
        "category": "tasks",
        "due": "2024-12-31",
    }


def praise(
    unit: str, day: str, level: str, circulated: bool = True, item: str | None = None
) -> dict[str, object]:
    record: dict[str, object] = {
        "type": "commendation",
        "date": day,
        "unit": unit,
        "level": level,
        "circulated": circulated,
    }
    if item:
        record["item"] = item
    return record


BONUS_BY_LEVEL = """
      - id: praise
        kind: per_event
        name: 表扬
        clause: 二
        text: 市级表扬加5分,区级加3分
        event: commendation
        where: {circulated: true}
        points:
          by: level
          table: {city: 5, district: 3}
"""


def test_points_by_field_value() -> None:
    scheme = scheme_with(BONUS_BY_LEVEL, section="bonus", points=20, start="zero")
    report = run(
        scheme,
        [
            praise("t1", "2024-03-01", "city"),
            praise("t1", "2024-04-01", "district"),
            praise("t1", "2024-05-01", "city", circulated=False),
        ],
    )
    # 5 (city) + 3 (district); the uncirculated one earns nothing
    assert report.unit("t1").section("bonus").exact == 8


def test_a_table_value_missing_and_no_default_earns_nothing() -> None:
    scheme = scheme_with(
        BONUS_BY_LEVEL.replace("{city: 5, district: 3}", "{city: 5}"),
        section="bonus",
        points=20,
        start="zero",
    )
    report = run(scheme, [praise("t1", "2024-03-01", "district")])
    assert report.unit("t1").section("bonus").exact == 0
    assert report.unit("t1").lines == ()


@pytest.mark.parametrize(
    ("of", "table", "department_points"),
    [
        ("unit_kind", "{department: 2}", 10),  # 5 × 2 (town: default factor 1)
        ("group", "{departments: 3}", 15),  # departments: 5 × 3 (towns: default factor 1)
    ],
    ids=["unit_kind", "group"],
)
def test_multiplier_by_who_the_unit_is(of: str, table: str, department_points: int) -> None:
    rules = (
        BONUS_BY_LEVEL + f"        multiply:\n          - of: {of}\n            table: {table}\n"
    )
    scheme = scheme_with(rules, section="bonus", points=20, start="zero")
    report = run(scheme, [praise("t1", "2024-03-01", "city"), praise("d1", "2024-03-01", "city")])
    assert report.unit("t1").section("bonus").exact == 5  # 5 × 1
    assert report.unit("d1").section("bonus").exact == department_points


def test_multiplier_by_event_field() -> None:
    rules = (
        BONUS_BY_LEVEL.replace("{city: 5, district: 3}", "{city: 2, district: 2}")
        + """        multiply:
          - of: field
            field: level
            table: {city: 3}
"""
    )
    scheme = scheme_with(rules, section="bonus", points=20, start="zero")
    report = run(
        scheme, [praise("t1", "2024-03-01", "city"), praise("t1", "2024-04-01", "district")]
    )
    assert report.unit("t1").section("bonus").exact == 2 * 3 + 2 * 1


ESCALATING = """
      - id: renotice
        kind: per_event
        name: 再次督办
        clause: 二
        text: 第一次扣1分,第二次扣3分,第三次及以上扣10分
        event: item_extended
        steps: [-1, -3, -10]
"""


def extension(unit: str, item: str, day: str, due: str) -> dict[str, object]:
    return {
        "type": "item_extended",
        "date": day,
        "unit": unit,
        "item": item,
        "due": due,
        "reason": "复杂",
    }


def extended(times: int) -> list[dict[str, object]]:
    """t1's item A, extended `times` times: on the 1st of each month from February, to a month-end."""
    dues = ["2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30"][:times]
    renewals = [extension("t1", "A", f"2024-{n:02d}-01", due) for n, due in enumerate(dues, 2)]
    return [assigned("t1", "A"), *renewals]


def test_escalating_points_by_occurrence() -> None:
    scheme = scheme_with(ESCALATING, section="discipline", points=30)
    records = extended(4)
    report = run(scheme, records)
    lines = [line for line in report.unit("t1").lines if line.rule == "renotice"]
    assert [line.points for line in lines] == [-1, -3, -10, -10]
    assert report.unit("t1").section("discipline").exact == 30 - 24


def test_rule_cap_and_max_count() -> None:
    capped = ESCALATING + "        cap: 5\n"
    scheme = scheme_with(capped, section="discipline", points=30)
    records = extended(3)
    lines = [line for line in run(scheme, records).unit("t1").lines if line.rule == "renotice"]
    # -1, -3 fit in the cap of 5; the third (-10) is cut to the remaining -1
    assert [(line.points, line.applied, line.limited_by) for line in lines] == [
        (Fraction(-1), Fraction(-1), None),
        (Fraction(-3), Fraction(-3), None),
        (Fraction(-10), Fraction(-1), "rule_cap"),
    ]
    counted = scheme_with(ESCALATING + "        max_count: 2\n", section="discipline", points=30)
    report = run(counted, records)
    assert report.unit("t1").section("discipline").exact == 30 - 4


EXCLUSIVE = """
      - id: praise_city
        kind: per_event
        name: 市级肯定
        clause: 二
        text: 市领导肯定加4分
        event: commendation
        where: {level: city}
        points: 4
        exclusive: praise
      - id: praise_circulated
        kind: per_event
        name: 通报表扬
        clause: 二
        text: 通报表扬加6分,与肯定取最高,不重复计分
        event: commendation
        where: {circulated: true}
        points: 6
        exclusive: praise
"""


def test_exclusive_rules_take_the_highest_on_an_item() -> None:
    scheme = scheme_with(EXCLUSIVE, section="bonus", points=20, start="zero")
    records = [
        assigned("t1", "A"),
        assigned("t1", "B"),
        praise("t1", "2024-03-01", "city", circulated=True, item="A"),  # 4 or 6: 6
        praise("t1", "2024-04-01", "city", circulated=False, item="B"),
    ]  # 4 only
    report = run(scheme, records)
    unit = report.unit("t1")
    assert unit.section("bonus").exact == 6 + 4
    excluded = [line for line in unit.lines if line.limited_by == "exclusive"]
    assert [(line.rule, line.points, line.applied) for line in excluded] == [
        ("praise_city", Fraction(4), Fraction(0))
    ]


def test_a_line_another_rule_counted_instead_uses_none_of_its_rules_cap() -> None:
    # praise_city: +4 each, at most 4 in all. Item A is affirmed by the city and circulated:
    # 6 (circulated) counts, not 4; item B is affirmed only: its 4 fits the city rule's cap,
    # which A's excluded line did not use. 6 + 4 = 10.
    capped_city = EXCLUSIVE.replace("        points: 4\n", "        points: 4\n        cap: 4\n", 1)
    scheme = scheme_with(capped_city, section="bonus", points=20, start="zero")
    records = [
        assigned("t1", "A"),
        assigned("t1", "B"),
        praise("t1", "2024-03-01", "city", circulated=True, item="A"),
        praise("t1", "2024-04-01", "city", circulated=False, item="B"),
    ]
    unit = run(scheme, records).unit("t1")
    assert unit.section("bonus").exact == 10
    city = [(x.events, x.applied, x.limited_by) for x in unit.lines if x.rule == "praise_city"]
    assert city == [(("e3",), Fraction(0), "exclusive"), (("e4",), Fraction(4), None)]


def test_the_trail_of_every_mechanism_adds_up() -> None:
    scheme = scheme_with(EXCLUSIVE, section="bonus", points=5, start="zero")
    records = [
        assigned("t1", "A"),
        praise("t1", "2024-03-01", "city", item="A"),
        praise("t1", "2024-04-01", "city"),
    ]
    unit = run(scheme, records).unit("t1")
    bonus = unit.section("bonus")
    applied = sum((line.applied for line in unit.lines if line.section == "bonus"), Fraction(0))
    assert bonus.exact == applied == 5  # 6 + 6 capped at the section's 5


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "by: level",
            "by: levle",
            "unknown field 'levle' of event type 'commendation'; did you mean 'level'?",
        ),
        (
            "{city: 5, district: 3}",
            "{city: 5, provincal: 3}",
            "'provincal' can never be the value of commendation.level",
        ),
        (
            "points:\n          by",
            "steps: [1]\n        points:\n          by",
            "give either `points` or `steps`",
        ),
    ],
)
def test_new_constructs_are_validated_with_located_messages(
    old: str, new: str, message: str
) -> None:
    rules = BONUS_BY_LEVEL.replace(old, new)
    with pytest.raises(SchemeError) as caught:
        scheme_with(rules, section="bonus", points=20, start="zero")
    (problem,) = caught.value.problems
    assert message in problem.message
    assert problem.file == "mechanisms.yaml" and problem.line > 0


def test_multiplier_keys_must_be_known_unit_kinds() -> None:
    rules = (
        BONUS_BY_LEVEL
        + """        multiply:
          - of: unit_kind
            table: {departmnt: 2}
"""
    )
    with pytest.raises(SchemeError) as caught:
        scheme_with(rules, section="bonus", points=20, start="zero")
    (problem,) = caught.value.problems
    assert problem.path.endswith("multiply[0].table.departmnt")
    assert "did you mean 'department'?" in problem.message
