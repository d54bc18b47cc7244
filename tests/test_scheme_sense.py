"""What a scheme says must be able to happen as it says: values a field can hold, rules that can
fire, signs that mean what the rule means, periods that are periods, numbers typed half-width.

The corpus (tests/data/invalid/schemes/) holds one refused file per mistake; these tests keep the
checks from refusing what is right: each valid variant here loads.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import per_completed_rule

from assessment import SchemeError, parse_scheme

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = (ROOT / "tests/data/valid/schemes/minimal.yaml").read_text(encoding="utf-8")

DECLARED = """event_types:
  - id: review
    name: 专项检查
    fields:
      - {id: subitem, name: 检查子项, type: enum, values: [documents, meetings]}
      - {id: accepted, name: 是否通过, type: boolean}
      - {id: amount, name: 金额, type: decimal, required: false}
      - {id: count, name: 次数, type: integer, required: false}
      - {id: held, name: 日期, type: date, required: false}
      - {id: quarter, name: 季度, type: quarter, required: false}
sections:"""


def _with_rule(rule: str, *, declared: bool = True) -> str:
    text = MINIMAL.replace("sections:", DECLARED, 1) if declared else MINIMAL
    anchor = "      - id: extension\n        kind: per_event"
    assert anchor in text
    return text.replace(anchor, rule.rstrip("\n") + "\n" + anchor, 1)


RULE = """      - id: r
        kind: per_event
        name: 规则
        clause: 三
        text: 扣1分
        event: review
{body}
        points: -1
"""


@pytest.mark.parametrize(
    "where",
    [
        "        where: {subitem: documents, accepted: false}",
        "        where: {subitem: {in: [documents, meetings]}, accepted: {ne: true}}",
        "        where: {amount: {gt: 0.5, le: 10}, count: {ge: 2}}",
        "        where: {amount: {present: false}, count: 3}",
        "        where: {held: {ge: 2024-03-01}, date: {lt: 2024-07-01}}",
        "        where: {quarter: 2024-Q2}",
    ],
)
def test_conditions_on_values_a_field_can_hold_load(where: str) -> None:
    parse_scheme(_with_rule(RULE.format(body=where)))


@pytest.mark.parametrize(
    ("where", "fault"),
    [
        ("        where: {count: 2.5}", "2.5 can never be the value of review.count, a number"),
        ("        where: {held: '2024-03-01'}", "a date: write it as 2024-03-31, without quotes"),
        ("        where: {accepted: 1}", "1 can never be the value of review.accepted"),
        ("        where: {subitem: {not_in: [meeting]}}", "did you mean 'meetings'?"),
        ("        where: {quarter: 2024-Q5}", "'2024-Q5' can never be the value of review.quarter"),
        ("        where: {accepted: {gt: false}}", "`gt` compares numbers, dates and periods"),
        ("        where: {subitem: {not_in: [documents, meetings]}}", "meets this condition"),
        ("        where: {subitem: {eq: documents, ne: documents}}", "meets this condition"),
        ("        where: {count: {gt: 5, lt: 3}}", "is both > 5 and < 3"),
        ("        where: {count: 10000000000000000000000}", "a number within its bounds"),
        ("        where: {date: {ge: 2023-07-01}}", "is it a date of another year?"),
    ],
)
def test_conditions_no_event_can_meet_are_refused(where: str, fault: str) -> None:
    with pytest.raises(SchemeError) as caught:
        parse_scheme(_with_rule(RULE.format(body=where)))
    messages = [p.message for p in caught.value.problems]
    assert len(messages) == 1 and fault in messages[0], messages


@pytest.mark.parametrize(
    ("event", "where", "fault"),
    [
        # Required fields of built-in types: their constraints are checked too.
        ("report_submitted", "{month: 2024-13}", "a month written YYYY-MM"),
        ("report_submitted", "{month: {ge: 2024-00}}", "a month written YYYY-MM"),
        ("item_assessed", "{completion: {gt: 1.5}}", "a number within its bounds"),
        ("adjustment", "{points: 5000}", "a number within its bounds"),
        ("commendation", "{unit: ' town-a'}", "its values are read trimmed, as 'town-a'"),
    ],
)
def test_conditions_on_required_fields_keep_their_constraints(
    event: str, where: str, fault: str
) -> None:
    rule = RULE.format(body=f"        where: {where}").replace("event: review", f"event: {event}")
    with pytest.raises(SchemeError) as caught:
        parse_scheme(_with_rule(rule))
    messages = [p.message for p in caught.value.problems]
    assert len(messages) == 1 and fault in messages[0], messages


def test_a_table_key_must_be_written_as_the_value_reads() -> None:
    rule = RULE.format(body="").replace(
        "        points: -1", "        points: {by: amount, table: {'0.5': -1, '2': -2}}"
    )
    parse_scheme(_with_rule(rule))
    with pytest.raises(SchemeError) as caught:
        parse_scheme(_with_rule(rule.replace("'0.5'", "'0.50'")))
    assert [p.message for p in caught.value.problems] == [
        "'0.50' is read as '0.5' in review.amount: write the key as 0.5"
    ]


def test_a_sign_against_the_rules_meaning_loads_when_the_scheme_says_so() -> None:
    rule = """      - id: restored
        kind: per_event
        name: 整改到位加回
        clause: 三
        text: 整改到位的加回1分
        event: commendation
        points: 1
        sign: any
        note: 整改到位的, 加回此前所扣的分数; the section starts full, so this restores points.
"""
    parse_scheme(_with_rule(rule, declared=False))
    with pytest.raises(SchemeError) as caught:
        parse_scheme(_with_rule(rule.replace("        sign: any\n", ""), declared=False))
    assert "1 adds points, but the section starts full" in caught.value.problems[0].message


def _in_bonus(rule: str) -> str:
    """The minimal scheme with `rule` in its bonus section (which starts at zero, floor 0)."""
    anchor = "      - id: praise\n        kind: per_event"
    assert anchor in MINIMAL
    return MINIMAL.replace(anchor, rule.rstrip("\n") + "\n" + anchor, 1)


def test_item_rules_take_their_sign_from_the_status_and_the_section() -> None:
    rule = per_completed_rule("三")
    parse_scheme(_in_bonus(rule))  # a gain, in a section that gains
    with pytest.raises(SchemeError) as caught:
        parse_scheme(_with_rule(rule, declared=False))  # a gain, in a section that loses
    assert "1 adds points, but the section starts full" in caught.value.problems[0].message
    incomplete = rule.replace("status: complete", "status: incomplete")
    with pytest.raises(SchemeError) as caught:
        parse_scheme(_with_rule(incomplete, declared=False))
    assert "an item incomplete is a deduction" in caught.value.problems[0].message


@pytest.mark.parametrize(
    ("points", "path"),
    [
        ("        steps: [-1, 3]", "steps[1]"),
        ("        points: {by: level, table: {city: -1, district: 2}}", "points.table.district"),
        ("        points: {by: level, table: {city: -1}, default: 1}", "points.default"),
    ],
)
def test_every_point_of_a_table_or_steps_is_checked(points: str, path: str) -> None:
    rule = RULE.format(body="").replace("event: review", "event: commendation")
    rule = rule.replace("        points: -1", points)
    with pytest.raises(SchemeError) as caught:
        parse_scheme(_with_rule(rule))
    assert [p.path.rsplit(".rules[1].", 1)[-1] for p in caught.value.problems] == [path]


def test_a_section_that_starts_at_zero_with_a_floor_below_it_goes_both_ways() -> None:
    # 综合评分 from 0, at least −5: deductions and additions both mean what they say there.
    two_sided = MINIMAL.replace(
        "    points: 10\n    start: zero\n", "    points: 10\n    start: zero\n    floor: -5\n"
    )
    assert two_sided != MINIMAL
    rule = RULE.format(body="").replace("event: review", "event: commendation")
    anchor = "      - id: praise\n        kind: per_event"
    parse_scheme(two_sided.replace(anchor, rule.rstrip("\n") + "\n" + anchor, 1))


@pytest.mark.parametrize(
    "value",
    [
        "text: 注意：每项加5分",  # a full-width colon inside Chinese text is text
        "text: Note：one point each",  # ... and after an English word in a value too
        "text: |\n          points：5 (a block of text holds anything)",
        "text: '－1分'",  # quoted: text, as written
        "text: 扣1分:每次",  # a colon with no space after it is text
    ],
)
def test_text_with_full_width_characters_is_not_a_slip(value: str) -> None:
    text = MINIMAL.replace("text: 延期扣1分", value, 1)
    assert text != MINIMAL
    parse_scheme(text)
