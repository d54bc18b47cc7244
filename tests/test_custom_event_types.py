"""Event types declared by a scheme are read, validated and scored like built-in ones."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from builders import scheme_head

from assessment import (
    EventsError,
    Roster,
    Scheme,
    SchemeError,
    Unit,
    parse_scheme,
    read_events,
    score,
)

SCHEME = (
    scheme_head("exposure", "媒体曝光扣分", 20)
    + """\
event_types:
  - id: media_exposure
    name: 媒体曝光
    fields:
      - {id: level, name: 级别, type: enum, values: [national, provincial, city, county]}
      - {id: outlet, name: 媒体, type: string, required: false}
      - {id: stories, type: integer, required: false}
      - {id: weight, type: decimal, required: false}
      - {id: verified, type: boolean, required: false}
      - {id: published, type: date, required: false}
sections:
  - id: discipline
    name: 工作纪律
    clause: 一
    points: 20
    rules:
      - id: exposure
        kind: per_event
        name: 被媒体曝光
        clause: 一
        text: 被国家级媒体曝光扣3分,省级扣2分,市级扣1分
        event: media_exposure
        where: {verified: {ne: false}}
        points:
          by: level
          table: {national: -3, provincial: -2, city: -1}
"""
)
ROSTER = Roster(units=(Unit(id="t1", name="一镇", kind="town"),))


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def scheme() -> Scheme:
    return parse_scheme(SCHEME, "exposure.yaml")


def test_declared_events_are_read_from_json_lines_and_csv_alike(
    tmp_path: Path, scheme: Scheme
) -> None:
    jsonl = _write(
        tmp_path,
        "e.jsonl",
        '{"id": "m1", "type": "media_exposure", "date": "2024-03-01", "unit": "t1", "level": "national", "stories": 2, "weight": 1.5, "published": "2024-02-28"}\n'
        '{"id": "m2", "type": "media_exposure", "date": "2024-04-01", "unit": "t1", "level": "county"}\n'
        '{"id": "m3", "type": "media_exposure", "date": "2024-05-01", "unit": "t1", "level": "city", "verified": false}\n',
    )
    csv = _write(
        tmp_path,
        "e.csv",
        "id,type,date,unit,level,outlet,stories,weight,verified,published\n"
        "m1,media_exposure,2024-03-01,t1,national,,2,1.5,,2024-02-28\n"
        "m2,media_exposure,2024-04-01,t1,county,,,,,\n"
        "m3,media_exposure,2024-05-01,t1,city,,,,FALSE,\n",
    )
    from_json = read_events(jsonl, scheme, ROSTER)
    from_csv = read_events(csv, scheme, ROSTER)
    assert from_json.digest == from_csv.digest
    unit = score(scheme, ROSTER, from_json).unit("t1")
    # national −3; county is not in the table (no default): 0; the unverified one does not match
    assert unit.section("discipline").exact == Fraction(20 - 3)


def test_declared_events_are_validated_with_located_problems(
    tmp_path: Path, scheme: Scheme
) -> None:
    path = _write(
        tmp_path,
        "bad.jsonl",
        '{"id": "m1", "type": "media_exposure", "date": "2024-03-01", "unit": "t1", "level": "nation"}\n'
        '{"id": "m2", "type": "media_exposur", "date": "2024-03-01", "unit": "t1", "level": "city"}\n'
        '{"id": "m3", "type": "media_exposure", "date": "2024-03-01", "unit": "t1"}\n'
        '{"id": "m4", "type": "media_exposure", "date": "2024-03-01", "unit": "t1", "level": "city", "stories": "many"}\n',
    )
    with pytest.raises(EventsError) as caught:
        read_events(path, scheme, ROSTER)
    problems = {(p.line, p.path): p.message for p in caught.value.problems}
    assert set(problems) == {(1, "level"), (2, "type"), (3, "level"), (4, "stories")}
    assert "'national', 'provincial', 'city' or 'county'" in problems[(1, "level")]
    assert "did you mean 'media_exposure'?" in problems[(2, "type")]
    assert problems[(3, "level")] == "required field 'level' is missing"


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        (
            "  - id: media_exposure\n",
            "  - id: commendation\n",
            "event_types[0].id",
            "is a built-in event type",
        ),
        (
            "{id: outlet,",
            "{id: unit,",
            "event_types[0].fields[1].id",
            "every event already has 'unit'",
        ),
        (
            "type: enum, values: [national, provincial, city, county]",
            "type: enum",
            "event_types[0].fields[0]",
            "give `values` exactly when `type` is enum",
        ),
        (
            "type: integer",
            "type: int",
            "event_types[0].fields[2].type",
            "input should be 'string', 'enum'",
        ),
        ("by: level", "by: levl", "sections[0].rules[0].points.by", "did you mean 'level'?"),
        (
            "national: -3",
            "nationl: -3",
            "sections[0].rules[0].points.table.nationl",
            "can never be the value of media_exposure.level",
        ),
    ],
)
def test_declarations_are_checked_like_the_rest_of_the_scheme(
    old: str, new: str, path: str, message: str
) -> None:
    assert old in SCHEME
    with pytest.raises(SchemeError) as caught:
        parse_scheme(SCHEME.replace(old, new), "exposure.yaml")
    found = {p.path: p for p in caught.value.problems}
    assert path in found, found
    assert message in found[path].message
    assert found[path].line > 0
