"""The command line, run as a supervision office would run it."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from assessment import Report
from assessment.cli import main

ROOT = Path(__file__).resolve().parent.parent
SCHEME = str(ROOT / "schemes/2023.yaml")
ROSTER = str(ROOT / "examples/2023/roster.csv")
EVENTS = str(ROOT / "examples/2023/events.jsonl")
INPUTS = [SCHEME, "--roster", ROSTER, "--events", EVENTS]


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), stdout=out)
    return code, out.getvalue()


def test_validate_accepts_the_2023_scheme_and_the_example() -> None:
    code, out = run("validate", *INPUTS)
    assert code == 0
    assert out.startswith("ok: ")


def test_validate_lists_every_problem_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    bad = ROOT / "tests/data/invalid/schemes/several_faults.yaml"
    code, out = run("validate", str(bad))
    assert code == 1
    assert out == ""
    errors = capsys.readouterr().err.splitlines()
    assert errors[0] == "invalid scheme: 2 problems"
    assert all(line.startswith(f"{bad}:") for line in errors[1:])


def test_score_table_totals_are_the_sum_of_the_shown_sections() -> None:
    code, out = run("score", *INPUTS)
    assert code == 0
    rows = [line for line in out.splitlines() if re.match(r"^\d+\s", line)]
    report = Report.model_validate_json(run("score", *INPUTS, "--format", "json")[1])
    assert len(rows) == len(report.units) > 20
    for row in rows:
        figures = [Decimal(x) for x in re.findall(r"-?\d+\.\d\d", row)]
        *sections, total, converted = figures
        assert len(sections) == 4
        assert sum(sections) == total
        assert converted == min(total, Decimal(100))
    for group in report.groups:
        assert f"【{group.name}】" in out
    for name in ("组织领导", "办理时限", "完成任务", "工作奖励"):
        assert name in out


def test_score_json_carries_provenance() -> None:
    code, out = run("score", *INPUTS, "--format", "json")
    assert code == 0
    data = json.loads(out)
    provenance = data["provenance"]
    assert provenance["scheme_id"] == "district-2023"
    assert re.fullmatch(r"[0-9a-f]{64}", provenance["scheme_digest"])
    assert re.fullmatch(r"[0-9a-f]{64}", provenance["events_digest"])
    assert provenance["as_of"] == "2023-12-31"
    assert provenance["library_version"]
    assert Report.model_validate_json(out).model_dump_json(indent=2) + "\n" == out


def test_the_same_input_gives_the_same_output() -> None:
    assert run("score", *INPUTS, "--format", "json") == run("score", *INPUTS, "--format", "json")


def test_as_of_changes_what_counts() -> None:
    mid = json.loads(run("score", *INPUTS, "--format", "json", "--as-of", "2023-06-30")[1])
    end = json.loads(run("score", *INPUTS, "--format", "json")[1])
    assert mid["provenance"]["as_of"] == "2023-06-30"
    assert mid["units"] != end["units"]


def test_csv_output_file_opens_in_excel(tmp_path: Path) -> None:
    target = tmp_path / "scores.csv"
    code, out = run("score", *INPUTS, "--format", "csv", "--output", str(target))
    assert code == 0
    assert out == ""
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:5] == ["排名分组", "组内排名", "单位代码", "单位名称", "单位类型"]
    for row in body:
        sections = [Decimal(x) for x in row[5:9]]
        assert sum(sections) == Decimal(row[9])


def test_invalid_input_writes_nothing_and_keeps_an_existing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad_events = tmp_path / "events.jsonl"
    bad_events.write_text('{"id": "x", "type": "item_closed"}\n', encoding="utf-8")
    target = tmp_path / "out.json"
    target.write_text("earlier results", encoding="utf-8")
    code, _ = run(
        "score", SCHEME, "--roster", ROSTER, "--events", str(bad_events), "--output", str(target)
    )
    assert code == 1
    assert target.read_text(encoding="utf-8") == "earlier results"
    assert f"{bad_events}:1" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.jsonl", "out.json"]


def test_explain_shows_every_line_of_a_unit() -> None:
    report = Report.model_validate_json(run("score", *INPUTS, "--format", "json")[1])
    unit = max(report.units, key=lambda u: len(u.lines))
    code, out = run("explain", *INPUTS, "--unit", unit.unit)
    assert code == 0
    assert unit.name in out
    assert f"总分 {unit.total}" in out
    for line in unit.lines:
        assert line.detail in out
    code, out = run("explain", *INPUTS, "--unit", unit.unit, "--format", "json")
    assert json.loads(out)["unit"] == unit.unit


def test_explain_an_unknown_unit_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run("explain", *INPUTS, "--unit", "no-such-unit")
    assert code == 2
    assert "'no-such-unit' is not in the roster" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["score", SCHEME, "--events", EVENTS],
        ["score", *INPUTS, "--as-of", "2023-6-30"],
        ["score", *INPUTS, "--format", "xlsx"],
        [],
    ],
)
def test_usage_errors_exit_2(argv: list[str]) -> None:
    assert main(argv, stdout=io.StringIO()) == 2


def test_the_command_line_starts_without_pydantic_or_the_engine() -> None:
    # `assessment --version` and `--help` must start fast: nothing heavy at import.
    code = "import sys, assessment.cli; print(sorted(m for m in ('pydantic', 'yaml') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_python_dash_m_and_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "assessment", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("assessment ")
