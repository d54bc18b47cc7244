"""Category policies beyond reweighting: full marks, not assessed, items weighted by who assigned them."""

from __future__ import annotations

from fractions import Fraction

import pytest
from builders import scheme_head

from assessment import Roster, SchemeError, Unit, parse_events, parse_scheme, score

SCHEME = (
    scheme_head("categories", "类别", 60)
    + """\
categories:
  - {id: city_tasks, name: 市级任务, clause: 一, points: 40, method: proportional}
  - {id: district_tasks, name: 区级任务, clause: 一, points: 20, method: proportional}
sections:
  - id: work
    name: 完成任务
    clause: 一
    points: 60
    rules:
      - id: completion
        kind: completion
        name: 完成
        clause: 一
        text: 完成
        categories: [city_tasks, district_tasks]
        unassigned: POLICY
"""
)
ROSTER = Roster(
    units=(Unit(id="a", name="甲镇", kind="town"), Unit(id="b", name="乙镇", kind="town"))
)


def item(
    unit: str, name: str, category: str, closed: bool, by: str | None = None
) -> list[dict[str, object]]:
    assigned: dict[str, object] = {
        "type": "item_assigned",
        "date": "2024-01-05",
        "unit": unit,
        "item": name,
        "category": category,
        "due": "2024-06-30",
    }
    if by:
        assigned["assigned_by"] = by
    records = [assigned]
    if closed:
        records.append({"type": "item_closed", "date": "2024-06-01", "unit": unit, "item": name})
    return records


def run(
    text: str, records: list[dict[str, object]]
) -> dict[str, tuple[Fraction, int | None, bool]]:
    scheme = parse_scheme(text, "categories.yaml")
    numbered = [{"id": f"e{i}", **r} for i, r in enumerate(records, 1)]
    report = score(scheme, ROSTER, parse_events(numbered, scheme, ROSTER))
    return {u.unit: (u.section("work").exact, u.rank, u.assessed) for u in report.units}


# a undertakes only city_tasks (1 of 2 complete); b both, everything complete
RECORDS = [
    *item("a", "A1", "city_tasks", True),
    *item("a", "A2", "city_tasks", False),
    *item("b", "B1", "city_tasks", True),
    *item("b", "B2", "district_tasks", True),
]


def test_reweight_moves_the_missing_category_to_the_others() -> None:
    found = run(SCHEME.replace("POLICY", "reweight"), RECORDS)
    assert found["a"][0] == 60 * Fraction(1, 2)  # city_tasks takes all 60; half complete


def test_full_marks_keeps_the_missing_categorys_points() -> None:
    found = run(SCHEME.replace("POLICY", "full_marks"), RECORDS)
    assert found["a"][0] == 40 * Fraction(1, 2) + 20


def test_not_assessed_leaves_the_unit_out_of_ranking() -> None:
    found = run(SCHEME.replace("POLICY", "not_assessed"), RECORDS)
    assert found["a"][1:] == (None, False)
    assert found["b"] == (Fraction(60), 1, True)


def weighted_by(field: str) -> str:
    """The reweighting scheme with its items weighted 2 when `field` is city, 1 otherwise."""
    weight = f"        item_weight:\n          of: field\n          field: {field}\n"
    return SCHEME.replace("POLICY", "reweight") + weight + "          table: {city: 2}\n"


def test_items_weighted_by_who_assigned_them() -> None:
    text = weighted_by("assigned_by")
    records = [
        *item("a", "A1", "city_tasks", True, by="city"),
        *item("a", "A2", "city_tasks", False, by="district"),
        *item("a", "A3", "city_tasks", False),
    ]
    # weights 2, 1, 1: completed share 2/4 of the 60 points a's only category carries
    found = run(text, records)
    assert found["a"][0] == 60 * Fraction(2, 4)


def test_item_weight_fields_are_checked() -> None:
    text = weighted_by("assigned_bye")
    with pytest.raises(SchemeError) as caught:
        parse_scheme(text, "categories.yaml")
    (problem,) = caught.value.problems
    assert "unknown field 'assigned_bye' of event type 'item_assigned'" in problem.message
