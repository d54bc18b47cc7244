"""Scoring in several processes gives the report of scoring in one."""

from __future__ import annotations

import io
import multiprocessing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import assessment
from assessment import Roster, Scheme
from assessment.cli import main
from assessment.testing import event_streams, rosters

ROOT = Path(__file__).resolve().parent.parent
SCHEME = str(ROOT / "schemes/2023.yaml")
INPUTS = [SCHEME, "--roster", str(ROOT / "examples/2023/roster.csv")]
INPUTS += ["--events", str(ROOT / "examples/2023/events.jsonl")]

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(),
    reason="--jobs scores in forked processes; elsewhere it scores in one (nothing to compare)",
)


def _run(*argv: str) -> str:
    out = io.StringIO()
    assert main(list(argv), stdout=out) == 0
    return out.getvalue()


@pytest.mark.parametrize("jobs", ["2", "3", "64"])
def test_cli_jobs_give_the_same_output(jobs: str) -> None:
    one = _run("score", *INPUTS, "--format", "json")
    assert _run("score", *INPUTS, "--format", "json", "--jobs", jobs) == one
    assert _run("score", *INPUTS, "--jobs", jobs) == _run("score", *INPUTS)


def test_jobs_must_be_a_positive_number(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["score", *INPUTS, "--jobs", "0"])
    assert caught.value.code == 2
    assert "--jobs: must be a whole number of processes, 1 or more (got '0')" in (
        capsys.readouterr().err
    )


def _cases(scheme: Scheme) -> st.SearchStrategy[tuple[Roster, list[dict[str, Any]]]]:
    return rosters(scheme, min_units=2, max_units=6).flatmap(
        lambda roster: event_streams(scheme, roster).map(lambda records: (roster, records))
    )


@pytest.mark.parametrize(
    "path", [ROOT / "schemes/2023.yaml", ROOT / "schemes/examples/city-2024.yaml"], ids=str
)
def test_reports_in_processes_equal_reports_in_one(path: Path) -> None:
    scheme = assessment.load_scheme(path)

    @settings(max_examples=8, deadline=None)
    @given(case=_cases(scheme), jobs=st.integers(2, 4))
    def check(case: tuple[Roster, list[dict[str, Any]]], jobs: int) -> None:
        roster, records = case
        alone, shared = assessment.Scorer(scheme, roster), assessment.Scorer(scheme, roster)
        alone.add(records)
        shared.add(records)
        assert shared.report(jobs=jobs) == alone.report()

    check()
