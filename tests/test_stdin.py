"""`--events -` and `--roster -`: standard input read as a file is, in every command that
takes them, with the same results, limits and problems (named `<stdin>`).

Each run is the real command in a subprocess, its standard input a pipe; what a run
from standard input must give is what the same run from the file gives.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from builders import ROOT

from assessment._internal.load.roster import MAX_ROSTER_BYTES
from assessment._internal.text import lines as limits

SCHEME = "schemes/2023.yaml"
ROSTER = "examples/2023/roster.csv"
EVENTS = "examples/2023/events.jsonl"
SMALL_ROSTER = "tests/data/roster.csv"
CSV_EVENTS = (
    "id,type,date,unit,item,category,due,title,reason,completion,month,level,circulated,note\n"
    "e1,item_assigned,2023-01-10,town-a,GZBG-001,work_report,2023-06-30,改造老旧小区3个,,,,,,\n"
    "e2,item_closed,2023-05-20,town-a,GZBG-001,,,,,,,,,\n"
)


def _run(
    *args: str, stdin: bytes | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "assessment", *args],
        cwd=cwd,
        input=stdin if stdin is not None else b"",
        capture_output=True,
        check=False,
        timeout=300,
    )


def _bytes(path: str) -> bytes:
    return (ROOT / path).read_bytes()


@pytest.mark.parametrize("form", [["--format", "json"], ["--format", "csv"], []])
def test_events_piped_in_give_the_bytes_of_the_file_run(form: list[str]) -> None:
    from_file = _run("score", SCHEME, "--roster", ROSTER, "--events", EVENTS, *form)
    piped = _run("score", SCHEME, "--roster", ROSTER, "--events", "-", *form, stdin=_bytes(EVENTS))
    assert from_file.returncode == piped.returncode == 0
    assert piped.stdout == from_file.stdout  # provenance and its digests included
    assert piped.stderr == from_file.stderr == b""


def test_events_piped_in_with_several_jobs_are_read_once_and_score_as_one_job(
    tmp_path: Path,
) -> None:
    # A file named '<stdin>' where the command runs is not standard input.
    (tmp_path / "<stdin>").write_bytes(_bytes(EVENTS).splitlines(keepends=True)[0])
    inputs = (str(ROOT / SCHEME), "--roster", str(ROOT / ROSTER), "--format", "json")
    one = _run("score", *inputs, "--events", str(ROOT / EVENTS))
    piped = _run(
        "score", *inputs, "--events", "-", "--jobs", "2", stdin=_bytes(EVENTS), cwd=tmp_path
    )
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == one.stdout


def test_standard_input_can_be_one_of_several_event_streams(tmp_path: Path) -> None:
    lines = _bytes(EVENTS).splitlines(keepends=True)
    half = len(lines) // 2
    first = tmp_path / "first.jsonl"
    first.write_bytes(b"".join(lines[:half]))
    whole = _run("score", SCHEME, "--roster", ROSTER, "--events", EVENTS, "--format", "json")
    parts = _run(
        *("score", SCHEME, "--roster", ROSTER, "--events", str(first), "-", "--format", "json"),
        stdin=b"".join(lines[half:]),
    )
    assert parts.returncode == 0, parts.stderr
    assert parts.stdout == whole.stdout


def test_a_roster_piped_in_gives_the_bytes_of_the_file_run() -> None:
    from_file = _run(
        "explain", SCHEME, "--roster", ROSTER, "--events", EVENTS, "--unit", "town-qingshi"
    )
    piped = _run(
        *("explain", SCHEME, "--roster", "-", "--events", EVENTS, "--unit", "town-qingshi"),
        stdin=_bytes(ROSTER),
    )
    assert from_file.returncode == 0
    assert piped.stdout == from_file.stdout


def test_a_yaml_roster_piped_in_needs_its_format_said() -> None:
    yaml_roster = b"- {id: town-a, name: \xe9\x9d\x92\xe7\x9f\xb3\xe9\x95\x87, kind: town}\n"
    said = _run("validate", SCHEME, "--roster", "-", "--roster-format", "yaml", stdin=yaml_roster)
    assert (said.returncode, said.stdout) == (
        0,
        b"ok: schemes/2023.yaml, <stdin> valid (district-2023, 9 rules)\n",
    )
    unsaid = _run("validate", SCHEME, "--roster", "-", stdin=yaml_roster)  # read as CSV
    assert unsaid.returncode == 1
    assert unsaid.stderr.decode().startswith("invalid roster: ")
    assert "<stdin>:1 " in unsaid.stderr.decode()


def test_csv_events_piped_in_with_their_format_score_as_the_csv_file(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(CSV_EVENTS, encoding="utf-8")
    args = ("score", SCHEME, "--roster", SMALL_ROSTER, "--format", "json")
    from_file = _run(*args, "--events", str(path))
    piped = _run(*args, "--events", "-", "--events-format", "csv", stdin=CSV_EVENTS.encode())
    assert from_file.returncode == 0, from_file.stderr
    assert piped.stdout == from_file.stdout
    assert json.loads(piped.stdout)["provenance"]["events"] == 2


def test_validate_reads_events_from_standard_input() -> None:
    done = _run("validate", SCHEME, "--roster", ROSTER, "--events", "-", stdin=_bytes(EVENTS))
    assert done.returncode == 0
    assert (
        done.stdout
        == b"ok: schemes/2023.yaml, examples/2023/roster.csv, <stdin> valid (district-2023, 9 rules)\n"
    )


# ------------------------------------------------------------ problems name <stdin>


def test_a_fault_piped_in_is_told_as_a_file_s_named_stdin(tmp_path: Path) -> None:
    bad = _bytes(SMALL_EVENTS) + b'{"id": "x", "type": \n'
    path = tmp_path / "events.jsonl"
    path.write_bytes(bad)
    args = ("score", SCHEME, "--roster", SMALL_ROSTER)
    from_file = _run(*args, "--events", str(path))
    piped = _run(*args, "--events", "-", stdin=bad)
    assert from_file.returncode == piped.returncode == 1
    assert piped.stderr == from_file.stderr.replace(str(path).encode(), b"<stdin>")
    assert piped.stdout == b""


SMALL_EVENTS = "tests/data/valid/events/closed_same_day.jsonl"


@pytest.mark.parametrize(
    ("stdin", "code", "message"),
    [
        (
            b"",
            "file.empty",
            "holds no events: the file is empty or holds only blank lines; check that this is the right file",
        ),
        (
            b'{"id": "\xff"}\n',
            "text.encoding",
            "not valid UTF-8 (byte 0xff): save the file as UTF-8",
        ),
        (b"[1]\n", "events.wrong_type", "must be an object with the event's fields (got a list)"),
    ],
)
def test_events_piped_in_are_refused_with_the_problems_of_a_file(
    stdin: bytes, code: str, message: str
) -> None:
    done = _run(
        "score", SCHEME, "--roster", SMALL_ROSTER, "--events", "-", "--errors", "json", stdin=stdin
    )
    assert done.returncode == 1
    document = json.loads(done.stderr)
    assert document["error"] == "events"
    (problem,) = document["problems"]
    assert (problem["file"], problem["code"], problem["message"]) == ("<stdin>", code, message)


def test_standard_input_has_the_line_limit_of_a_file() -> None:
    line = b'{"id": "' + b"x" * limits.MAX_LINE_BYTES + b'"}\n'
    done = _run("validate", SCHEME, "--roster", SMALL_ROSTER, "--events", "-", stdin=line)
    assert done.returncode == 1
    assert done.stderr.decode() == (
        f"invalid events: 1 problem\n<stdin>:1: the line is longer than {limits.MAX_LINE_BYTES} bytes\n"
    )


def test_a_roster_piped_in_has_the_size_limit_of_a_file() -> None:
    done = _run(
        "validate",
        SCHEME,
        "--roster",
        "-",
        "--errors",
        "json",
        stdin=b"id,name,kind\n" + b"#" * MAX_ROSTER_BYTES,
    )
    assert done.returncode == 1
    (problem,) = json.loads(done.stderr)["problems"]
    assert (problem["file"], problem["code"]) == ("<stdin>", "file.too_large")


# ------------------------------------------------------------ what is refused, and why


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--roster", "-", "--events", "-"],
            "--roster and --events: '-' (standard input) is given more than once, and there is "
            "one standard input: give files for the others",
        ),
        (
            ["--roster", ROSTER, "--events", "-", "-"],
            "--events: '-' (standard input) is given more than once, and there is one standard "
            "input: give files for the others",
        ),
        (
            ["--roster", ROSTER, "--events", EVENTS, "--events-format", "csv"],
            "--events-format csv: the file examples/2023/events.jsonl is named as .jsonl, not "
            "csv; the format is for standard input (-): a file's suffix says its own",
        ),
        (
            ["--roster", ROSTER, "--events", "-", "--roster-format", "yaml"],
            "--roster-format yaml: the file examples/2023/roster.csv is named as .csv, not yaml; "
            "the format is for standard input (-): a file's suffix says its own",
        ),
    ],
)
def test_standard_input_asked_for_wrongly_is_a_usage_error(args: list[str], message: str) -> None:
    done = _run("score", SCHEME, *args, stdin=_bytes(EVENTS))
    assert done.returncode == 2
    assert done.stderr.decode().splitlines()[-1] == f"assessment: error: {message}"
    assert done.stdout == b""


def test_a_format_that_agrees_with_the_files_is_no_error() -> None:
    done = _run(
        "validate", SCHEME, "--roster", ROSTER, "--events", EVENTS, "--events-format", "jsonl"
    )
    assert done.returncode == 0


def test_standard_input_left_at_the_terminal_is_refused_not_waited_on() -> None:
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "assessment",
                "score",
                SCHEME,
                "--roster",
                ROSTER,
                "--events",
                "-",
            ],
            cwd=ROOT,
            stdin=follower,
            capture_output=True,
            check=False,
            timeout=120,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 2
    assert done.stderr.decode().splitlines()[-1] == (
        "assessment: error: --events -: standard input is a terminal: pipe the events in "
        "(cat FILE | assessment ...) or give the file's path"
    )
