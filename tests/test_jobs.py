"""Scoring in several processes gives the report of scoring in one."""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import assessment
from assessment import Roster, Scheme, cli
from assessment._internal.score import cores, parallel, partition
from assessment._internal.score.cores import Jobs, process_count, quota_cores
from assessment._internal.score.parallel import fork_map
from assessment._internal.score.partition import owners, score_in_partitions
from assessment._internal.text import lines as line_cutting
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


@pytest.mark.parametrize("jobs", ["2", "3", "64", "auto"])
def test_cli_jobs_give_the_same_output(jobs: str) -> None:
    one = _run("score", *INPUTS, "--format", "json")
    assert _run("score", *INPUTS, "--format", "json", "--jobs", jobs) == one
    assert _run("score", *INPUTS, "--jobs", jobs) == _run("score", *INPUTS)


@pytest.mark.parametrize(
    ("quota", "period", "cores"),
    [("200000", "100000", 2), ("150000", "100000", 2), ("50000", "100000", 1)],
)
def test_a_container_quota_allows_its_cores_rounded_up(quota: str, period: str, cores: int) -> None:
    assert quota_cores(quota, period) == cores


@pytest.mark.parametrize(("quota", "period"), [("max", "100000"), ("-1", "100000"), ("", "")])
def test_no_quota_sets_no_limit(quota: str, period: str) -> None:
    assert quota_cores(quota, period) is None


def test_the_quota_is_read_from_cgroup_v2_else_v1(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    v2, quota, period = tmp_path / "cpu.max", tmp_path / "quota", tmp_path / "period"
    monkeypatch.setattr(cores, "_CPU_MAX", v2)
    monkeypatch.setattr(cores, "_CFS", (quota, period))
    assert cores._container_quota() is None  # neither is there: no limit
    quota.write_text("250000\n")
    period.write_text("100000\n")
    assert cores._container_quota() == 3
    v2.write_text("100000 100000\n")
    assert cores._container_quota() == 1
    v2.write_text("max 100000\n")
    assert cores._container_quota() is None


def test_auto_jobs_are_the_cores_allowed_and_within_the_quota(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 3, 5}, raising=False)
    monkeypatch.setattr(cores, "_container_quota", lambda: None)
    assert cli._jobs("auto") == 3
    monkeypatch.setattr(cores, "_container_quota", lambda: 2)
    assert cli._jobs(" Auto ") == 2
    monkeypatch.setattr(cores, "_container_quota", lambda: 8)
    assert cli._jobs("AUTO") == 3


@pytest.mark.parametrize("text", ["0", "-3", "257", "100000", "9" * 5000])
def test_jobs_must_be_a_count_from_1_to_256(capsys: pytest.CaptureFixture[str], text: str) -> None:
    assert main(["score", *INPUTS, "--jobs", text]) == 2
    message = f"--jobs: must be a whole number of processes (1 to 256) or 'auto' (got {text!r})"
    assert message in capsys.readouterr().err


def test_256_jobs_is_the_most_and_auto_never_asks_for_more(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert cli._jobs("256") == 256  # parsed only: no test forks 256 processes
    monkeypatch.setattr(cores, "usable_cores", lambda: 1024)
    assert cli._jobs("auto") == 256
    assert process_count("auto") == 256


def _cases(scheme: Scheme) -> st.SearchStrategy[tuple[Roster, list[dict[str, Any]]]]:
    return rosters(scheme, min_units=2, max_units=6).flatmap(
        lambda roster: event_streams(scheme, roster).map(lambda records: (roster, records))
    )


@pytest.mark.parametrize(
    "path",
    [
        ROOT / "schemes/2023.yaml",
        ROOT / "schemes/examples/city-2024.yaml",
        ROOT / "schemes/examples/item-events.yaml",  # a lead's circulars reach its co-handlers
    ],
    ids=str,
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


def _write(path: Path, records: list[dict[str, Any]]) -> str:
    lines = [json.dumps(record, ensure_ascii=False) + "\n" for record in records]
    path.write_text("".join(lines), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    "path",
    [
        ROOT / "schemes/2023.yaml",
        ROOT / "schemes/examples/city-2024.yaml",
        ROOT / "schemes/examples/item-events.yaml",  # a lead's circulars reach its co-handlers
    ],
    ids=str,
)
def test_work_split_by_unit_gives_the_report_of_one_process(
    path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    scheme = assessment.load_scheme(path)
    folder = tmp_path_factory.mktemp("split")

    @settings(max_examples=10, deadline=None)
    @given(case=_cases(scheme), parts=st.integers(2, 4))
    def check(case: tuple[Roster, list[dict[str, Any]]], parts: int) -> None:
        roster, records = case
        events = _write(folder / "events.jsonl", records)  # co-handlers, re-deliveries too
        alone = assessment.Scorer(scheme, roster)
        alone.read(events)
        split = score_in_partitions(scheme, roster, [events], parts)
        if not records:  # an empty file is refused: one process is left to say so
            assert split is None
            return
        assert split is not None  # a valid stream stays in processes
        assert split == alone.report()

    check()


def _assigned(ident: str, unit: str, item: str, **more: object) -> dict[str, Any]:
    record = {"id": ident, "type": "item_assigned", "date": "2023-01-10", "unit": unit}
    return record | {"item": item, "category": "work_report", "due": "2023-06-30"} | more


ROSTER = str(ROOT / "tests/data/roster.csv")
A, B = "town-a", "town-baishui"


def _far(roster: Roster, events: str) -> str:
    """Of A and B, the unit not in the first process (which takes the lines it cannot place)."""
    owner = owners(roster, [events], 2)
    assert owner[A] != owner[B]  # neither co-handles the other's items
    return A if owner[A] else B


# Streams whose split could differ from one process, and whether the split gives up.
STREAMS: dict[str, tuple[list[dict[str, Any]], bool]] = {
    "an id used in each process": (
        [_assigned("e1", A, "i1"), _assigned("e1", B, "i2")],
        True,
    ),
    "another unit's item commended": (
        [
            _assigned("e1", A, "i1"),
            _assigned("e2", B, "i2"),
            {"id": "e3", "type": "commendation", "date": "2023-03-01", "unit": B}
            | {"level": "city", "circulated": True, "item": "i1"},
        ],
        True,
    ),
    "a bad line": (
        [_assigned("e1", A, "i1"), _assigned("e2", B, "i2", due="2023-13-01")],
        True,
    ),
    "a unit written with an escape": ([_assigned("e1", A, "i1"), _assigned("e2", B, "i2")], True),
    "a re-delivery written with an escape": (
        [_assigned("e1", A, "i1"), _assigned("e2", B, "i2"), _assigned("e2", B, "i2")],
        True,
    ),
    "an item assigned in each process": (
        [_assigned("e1", A, "i1"), _assigned("e2", B, "i1")],
        True,
    ),
    "a line nested too deeply": ([_assigned("e1", A, "i1"), _assigned("e2", B, "i2")], True),
    "a co-handler in the other process": (
        [_assigned("e1", A, "i1", cohandlers=[B]), _assigned("e2", B, "i2")],
        False,  # found beforehand: both units go to one process
    ),
}


@pytest.mark.parametrize("name", list(STREAMS))
def test_split_work_gives_up_where_it_could_differ(
    scheme_2023: Scheme, name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records, gives_up = STREAMS[name]
    roster = assessment.read_roster(ROSTER, scheme_2023)
    events = _write(tmp_path / "events.jsonl", records)
    if "escape" in name:  # the far unit's last line: `"unit": "town-\u0061"` and the like
        far = _far(roster, _write(tmp_path / "plain.jsonl", records[:2]))
        lines = Path(events).read_text(encoding="utf-8").splitlines(keepends=True)
        last = max(n for n, line in enumerate(lines) if f'"unit": "{far}"' in line)
        lines[last] = lines[last].replace(f'"{far}"', f'"\\u{ord(far[0]):04x}{far[1:]}"')
        Path(events).write_text("".join(lines), encoding="utf-8")
    if name == "a line nested too deeply":  # the first look at co-handlers must not crash
        deep = b'{"id": "e3", "unit": "town-a", "cohandlers": ' + b"[" * 100_000 + b"]" * 100_000
        Path(events).write_bytes(Path(events).read_bytes() + deep + b"}\n")
    split = score_in_partitions(scheme_2023, roster, [events], 2)
    assert (split is None) == gives_up
    outputs = []
    for jobs in ("1", "2"):
        code = main(["score", SCHEME, "--roster", ROSTER, "--events", events, "--jobs", jobs])
        outputs.append((code, *capsys.readouterr()))
    assert outputs[0] == outputs[1]


def _die(part: int) -> None:
    os._exit(1)  # a worker killed, as for lack of memory


def test_a_worker_that_dies_makes_it_give_up_not_hang(
    scheme_2023: Scheme, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    roster = assessment.read_roster(ROSTER, scheme_2023)
    events = _write(tmp_path / "events.jsonl", [_assigned("e1", A, "i1")])
    assert fork_map(_die, [0, 1], None) is None
    assert score_in_partitions(scheme_2023, roster, [events], 2) is not None
    monkeypatch.setattr(partition, "_part", _die)
    assert score_in_partitions(scheme_2023, roster, [events], 2) is None
    monkeypatch.setattr(parallel, "_score_part", _die)
    alone, shared = assessment.Scorer(scheme_2023, roster), assessment.Scorer(scheme_2023, roster)
    alone.read(events)
    shared.read(events)
    assert parallel.score_units(shared, [A, B], date(2023, 12, 31), 2, False) == []
    assert shared.report(jobs=2) == alone.report()  # scored here instead


def _lines_by_readline(path: Path, limit: int) -> list[bytes]:
    """What a reader reading line by line, with the line limit, finds naming co-handlers."""
    found = []
    with path.open("rb") as stream:
        while raw := stream.readline(limit + 1):
            if len(raw) > limit:
                while raw and not raw.endswith(b"\n"):
                    raw = stream.readline(limit + 1)
            elif b'"cohandlers"' in raw:
                found.append(raw)
    return found


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(
        st.tuples(st.integers(0, 12), st.booleans(), st.integers(0, 12)).map(
            lambda t: b"x" * t[0] + (b'"cohandlers"' if t[1] else b"") + b"y" * t[2]
        ),
        max_size=10,
    ),
    last_newline=st.booleans(),
    block=st.integers(1, 40),
    limit=st.integers(12, 40),
)
def test_the_first_look_finds_the_lines_a_reader_finds(
    lines: list[bytes],
    last_newline: bool,
    block: int,
    limit: int,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    path = tmp_path_factory.mktemp("look") / "events.jsonl"
    path.write_bytes(b"\n".join(lines) + (b"\n" if last_newline else b""))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(line_cutting, "_BLOCK", block)
        patch.setattr(line_cutting, "MAX_LINE_BYTES", limit)
        found = list(partition._lines_naming_cohandlers(str(path)))
    assert found == _lines_by_readline(path, limit)


@pytest.mark.parametrize("jobs", [1, 2, 3, "auto"])
def test_score_files_gives_the_report_of_the_one_call_api(
    scheme_2023: Scheme, jobs: Jobs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cores, "usable_cores", lambda: 3)  # 'auto' splits on any machine
    roster = assessment.read_roster(INPUTS[2], scheme_2023)
    events = INPUTS[4]
    expected = assessment.score(
        scheme_2023, roster, assessment.read_events(events, scheme_2023, roster)
    )
    assert assessment.score_files(scheme_2023, roster, events, jobs=jobs) == expected
    as_of = date(2023, 6, 30)
    expected = assessment.score(
        scheme_2023, roster, assessment.read_events(events, scheme_2023, roster), as_of
    )
    assert assessment.score_files(scheme_2023, roster, [events], as_of, jobs=jobs) == expected


def test_a_scorer_reports_the_same_with_auto_jobs(
    scheme_2023: Scheme, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cores, "usable_cores", lambda: 2)  # 'auto' splits on any machine
    roster = assessment.read_roster(INPUTS[2], scheme_2023)
    scorers = [assessment.Scorer(scheme_2023, roster) for _ in range(2)]
    for each in scorers:
        each.read(INPUTS[4])
    assert scorers[0].report(jobs="auto") == scorers[1].report()


@pytest.mark.parametrize("jobs", [0, -1, 257, True, 2.0, "two", ""])
def test_jobs_other_than_a_count_or_auto_are_refused(scheme_2023: Scheme, jobs: Any) -> None:
    roster = assessment.read_roster(INPUTS[2], scheme_2023)
    message = "jobs must be a whole number of processes (1 to 256) or 'auto'"
    with pytest.raises(ValueError, match=re.escape(message)):
        assessment.score_files(scheme_2023, roster, INPUTS[4], jobs=jobs)
    with pytest.raises(ValueError, match=re.escape(message)):
        assessment.Scorer(scheme_2023, roster).report(jobs=jobs)


@pytest.mark.parametrize("jobs", [1, 2])
def test_score_files_raises_every_problem_whatever_the_jobs(
    scheme_2023: Scheme, jobs: int, tmp_path: Path
) -> None:
    roster = assessment.read_roster(ROSTER, scheme_2023)
    events = _write(tmp_path / "events.jsonl", STREAMS["an item assigned in each process"][0])
    with pytest.raises(assessment.EventsError) as caught:
        assessment.score_files(scheme_2023, roster, events, jobs=jobs)
    assert [p.message for p in caught.value.problems] == [
        "item 'i1' is already assigned by event 'e1' (line 1): an item is assigned only once"
    ]
