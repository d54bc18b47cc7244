"""Loading scheme files: the valid ones load, every invalid one is refused with located problems."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from builders import refusal

from assessment import SchemeError, load_scheme, parse_scheme
from assessment._internal.load import scheme as schemeload
from assessment._internal.rules.plan import scheme_digest
from assessment.scheme import CompletionRule, FindingRule, PeriodicRule, Scheme, scheme_json_schema

ROOT = Path(__file__).resolve().parent.parent
INVALID = sorted((ROOT / "tests/data/invalid/schemes").glob("*.yaml"))
VALID = [
    ROOT / "schemes/2023.yaml",
    *sorted((ROOT / "schemes/examples").glob("*.yaml")),
    *sorted((ROOT / "tests/data/valid/schemes").glob("*.yaml")),
]


def test_the_corpora_are_not_empty() -> None:
    assert len(INVALID) >= 20
    assert len(VALID) >= 2


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
@pytest.mark.usefixtures("at_root")
def test_invalid_scheme_gives_the_expected_diagnostics(path: Path) -> None:
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert refusal(SchemeError, load_scheme, path) == expected


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_every_diagnostic_names_the_file_and_a_position(path: Path) -> None:
    with pytest.raises(SchemeError) as caught:
        load_scheme(path)
    for problem in caught.value.problems:
        assert problem.file == str(path)
        whole_file = problem.line == 0
        assert whole_file or problem.column >= 1


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_scheme_loads_and_round_trips(path: Path) -> None:
    scheme = load_scheme(path)
    dumped = yaml.safe_dump(
        scheme.model_dump(mode="json", by_alias=True, exclude_none=True), allow_unicode=True
    )
    again = parse_scheme(dumped, "dumped.yaml")
    assert again == scheme
    assert scheme_digest(again) == scheme_digest(scheme)


def test_the_2023_scheme_says_what_the_text_says() -> None:
    scheme = load_scheme(ROOT / "schemes/2023.yaml")
    assert scheme.base == 100
    assert [(s.id, s.points, s.start) for s in scheme.sections] == [
        ("organisation", Decimal(5), "full"),
        ("timeliness", Decimal(15), "full"),
        ("completion", Decimal(80), "full"),
        ("bonus", Decimal(20), "zero"),
    ]
    points = {c.id: (c.points, c.method) for c in scheme.categories}
    assert points == {
        "work_report": (Decimal(20), "proportional"),
        "ten_things": (Decimal(10), "all_or_nothing"),
        "key_works": (Decimal(15), "proportional"),
        "meeting_decisions": (Decimal(10), "proportional"),
        "proposals": (Decimal(15), "proportional"),
        "instructions": (Decimal(10), "proportional"),
    }
    rules = {rule.id: rule for _, rule in scheme.rules()}
    no_office = rules["no_office"]
    assert isinstance(no_office, FindingRule)
    assert no_office.points == -2
    assert no_office.text == "未落实承担政务督查工作科室的扣2分"
    monthly = rules["monthly_report"]
    assert isinstance(monthly, PeriodicRule)
    assert (monthly.missed, monthly.late) == (Decimal(-1), Decimal(-1))
    completion = rules["item_completion"]
    assert isinstance(completion, CompletionRule)
    assert completion.unassigned == "reweight"


def test_every_2023_rule_cites_a_clause_and_quotes_chinese() -> None:
    scheme = load_scheme(ROOT / "schemes/2023.yaml")
    for _, rule in scheme.rules():
        assert rule.clause.startswith("三(")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in rule.text), rule.id


def test_a_scheme_can_be_parsed_from_text() -> None:
    text = (ROOT / "tests/data/valid/schemes/minimal.yaml").read_text(encoding="utf-8")
    scheme = parse_scheme(text, "minimal.yaml")
    assert isinstance(scheme, Scheme)
    finding = scheme.sections[0].rules[0]
    assert isinstance(finding, FindingRule)
    assert finding.points == Decimal(-3)


def test_decimals_are_exact(tmp_path: Path) -> None:
    text = (ROOT / "tests/data/valid/schemes/minimal.yaml").read_text(encoding="utf-8")
    scheme = parse_scheme(text.replace("late: -0.5", "late: -0.1"))
    periodic = scheme.sections[0].rules[1]
    assert isinstance(periodic, PeriodicRule)
    assert periodic.late == Decimal("-0.1")
    assert str(periodic.late) == "-0.1"


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# padding\n" * 300_000)
    endless = "/dev/zero"  # read whole, it would take all memory: only 2 MiB + 1 byte are read
    for file in (str(path), endless):
        with pytest.raises(SchemeError) as caught:
            load_scheme(file)
        assert [str(p) for p in caught.value.problems] == [
            f"{file}: the file holds more than the 2097152 bytes allowed for a scheme:"
            " check that this is the scheme file"
        ]


def test_a_scheme_of_exactly_the_largest_size_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (ROOT / "tests/data/valid/schemes/minimal.yaml").read_bytes()
    monkeypatch.setattr(schemeload, "MAX_YAML_BYTES", len(text) + 1)  # a small limit, as fast
    path = tmp_path / "padded.yaml"
    path.write_bytes(text + b"\n")
    assert load_scheme(path) == parse_scheme(text)
    path.write_bytes(text + b"\n\n")
    with pytest.raises(SchemeError, match=f"holds more than the {len(text) + 1} bytes"):
        load_scheme(path)


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(SchemeError) as caught:
        load_scheme(path)
    assert "nesting deeper than" in caught.value.problems[0].message


def test_alias_bomb_is_refused_at_the_first_anchor(tmp_path: Path) -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}]" for i in range(8)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SchemeError) as caught:
        load_scheme(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (1, 4)
    assert "anchors" in problem.message


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(SchemeError) as caught:
        load_scheme(tmp_path / "absent.yaml")
    assert "cannot read the file" in caught.value.problems[0].message


def test_the_shipped_json_schema_is_the_current_one() -> None:
    # Editors validate schemes/*.yaml against this file; regenerate it with
    # `assessment schema --output schemes/scheme.schema.json` after changing the format.
    shipped = (ROOT / "schemes/scheme.schema.json").read_text(encoding="utf-8")
    assert shipped == scheme_json_schema()
    assert json.loads(shipped)["$defs"]["FindingRule"]["additionalProperties"] is False
