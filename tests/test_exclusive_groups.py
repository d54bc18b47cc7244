"""Exclusivity groups (不重复计分): declared once, named by rules of any kind, each choosing
between rules on a matter (an item, an event, the unit); every figure computed by hand."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

import pytest
from builders import scheme_head, tasks_work

from assessment import Report, Roster, Scheme, SchemeError, Unit, parse_events, parse_scheme, score

ROSTER = Roster(units=(Unit(id="t1", name="一镇", kind="town"),))


def _scheme(groups: str, bonus_rules: str, fmt: int = 2) -> Scheme:
    head = scheme_head("exclusive", "不重复计分", 10, ("town", "department"))
    head = head.replace("format: 1", f"format: {fmt}")
    text = head + groups + tasks_work(10, 10) + BONUS + bonus_rules
    return parse_scheme(text, "exclusive.yaml")


BONUS = """\
  - id: bonus
    name: 加分
    clause: 二
    points: 50
    start: zero
    rules:
"""


def _rule(ident: str, kind: str, name: str, text: str, *keys: str) -> str:
    """A rule of the bonus section, in group `g`, with its kind's own keys."""
    lines = [f"id: {ident}", f"kind: {kind}", f"name: {name}", "clause: 二", f"text: {text}"]
    lines += [*keys, "exclusive: g"]
    return "      - " + "".join(f"{'' if i == 0 else '        '}{x}\n" for i, x in enumerate(lines))


# 每完成一项加1分;受到领导肯定的每次加2分;通报表扬的每次加3分。
EARLY = _rule(
    "completed", "per_item", "完成事项", "每完成一项督查事项加1分", "status: complete", "points: 1"
)
PRAISE = _rule(
    "praise", "per_event", "领导肯定", "受到领导肯定的每次加2分", "event: commendation", "points: 2"
)
CIRCULATED = _rule(
    "circulated",
    "per_event",
    "通报表扬",
    "通报表扬的每次加3分",
    "event: commendation",
    "where: {circulated: true}",
    "points: 3",
)


def _group(scope: str, choice: str) -> str:
    return f"exclusive_groups:\n  - {{id: g, name: 不重复加分, scope: {scope}, choice: {choice}}}\n"


def _run(scheme: Scheme, records: Sequence[Mapping[str, object]]) -> Report:
    numbered = [{"id": f"e{i}", **r} for i, r in enumerate(records, 1)]
    return score(scheme, ROSTER, parse_events(numbered, scheme, ROSTER))


def _item(item: str, closed: str) -> list[dict[str, object]]:
    common: dict[str, object] = {"unit": "t1", "item": item}
    return [
        {"type": "item_assigned", "date": "2024-01-05", "category": "tasks", "due": "2024-06-30"}
        | common,
        {"type": "item_closed", "date": closed} | common,
    ]


def _praise(day: str, item: str | None = None, circulated: bool = False) -> dict[str, object]:
    record: dict[str, object] = {"type": "commendation", "date": day, "unit": "t1"}
    record |= {"level": "city", "circulated": circulated}
    return record | ({"item": item} if item else {})


def _applied(report: Report) -> list[tuple[object, ...]]:
    unit = report.unit("t1")
    return [(x.rule, x.events, x.applied) for x in unit.lines if x.section == "bonus"]


def test_highest_on_an_item_counts_every_line_of_the_rule_that_counted_more() -> None:
    # Item A completed (+1) and praised twice (+2 +2 = 4): the praise counts, both times;
    # the completion line counts 0. Item B completed (+1), nothing else: +1. 4 + 1 = 5.
    scheme = _scheme(_group("item", "highest"), EARLY + PRAISE)
    records = [*_item("A", "2024-03-01"), *_item("B", "2024-03-02")]
    records += [_praise("2024-04-01", "A"), _praise("2024-05-01", "A")]
    report = _run(scheme, records)
    assert report.unit("t1").section("bonus").exact == 4 + 1
    completed_a = next(x for x in report.unit("t1").lines if x.events == ("e1", "e2"))
    assert (completed_a.applied, completed_a.limited_by) == (Fraction(0), "exclusive")
    assert "已按「领导肯定」计 +4 分" in completed_a.detail


def test_on_a_tie_the_rule_written_first_counts() -> None:
    # Completion worth 2 here, written first: item A completed (+2) ties its one praise (+2),
    # and the completion counts.
    scheme = _scheme(_group("item", "highest"), EARLY.replace("points: 1", "points: 2") + PRAISE)
    report = _run(scheme, [*_item("A", "2024-03-01"), _praise("2024-04-01", "A")])
    assert _applied(report) == [("completed", ("e1", "e2"), 2), ("praise", ("e3",), 0)]


def test_first_counts_the_rule_whose_line_came_first_even_if_smaller() -> None:
    # 已按一项计分的,不再重复计分: A praised on 03-01 (+2) before its completion on 04-01
    # (+1 would come later; the praise came first): +2. B completed 03-02 (+1) before its
    # praise on 05-01: +1, the praise 0. 2 + 1 = 3.
    scheme = _scheme(_group("item", "first"), EARLY + PRAISE)
    records = [_praise("2024-03-01", "A"), *_item("A", "2024-04-01"), *_item("B", "2024-03-02")]
    records.append(_praise("2024-05-01", "B"))
    report = _run(scheme, records)
    assert report.unit("t1").section("bonus").exact == 2 + 1
    praise_b = next(x for x in report.unit("t1").lines if x.rule == "praise" and x.applied == 0)
    assert "按先发生的计" in praise_b.detail
    assert "已按「完成事项」计 +1 分" in praise_b.detail


def test_scope_event_weighs_rules_reading_the_same_event() -> None:
    # One circulated praise is both 领导肯定 (+2) and 通报表扬 (+3): the higher, 3. A praise
    # not circulated: +2 by 领导肯定 alone. Both about item A, yet each event is its own
    # matter: 3 + 2 = 5.
    scheme = _scheme(_group("event", "highest"), PRAISE + CIRCULATED)
    records = [*_item("A", "2024-03-01"), _praise("2024-04-01", "A", circulated=True)]
    records.append(_praise("2024-05-01", "A"))
    assert _run(scheme, records).unit("t1").section("bonus").exact == 3 + 2


def test_scope_unit_weighs_the_rules_over_the_whole_year() -> None:
    # Two items completed (+1 +1 = 2) against one praise about no item (+2): a tie, so the
    # rule written first (completed) counts: 2. With a second praise (4 > 2): 4.
    scheme = _scheme(_group("unit", "highest"), EARLY + PRAISE)
    records = [*_item("A", "2024-03-01"), *_item("B", "2024-03-02"), _praise("2024-04-01")]
    assert _run(scheme, records).unit("t1").section("bonus").exact == 2
    records.append(_praise("2024-05-01"))
    assert _run(scheme, records).unit("t1").section("bonus").exact == 4


def test_a_format_1_exclusive_name_is_read_as_the_single_largest_line() -> None:
    # Format 1: only the largest line on the item counted, even among one rule's lines:
    # A completed (+1) and praised twice (+2, +2): one praise, +2.
    scheme = _scheme("", EARLY + PRAISE, fmt=1)
    group = scheme.exclusive_groups[0]
    assert (group.id, group.scope, group.choice) == ("g", "item", "highest_line")
    records = [*_item("A", "2024-03-01"), _praise("2024-04-01", "A"), _praise("2024-05-01", "A")]
    assert _run(scheme, records).unit("t1").section("bonus").exact == 2


@pytest.mark.parametrize(
    ("groups", "rules", "message"),
    [
        (
            "",
            EARLY + PRAISE,
            "the rule names exclusive group 'g', and the scheme declares none: declare it in "
            "`exclusive_groups:` (with its id, name, scope and choice)",
        ),
        (
            _group("event", "highest"),
            EARLY + PRAISE,
            "a per_item rule's lines are not each about one event, so under group 'g' "
            "(scope: event) they would never be weighed",
        ),
        (
            _group("event", "first"),
            PRAISE
            + PRAISE.replace("id: praise", "id: renotice").replace(
                "event: commendation", "event: item_extended"
            ),
            "no other rule of this group reads events of type 'commendation'",
        ),
        (
            _group("item", "highest"),
            EARLY + PRAISE.replace("        exclusive: g\n", "        groups: []\n"),
            "only rule 'completed' names exclusive group 'g'",
        ),
        (
            _group("item", "highest_line"),
            EARLY,
            "a per_item rule gives at most one line per item: alone it changes nothing",
        ),
        (
            _group("item", "highest"),
            EARLY.replace("status:", "groups: [towns]\n        status:")
            + PRAISE.replace("event:", "groups: [departments]\n        event:"),
            "rule 'completed' applies only to towns, which no other rule of group 'g' applies to",
        ),
    ],
)
def test_a_group_that_could_never_choose_is_refused(groups: str, rules: str, message: str) -> None:
    with pytest.raises(SchemeError) as caught:
        _scheme(groups, rules)
    assert any(message in str(problem) for problem in caught.value.problems), caught.value
