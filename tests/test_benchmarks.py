"""The benchmark scripts run, and the projection of `--jobs` does the command's job.

No time is asserted here (figures live in docs/performance.md): these only keep
the documented commands working on a tiny year.
"""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
SCHEME = str(ROOT / "schemes/2023.yaml")


def _run(*argv: str) -> str:
    done = subprocess.run(
        [sys.executable, *argv], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return done.stdout


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("year")
    _run(str(BENCHMARKS / "province.py"), str(out), "--units", "12", "--extra-per-item", "2")
    return out


def test_province_writes_a_roster_and_a_stream(year: Path) -> None:
    roster = (year / "roster.csv").read_text(encoding="utf-8").splitlines()
    assert len(roster) == 1 + 12  # a header and the units
    events = (year / "events.jsonl").read_text(encoding="utf-8").splitlines()
    kinds = {json.loads(line)["type"] for line in events}
    assert {"item_assigned", "item_closed", "report_submitted", "commendation"} <= kinds


def test_phases_times_every_phase(year: Path) -> None:
    out = _run(str(BENCHMARKS / "phases.py"), str(year))
    phases = ("validation floor", "fingerprints and id index", "intake", "whole-batch checks")
    for phase in (*phases, "fold into the state", "score every unit"):
        assert phase in out


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(),
    reason="the projection forks its processes",
)
def test_projection_writes_what_the_command_writes(year: Path, tmp_path: Path) -> None:
    # projected.py writes DIR/scores.csv: it must be the command's own output (one process).
    expected = tmp_path / "expected.csv"
    _run(
        "-m",
        "assessment",
        "score",
        SCHEME,
        "--roster",
        str(year / "roster.csv"),
        "--events",
        str(year / "events.jsonl"),
        "--format",
        "csv",
        "--output",
        str(expected),
    )
    found = json.loads(_run(str(BENCHMARKS / "projected.py"), str(year), "3"))
    assert len(found["parts"]) == 3
    for part in found["parts"]:
        assert part["seconds"] > 0
        assert part["peak_kb"] >= part["began_kb"] > 0
    assert found["parent_peak_kb"] > 0
    assert (year / "scores.csv").read_bytes() == expected.read_bytes()


def test_compare_runs_both_installations_and_prints_their_ratio() -> None:
    # The same interpreter on both sides: the two print the same scores, and the ratio shows.
    out = _run(str(BENCHMARKS / "compare.py"), sys.executable, "--units", "6", "--runs", "1")
    assert "this / other: " in out
    assert float(out.rsplit("this / other: ", 1)[1]) > 0
