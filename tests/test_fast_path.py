"""The fast path for JSON lines accepts only what the event models accept, with their values.

Lines it is unsure of (a repeated key, a null field, a colon inside a string)
go to the models, whose verdict and wording are the contract's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

import assessment
from assessment._internal.engine import built
from assessment._internal.eventtypes import event_types
from assessment._internal.records import compact_of_model, fast_types
from assessment.results import Line, SectionScore, UnitResult
from assessment.testing import event_streams, rosters

ROOT = Path(__file__).resolve().parent.parent
SCHEMES = [ROOT / "schemes/2023.yaml", *sorted((ROOT / "schemes/examples").glob("*.yaml"))]


@pytest.mark.parametrize("path", SCHEMES, ids=lambda p: p.stem)
def test_fast_path_and_models_agree_on_every_generated_event(path: Path) -> None:
    scheme = assessment.load_scheme(path)
    types = event_types(scheme)
    fast = fast_types(types)

    @settings(max_examples=20, deadline=None)
    @given(records=rosters(scheme, max_units=3).flatmap(lambda r: event_streams(scheme, r)))
    def check(records: list[dict[str, Any]]) -> None:
        taken = 0
        for record in records:
            line = json.dumps(record, ensure_ascii=False).encode("utf-8")
            found = fast.from_json(line)
            expected = compact_of_model(fast, types.adapter.validate_python(record))
            if found is not None:
                taken += 1
                assert found == expected
        # Lines without nulls or colons in values are the common case: the fast path takes them.
        assert taken >= sum(1 for record in records if _plain(record))

    check()


def _plain(record: dict[str, Any]) -> bool:
    values = [
        v for value in record.values() for v in (value if isinstance(value, list) else [value])
    ]
    return None not in values and not any(":" in str(value) for value in values)


def _line(**fields: object) -> bytes:
    record = {"id": "e1", "type": "item_closed", "date": "2023-03-01", "unit": "u1", "item": "i1"}
    return json.dumps({**record, **fields}, ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize(
    "raw",
    [
        b'{"id": "e1", "type": "item_closed", "date": "2023-03-01", "unit": "u1", "item": "i1", "unit": "u2"}',
        b'{"id": "e1", "type": "item_closed", "date": "2023-03-01", "unit" : "u1", "item": "i1", "unit":"u2"}',
        b'{"id": "e1", "type": "item_closed", "date": "2023-03-01", "unit"\t:"u1", "item": "i1", "unit"  :  "u2"}',
        b'{"id": "e1", "type": "commendation", "date": "2023-03-01", "unit": "u1", "level": "city", "circulated": true, "item": null}',
        b'{"id": "e1", "type": "commendation", "date": "2023-03-01", "unit": "u1", "level": "city", "circulated": true, "note": "at 10:30"}',
        b'{"id": "e1", "type": "inspection", "date": "2023-03-01", "unit": "u1"}',
        b'{"id": "e1", "type": "item_closed", "date": "2023-3-1", "unit": "u1", "item": "i1"}',
        b'{"id": "e1", "type": "commendation", "date": "2023-03-01", "unit": "u1", "level": "city", "circulated": "true"}',
        b"\xef\xbb\xbf" + _line(),
    ],
    ids=[
        "repeated key",
        "repeated key, spaced colon",
        "repeated key, tab and spaces",
        "null field",
        "colon in a string",
        "model-level check",
        "date not YYYY-MM-DD",
        "boolean as a word",
        "byte order mark",
    ],
)
def test_lines_the_fast_path_leaves_to_the_models(raw: bytes) -> None:
    fast = fast_types(event_types(assessment.load_scheme(ROOT / "schemes/2023.yaml")))
    assert fast.from_json(raw) is None


def test_repeated_keys_are_still_refused_when_read(tmp_path: Path) -> None:
    scheme = assessment.load_scheme(ROOT / "schemes/2023.yaml")
    roster = assessment.read_roster(ROOT / "tests/data/roster.csv", scheme)
    path = tmp_path / "events.jsonl"
    path.write_bytes(
        b'{"id": "e1", "type": "item_closed", "date": "2023-03-01", "unit" : "u1", "item": "i1", "unit":"u2"}\n'
    )
    with pytest.raises(assessment.EventsError) as caught:
        assessment.Scorer(scheme, roster).read(path)
    assert "field 'unit' is given twice: keep only one" in str(caught.value)


def test_results_built_by_the_engine_equal_validated_ones() -> None:
    scheme = assessment.load_scheme(ROOT / "schemes/2023.yaml")
    roster = assessment.read_roster(ROOT / "examples/2023/roster.csv", scheme)
    scorer = assessment.Scorer(scheme, roster)
    scorer.read(ROOT / "examples/2023/events.jsonl")
    report = scorer.report()
    lines = [line for unit in report.units for line in unit.lines]
    sections = [section for unit in report.units for section in unit.sections]
    assert lines and sections
    for model in [*lines, *sections, *report.units]:
        fields = {name: getattr(model, name) for name in type(model).model_fields}
        again = type(model).model_validate(fields)
        assert again == model == built(type(model), fields)
        assert again.model_dump_json() == model.model_dump_json()
        assert again.model_fields_set == model.model_fields_set
    assert isinstance(report.units[0], UnitResult) and isinstance(sections[0], SectionScore)
    assert isinstance(lines[0], Line)
