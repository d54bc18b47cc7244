"""Lead and co-handling units of an item, scored differently (lead −5, co-handler −2.5)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from builders import scheme_head, tasks_work

from assessment import EventsError, Roster, Unit, parse_events, parse_scheme, read_events, score
from assessment.events import ItemAssigned

SCHEME = (
    scheme_head("roles", "牵头与协办", 40, kinds=("department",))
    + tasks_work(20, 20)
    + """\
  - id: handling
    name: 办理责任
    clause: 二
    points: 20
    rules:
      - id: uncompleted
        kind: per_item
        name: 未完成
        clause: 二
        text: 未完成的,牵头单位扣5分,协办单位扣2.5分
        status: incomplete
        roles: [lead, cohandler]
        points: -5
        multiply:
          - of: role
            table: {lead: 1, cohandler: 0.5}
      - id: renotice
        kind: per_event
        name: 再次督办
        clause: 二
        text: 再次督办的牵头单位扣1分
        event: item_extended
        points: -1
"""
)
ROSTER = Roster(
    units=tuple(
        Unit(id=u, name=f"{u}局", kind="department") for u in ("lead", "co1", "co2", "other")
    )
)
RECORDS: list[dict[str, object]] = [
    {
        "id": "e1",
        "type": "item_assigned",
        "date": "2024-01-05",
        "unit": "lead",
        "item": "A",
        "category": "tasks",
        "due": "2024-03-31",
        "cohandlers": ["co1", "co2"],
    },
    {
        "id": "e2",
        "type": "item_extended",
        "date": "2024-03-20",
        "unit": "lead",
        "item": "A",
        "due": "2024-06-30",
        "reason": "协调",
    },
    {
        "id": "e3",
        "type": "item_assigned",
        "date": "2024-01-05",
        "unit": "co1",
        "item": "B",
        "category": "tasks",
        "due": "2024-03-31",
    },
    {"id": "e4", "type": "item_closed", "date": "2024-03-01", "unit": "co1", "item": "B"},
]


def test_lead_and_cohandlers_lose_different_points_for_one_item() -> None:
    scheme = parse_scheme(SCHEME, "roles.yaml")
    report = score(scheme, ROSTER, parse_events(RECORDS, scheme, ROSTER))
    lead, co1, co2 = report.unit("lead"), report.unit("co1"), report.unit("co2")
    # item A is never closed: lead −5 and −1 for the re-issued notice; co-handlers −2.5 each
    assert lead.section("handling").exact == 20 - 5 - 1
    assert co1.section("handling").exact == co2.section("handling").exact == 20 - Fraction(5, 2)
    # completion counts only items the unit leads: lead 0 of 1; co1 its own B, complete
    assert lead.section("work").exact == 0
    assert co1.section("work").exact == 20
    assert co2.section("work").exact == 20  # leads nothing: keeps its points
    assert report.unit("other").total == 40
    (line,) = [x for x in co1.lines if x.rule == "uncompleted"]
    assert "(协办)" in line.detail and line.events == ("e1", "e2")


def test_cohandlers_in_a_csv_cell(tmp_path: Path) -> None:
    scheme = parse_scheme(SCHEME, "roles.yaml")
    path = tmp_path / "events.csv"
    path.write_text(
        "id,type,date,unit,item,category,due,cohandlers\n"
        "e1,item_assigned,2024-01-05,lead,A,tasks,2024-03-31,co1;co2\n",
        encoding="utf-8",
    )
    (event,) = read_events(path, scheme, ROSTER).events
    assert isinstance(event, ItemAssigned)
    assert event.cohandlers == ("co1", "co2")


@pytest.mark.parametrize(
    ("cohandlers", "message"),
    [
        (["co3"], "unknown unit 'co3'; did you mean 'co2'?"),
        (["lead"], "'lead' leads the item: it cannot also co-handle it"),
        (["co1", "co1"], "'co1' is listed twice"),
    ],
)
def test_cohandlers_are_checked(cohandlers: list[str], message: str) -> None:
    scheme = parse_scheme(SCHEME, "roles.yaml")
    record = {**RECORDS[0], "cohandlers": cohandlers}
    with pytest.raises(EventsError) as caught:
        parse_events([record], scheme, ROSTER)
    (problem,) = caught.value.problems
    assert (problem.line, problem.path, problem.message) == (1, "cohandlers", message)
