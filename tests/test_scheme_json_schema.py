"""The shipped JSON Schema accepts every valid scheme an editor opens, and still refuses mistakes.

Editors (yaml-language-server) check a scheme against `schemes/scheme.schema.json`
as the JSON its YAML reads as: unquoted dates are strings, numbers are numbers.
A schema stricter than the models underlines valid files; one that accepts
anything helps nobody. Both are tested here with a real validator.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from assessment import SchemeError, load_scheme, parse_scheme
from assessment._internal.text.yamlsource import load_yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "schemes/scheme.schema.json").read_text(encoding="utf-8"))
FOLDERS = ["schemes", "schemes/examples", "tests/data/valid/schemes", "tests/data/check"]
SCHEMES = [path for folder in FOLDERS for path in sorted((ROOT / folder).glob("*.yaml"))]


def editor_json(value: Any) -> Any:
    """YAML data as the JSON an editor validates: dates as ISO text, decimals as numbers."""
    if isinstance(value, dict):
        return {str(key): editor_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [editor_json(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def read(path: Path) -> Any:
    located, problems = load_yaml(path.read_bytes(), str(path))
    assert not problems
    return editor_json(located.data)


def schema_problems(document: Any) -> list[str]:
    validator_class = jsonschema.validators.validator_for(SCHEMA)
    validator = validator_class(SCHEMA, format_checker=jsonschema.FormatChecker())
    return [
        f"{'.'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def test_the_schema_is_draft_07_and_well_formed() -> None:
    # yaml-language-server reads draft-07; a newer draft could use keywords it ignores.
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert jsonschema.validators.validator_for(SCHEMA) is jsonschema.Draft7Validator
    jsonschema.Draft7Validator.check_schema(SCHEMA)


def test_every_folder_of_schemes_is_searched() -> None:
    # An empty list would make the test below pass by testing nothing.
    found = {path.parent.relative_to(ROOT).as_posix() for path in SCHEMES}
    assert found == set(FOLDERS)


@pytest.mark.parametrize("path", SCHEMES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_schema_accepts_every_shipped_and_test_scheme(path: Path) -> None:
    load_scheme(path)  # a valid scheme: the models accept it
    assert schema_problems(read(path)) == []


def _2023() -> dict[str, Any]:
    document = read(ROOT / "schemes/2023.yaml")
    assert isinstance(document, dict)
    return document


def _rule(document: dict[str, Any], kind: str) -> dict[str, Any]:
    rule: dict[str, Any] = next(
        rule
        for section in document["sections"]
        for rule in section["rules"]
        if rule["kind"] == kind
    )
    return rule


def _commendation_rule(document: dict[str, Any]) -> dict[str, Any]:
    """The 2023 rule whose `where` is the shorthand `circulated: true`."""
    rule: dict[str, Any] = next(
        rule
        for section in document["sections"]
        for rule in section["rules"]
        if rule["id"] == "circulated_commendation"
    )
    assert rule["where"] == {"circulated": True}
    return rule


def _unknown_top_level_key(document: dict[str, Any]) -> None:
    document["colour"] = "red"


def _misspelt_rule_key(document: dict[str, Any]) -> None:
    rule = _rule(document, "finding")
    rule["pionts"] = rule.pop("points")


def _misspelt_rule_kind(document: dict[str, Any]) -> None:
    _rule(document, "finding")["kind"] = "findng"


def _rule_without_kind(document: dict[str, Any]) -> None:
    del _rule(document, "finding")["kind"]


def _unknown_condition_operator(document: dict[str, Any]) -> None:
    _commendation_rule(document)["where"] = {"circulated": {"equals": True}}


def _list_as_condition(document: dict[str, Any]) -> None:
    _commendation_rule(document)["where"] = {"circulated": [True]}


def _text_as_points(document: dict[str, Any]) -> None:
    _rule(document, "finding")["points"] = "three"


def _day_outside_the_calendar(document: dict[str, Any]) -> None:
    document["period"]["end"] = "2023-02-30"


MISTAKES = [
    _unknown_top_level_key,
    _misspelt_rule_key,
    _misspelt_rule_kind,
    _rule_without_kind,
    _unknown_condition_operator,
    _list_as_condition,
    _text_as_points,
    _day_outside_the_calendar,
]


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda f: f.__name__.strip("_"))
def test_the_schema_refuses_what_the_models_refuse(mistake: Any) -> None:
    document = copy.deepcopy(_2023())
    mistake(document)
    with pytest.raises(SchemeError):  # the mistake is one: the models refuse it too
        parse_scheme(json.dumps(document, ensure_ascii=False))
    assert schema_problems(document) != []


def test_the_where_shorthand_is_allowed_as_well_as_operators() -> None:
    document = _2023()
    rule = _commendation_rule(document)
    for where in ({"circulated": True}, {"circulated": {"eq": True}}, {"level": "city"}):
        rule["where"] = where
        parse_scheme(json.dumps(document, ensure_ascii=False))
        assert schema_problems(document) == [], where
