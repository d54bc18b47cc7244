"""The fast path for JSON lines accepts only what the event models accept, with their values.

Lines it is unsure of (a repeated key, a null field, a colon inside a string)
go to the models, whose verdict and wording are the contract's.
"""

from __future__ import annotations

import json
import re
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

import assessment
from assessment import Scheme
from assessment._internal.load.eventtypes import event_types
from assessment._internal.load.records import AssessmentEvent, compact_of_model, fast_types
from assessment._internal.score.engine import built
from assessment.results import Line, SectionScore, UnitResult
from assessment.testing import event_streams, rosters

ROOT = Path(__file__).resolve().parent.parent
SCHEMES = [ROOT / "schemes/2023.yaml", *sorted((ROOT / "schemes/examples").glob("*.yaml"))]


@pytest.mark.parametrize("path", SCHEMES, ids=lambda p: p.stem)
def test_fast_path_and_models_agree_on_every_generated_event(path: Path) -> None:
    scheme = assessment.load_scheme(path)
    types = event_types(scheme)
    fast = fast_types(types)
    decimals = {
        name
        for model in types.models.values()
        for name, info in model.model_fields.items()
        if Decimal in (info.annotation, *typing.get_args(info.annotation))
    }

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
        # Lines without nulls or colons in values are the common case: the fast path takes
        # them. (A decimal is read by the model unless it is whole or plain decimal text.)
        plain = [
            r
            for r in records
            if _plain(r) and all(_plain_decimal(r[d]) for d in decimals & r.keys())
        ]
        assert taken >= len(plain)

    check()


def _plain(record: dict[str, Any]) -> bool:
    values = [
        v for value in record.values() for v in (value if isinstance(value, list) else [value])
    ]
    return None not in values and not any(":" in str(value) for value in values)


def _plain_decimal(value: object) -> bool:
    return isinstance(value, int) or (
        isinstance(value, str) and re.fullmatch(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?", value) is not None
    )


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
        # A part alone carries no rounding: the contract asks for the report's.
        context = {"rounding": report.rounding}
        assert again.model_dump_json(context=context) == model.model_dump_json(context=context)
        assert again.model_fields_set == model.model_fields_set
    assert isinstance(report.units[0], UnitResult) and isinstance(sections[0], SectionScore)
    assert isinstance(lines[0], Line)


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        ("date", '"0"'),  # strict mode would read these as Unix times
        ("date", '"1672531200"'),
        ("date", '"2023-02-30"'),
        ("completion", "1.0000000000000001"),  # a binary float would make it 1
        ("completion", "0.30000000000000001"),
        ("completion", '" 0.5"'),  # text the model reads, but not plainly written
        ("completion", '"0.5e0"'),
        ("completion", '"00.5"'),
        ("completion", '"-0.5"'),  # plain, but out of range: the model words it
        ("completion", '"\uff10.\uff15"'),  # full-width digits, which Decimal would read as 0.5
        ("completion", '"1e-999999999999"'),  # an exponent no exact arithmetic could finish
        ("date", '"\uff12\uff10\uff12\uff13-03-01"'),  # full-width digits in a day
    ],
)
def test_what_the_fast_path_leaves_to_the_models(field: str, raw: str) -> None:
    fast = fast_types(event_types(assessment.load_scheme(ROOT / "schemes/2023.yaml")))
    fields = {"date": '"2023-03-01"', "completion": "1"}
    line = '{{"id": "e1", "type": "item_assessed", "date": {date}, "unit": "u1", "item": "i1", "completion": {completion}}}'
    assert fast.from_json(line.format_map(fields).encode()) is not None
    assert fast.from_json(line.format_map({**fields, field: raw}).encode()) is None


@pytest.mark.parametrize("text", ["0.5", "1", "0", "0.50", "0.333333333333333333333"])
def test_plain_decimal_text_takes_the_fast_path_with_the_models_value(
    scheme_2023: Scheme, text: str
) -> None:
    types = event_types(scheme_2023)
    fast = fast_types(types)
    record = {"id": "e1", "type": "item_assessed", "date": "2023-03-01", "unit": "u1"}
    record |= {"item": "i1", "completion": text}
    found = fast.from_json(json.dumps(record).encode())
    assert found is not None
    assert found == compact_of_model(fast, types.adapter.validate_python(record))
    assert typing.cast(AssessmentEvent, found[0]).completion == Decimal(text)


def test_exact_decimals_and_strict_dates_when_read(tmp_path: Path) -> None:
    scheme = assessment.load_scheme(ROOT / "schemes/2023.yaml")
    roster = assessment.read_roster(ROOT / "tests/data/roster.csv", scheme)
    unit = roster.units[0].id
    path = tmp_path / "events.jsonl"

    def write(completion: str, closed_on: str) -> None:
        path.write_text(
            f'{{"id": "a", "type": "item_assigned", "date": "2023-01-05", "unit": "{unit}", '
            '"item": "i", "category": "work_report", "due": "2023-03-01"}\n'
            f'{{"id": "b", "type": "item_assessed", "date": "2023-12-20", "unit": "{unit}", '
            f'"item": "i", "completion": {completion}}}\n'
            f'{{"id": "c", "type": "item_closed", "date": {closed_on}, "unit": "{unit}", '
            '"item": "i"}\n',
            encoding="utf-8",
        )

    write("1.0000000000000001", '"0"')
    with pytest.raises(assessment.EventsError) as caught:
        assessment.Scorer(scheme, roster).read(path)
    assert [(p.line, p.path) for p in caught.value.problems] == [(2, "completion"), (3, "date")]
    write("0.33333333333333333333", '"2023-02-01"')
    assessed = assessment.read_events(path, scheme, roster).events[-1]  # in scoring order
    assert assessed.completion == Decimal("0.33333333333333333333")  # type: ignore[union-attr]
