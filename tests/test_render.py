"""The renderings a library user can produce (`assessment.render`) are exactly what the
command line prints and writes: the table, the CSV, the explanation."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import assessment
from assessment import render
from assessment.cli import main

ROOT = Path(__file__).resolve().parent.parent

# (scheme, example folder, a unit to explain): every shipped scheme on its example ledger
EXAMPLES = [
    ("schemes/2023.yaml", "examples/2023", "town-qingshi"),
    ("schemes/examples/city-2024.yaml", "examples/city-2024", "county-dongjiang"),
    ("schemes/examples/deduction-only.yaml", "examples/deduction-only", "town-donghu"),
    ("schemes/examples/district-2024.yaml", "examples/district-2024", "town-qingshi"),
    ("schemes/examples/workload.yaml", "examples/workload", "town-a"),
    ("schemes/examples/per-item-points.yaml", "examples/per-item-points", "dept-a"),
    ("schemes/examples/portfolios.yaml", "examples/portfolios", "town-b"),
    ("schemes/examples/eligibility.yaml", "examples/eligibility", "town-f"),
    ("schemes/examples/evidence.yaml", "examples/evidence", "town-a"),
    ("schemes/examples/item-events.yaml", "examples/item-events", "dept-a"),
    ("schemes/examples/nested-sections.yaml", "examples/nested-sections", "town-a"),
    (
        "schemes/examples/deductions-only-total.yaml",
        "examples/deductions-only-total",
        "town-b",
    ),
    ("schemes/examples/counting-scope.yaml", "examples/counting-scope", "town-a"),
    ("schemes/examples/no-double-counting.yaml", "examples/no-double-counting", "town-a"),
]


def _report(scheme_file: str, folder: str) -> assessment.Report:
    scheme = assessment.load_scheme(ROOT / scheme_file)
    roster = assessment.read_roster(ROOT / folder / "roster.csv", scheme)
    events = assessment.read_events(ROOT / folder / "events.jsonl", scheme, roster)
    return assessment.score(scheme, roster, events)


def _printed(*argv: str) -> str:
    out = io.StringIO()
    assert main(list(argv), stdout=out) == 0
    return out.getvalue()


@pytest.mark.parametrize(("scheme_file", "folder", "unit"), EXAMPLES)
def test_the_renderings_are_what_the_command_line_prints(
    scheme_file: str, folder: str, unit: str, tmp_path: Path
) -> None:
    report = _report(scheme_file, folder)
    inputs = [str(ROOT / scheme_file), "--roster", str(ROOT / folder / "roster.csv")]
    inputs += ["--events", str(ROOT / folder / "events.jsonl")]
    shown = {
        "table": render.table(report),
        "csv": render.csv(report),
        "explanation": render.explanation(report, report.unit(unit)),
    }
    commands = {
        "table": ["score", *inputs],
        "csv": ["score", *inputs, "--format", "csv"],
        "explanation": ["explain", *inputs, "--unit", unit],
    }
    for what, argv in commands.items():
        assert _printed(*argv) == shown[what], what
        output = tmp_path / what
        assert _printed(*argv, "--output", str(output)) == ""
        bom = "\ufeff" if what == "csv" else ""  # for Excel
        assert output.read_bytes() == (bom + shown[what]).encode("utf-8"), what


def test_the_renderers_are_shown_in_the_public_render_module() -> None:
    for function in (render.table, render.csv, render.explanation):
        assert function.__module__ == "assessment.render"
        assert getattr(render, function.__name__) is function


def test_explaining_a_unit_of_another_report_raises_the_lookup_error() -> None:
    report = _report("schemes/2023.yaml", "examples/2023")
    stranger = report.units[0].model_copy(update={"group": "no-such-group"})
    with pytest.raises(assessment.UnknownIdError):  # it raised StopIteration
        render.explanation(report, stranger)
