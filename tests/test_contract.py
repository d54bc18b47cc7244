"""The JSON contract (docs/api.md, "The JSON contract"): every document carries
`format_version` and its rounding, figures are decimals at the scheme's rounding with the
exact value beside them, nothing is ever written at another rounding without a word, the
shipped JSON Schemas are the current ones, and JSON reads back into equal models."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from builders import ROOT, scheme_head, score_example
from pydantic import ValidationError
from pydantic_core import PydanticSerializationError

from assessment import Roster, Unit, parse_events, parse_scheme, score
from assessment._internal.app.schemas import SCHEMAS, json_schema
from assessment.cli import _parser, main
from assessment.results import Explained, ExplainedPortfolio, Report, Rounding

INPUTS_2023 = [
    "schemes/2023.yaml",
    "--roster",
    "examples/2023/roster.csv",
    "--events",
    "examples/2023/events.jsonl",
]
PORTFOLIOS = [
    "schemes/examples/portfolios.yaml",
    "--roster",
    "examples/portfolios/roster.csv",
    "--events",
    "examples/portfolios/events.jsonl",
]
SHIPPED = {
    "scheme": "scheme.schema.json",
    "results": "results.schema.json",
    "explanation": "explanation.schema.json",
    "portfolio-explanation": "portfolio-explanation.schema.json",
    "scheme-list": "scheme-list.schema.json",
    "problems": "problems.schema.json",
}

# Rounded down to one place, each stage from exact values: worked by hand below.
DOWN = (
    scheme_head("down", "向下取整", 80)
    + """\
rounding: {places: 1, mode: down, stage: total}
sections:
  - {id: work, name: 日常工作, clause: 一, points: 80, rules: [
      {id: renotice, kind: per_event, name: 检查发现无专职人员, clause: 一, event: inspection,
       text: 每次检查发现无专职人员扣2.25分, where: {has_staff: false}, points: -2.25}]}
"""
)


def _printed(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(ROOT)
    out = io.StringIO()
    assert main(argv, stdout=out) == 0, argv
    return out.getvalue()


def _down_report() -> Report:
    scheme = parse_scheme(DOWN, "down.yaml")
    roster = Roster(units=(Unit(id="a", name="甲镇", kind="town"),))
    inspection = {"type": "inspection", "unit": "a", "has_staff": False}
    records = [{**inspection, "id": "I1", "date": "2024-03-01"}]
    return score(scheme, roster, parse_events(records, scheme, roster))


@pytest.mark.parametrize("of", sorted(SHIPPED))
def test_each_shipped_schema_is_the_one_the_command_writes(
    of: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Regenerate with `assessment schema --of OF --output schemes/FILE` after a change.
    shipped = (ROOT / "schemes" / SHIPPED[of]).read_text(encoding="utf-8")
    assert _printed(["schema", "--of", of], monkeypatch) == shipped == json_schema(of)


def test_schema_writes_the_scheme_format_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = (ROOT / "schemes/scheme.schema.json").read_text(encoding="utf-8")
    assert _printed(["schema"], monkeypatch) == shipped


def test_the_command_offers_every_schema_there_is() -> None:
    commands = next(a for a in _parser()._actions if a.dest == "command")
    schema = commands.choices["schema"]  # type: ignore[index]
    (of,) = [a for a in schema._actions if a.dest == "of"]
    assert tuple(of.choices) == SCHEMAS == tuple(SHIPPED)
    assert of.default == "scheme"


def test_every_json_document_the_command_writes_carries_the_version_and_rounding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runs = [
        ["score", *INPUTS_2023, "--format", "json"],
        ["explain", *INPUTS_2023, "--unit", "town-qingshi", "--format", "json"],
        ["explain", *PORTFOLIOS, "--portfolio", "li", "--format", "json"],
    ]
    for argv in runs:
        document = json.loads(_printed(argv, monkeypatch))
        assert list(document)[:2] == ["format_version", "rounding"], argv
        assert document["format_version"] == "1.0"
        assert document["rounding"] == {"places": 2, "mode": "half_up", "stage": "section"}


def test_a_library_user_gets_the_contract_from_model_dump_json() -> None:
    report = score_example(ROOT / "schemes/2023.yaml", ROOT / "examples/2023")
    document = json.loads(report.model_dump_json())
    assert document == report.model_dump(mode="json")
    assert document["format_version"] == "1.0"
    # 3599/35 = 102.828571…: 102.83 at two places, half up. The names of version 1.0.
    unit = next(u for u in document["units"] if u["unit"] == "zone-industry")
    assert (unit["total"], unit["total_exact"]) == ("102.83", "3599/35")
    assert "exact_total" not in unit
    section = unit["sections"][2]
    assert section["id"] == "completion" and "exact" not in section
    assert (section["score"], section["score_exact"]) == ("69.83", "2444/35")
    # The Python attributes keep their names and types.
    result = report.unit("zone-industry")
    assert result.exact_total == Fraction(3599, 35) and result.total == Decimal("102.83")


def test_figures_are_at_the_schemes_rounding_worked_by_hand() -> None:
    # One inspection: −2.25 points. Down to one place: the line −2.2, the section
    # 80 − 2.25 = 77.75 → 77.7, the total (stage total) 77.75 → 77.7.
    report = _down_report()
    unit = json.loads(report.model_dump_json())["units"][0]
    (line,) = unit["lines"]
    assert (line["points"], line["points_exact"]) == ("-2.2", "-2.25")
    assert (line["applied"], line["applied_exact"]) == ("-2.2", "-2.25")
    (section,) = unit["sections"]
    assert (section["score"], section["score_exact"]) == ("77.7", "77.75")
    assert (section["points"], section["start"], section["start_exact"]) == ("80.0", "80.0", "80")
    assert (unit["total"], unit["total_exact"]) == ("77.7", "77.75")
    assert (unit["cut_by_cap"], unit["cut_by_cap_exact"]) == ("0.0", "0")


def test_a_result_without_its_document_is_not_written_as_json() -> None:
    # A unit's figures need the rounding, which only the document carries: refused with a
    # word, never written at some other rounding.
    report = _down_report()
    unit = report.units[0]
    with pytest.raises(PydanticSerializationError, match="serialize the document"):
        unit.model_dump_json()
    with pytest.raises(PydanticSerializationError, match="serialize the document"):
        unit.lines[0].model_dump(mode="json")
    given = json.loads(unit.model_dump_json(context={"rounding": report.rounding}))
    assert given == json.loads(report.model_dump_json())["units"][0]
    assert unit.model_dump()["total"] == Decimal("77.7")  # Python values: no rounding needed


def test_a_figure_at_another_rounding_is_refused() -> None:
    report = _down_report()
    # The same report said to round half up, or to two places: its shown figures (77.7)
    # are not its exact values (77.75) rounded so.
    for wrong in (
        Rounding(places=1, mode="half_up", stage="total"),
        Rounding(places=2, mode="down", stage="total"),
    ):
        with pytest.raises(PydanticSerializationError, match="not 311/4 rounded"):
            report.model_copy(update={"rounding": wrong}).model_dump_json()
    unit = report.units[0]
    section = unit.sections[0].model_copy(update={"score": Decimal("77.8")})
    bad = report.model_copy(update={"units": (unit.model_copy(update={"sections": (section,)}),)})
    with pytest.raises(PydanticSerializationError, match=r"SectionScore\.score is 77\.8"):
        bad.model_dump_json()


def test_documents_read_back_into_equal_models() -> None:
    report = score_example(ROOT / "schemes/examples/portfolios.yaml", ROOT / "examples/portfolios")
    assert Report.model_validate_json(report.model_dump_json()) == report
    explained = report.explained(report.units[0].unit)
    assert Explained.model_validate_json(explained.model_dump_json()) == explained
    portfolio = report.explained_portfolio("li")
    assert ExplainedPortfolio.model_validate_json(portfolio.model_dump_json()) == portfolio
    assert portfolio.exact == Fraction(181, 2)


def test_json_without_the_exact_values_or_of_another_major_is_refused() -> None:
    report = _down_report()
    document = json.loads(report.model_dump_json())
    del document["units"][0]["lines"][0]["points_exact"]
    with pytest.raises(ValidationError, match="'points' has no 'points_exact' beside it"):
        Report.model_validate_json(json.dumps(document))
    later = {**json.loads(report.model_dump_json()), "format_version": "2.0"}
    with pytest.raises(ValidationError, match=r"a document of format 2\.0 cannot be read"):
        Report.model_validate_json(json.dumps(later))
    minor = {**json.loads(report.model_dump_json()), "format_version": "1.3"}
    assert Report.model_validate_json(json.dumps(minor)).units == report.units


def test_the_exact_value_is_what_is_read_back() -> None:
    # A reader keeps the exact value: the rounded figure is not taken for it.
    report = _down_report()
    again = Report.model_validate_json(report.model_dump_json())
    assert again.units[0].lines[0].points == Fraction(-9, 4)


def test_a_figure_changed_in_the_json_is_refused_when_read_back() -> None:
    # −2.25 down to one place is −2.2: a document saying −2.3 had one of the two changed.
    document = json.loads(_down_report().model_dump_json())
    document["units"][0]["lines"][0]["points"] = "-2.3"
    with pytest.raises(ValidationError, match=r"'points' is -2\.3, but 'points_exact' -2\.25"):
        Report.model_validate_json(json.dumps(document))
    with pytest.raises(ValidationError, match=r"'points' is -2\.3"):
        Report.model_validate(document)


def test_shipped_schemas_name_the_version(tmp_path: Path) -> None:
    for of, name in SHIPPED.items():
        schema = json.loads((ROOT / "schemes" / name).read_text(encoding="utf-8"))
        if of != "scheme":
            assert schema["properties"]["format_version"]["const"] == "1.0"
            assert "format_version" in schema["required"]
            assert schema["title"].endswith("format 1.0")
