"""Event streams that are not ledgers at all: refused quickly, in bounded memory, with every
problem counted and the first ones listed.

Each case runs the command line in a subprocess limited in memory (RLIMIT_AS) and in time, so
that a hang or a blow-up fails the test instead of the machine.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

import assessment
from assessment.errors import MAX_LISTED

ROOT = Path(__file__).resolve().parent.parent
MEMORY = 1 << 30  # bytes: a validation run of the test roster needs a fraction of this


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _validate(events: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "assessment", "validate", "schemes/2023.yaml"]
    command += ["--roster", "tests/data/roster.csv", "--events", events]
    return subprocess.run(
        command,
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limited,
    )


def test_a_device_is_not_read(tmp_path: Path) -> None:
    device = tmp_path / "zero.jsonl"
    device.symlink_to("/dev/zero")
    run = _validate(str(device))
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        "invalid events: 1 problem",
        f"{device}: is a device, not a file of events: give the path of the export",
    ]


def test_a_stream_of_zeros_with_no_line_break_is_given_up(tmp_path: Path) -> None:
    pipe = tmp_path / "zeros.jsonl"
    os.mkfifo(pipe)
    # A writer that would go on for ever if the reader never gave up (it dies with the pipe).
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import sys\nout = open({str(pipe)!r}, 'wb')\nwhile True: out.write(bytes(1 << 20))",
        ],
        stderr=subprocess.DEVNULL,
    )
    try:
        run = _validate(str(pipe))
    finally:
        writer.kill()
        writer.wait()
    assert run.returncode == 1
    assert run.stderr.splitlines()[1].startswith(
        f"{pipe}:1: the line is longer than 1048576 bytes, and runs on past 64 MiB"
    )


def test_a_file_of_garbage_lists_the_first_problems_and_counts_the_rest(tmp_path: Path) -> None:
    rows = 3 * MAX_LISTED
    export = tmp_path / "gbk.csv"
    lines = ["id,type,date,unit,level,circulated"]
    lines += [f"e{n},commendation,2023-03-01,town-a,city,是" for n in range(rows)]
    export.write_bytes("\n".join(lines).encode("gbk") + b"\n")
    scheme = assessment.load_scheme(ROOT / "schemes/2023.yaml")
    roster = assessment.read_roster(ROOT / "tests/data/roster.csv", scheme)
    with pytest.raises(assessment.EventsError) as caught:
        assessment.read_events(export, scheme, roster)
    error = caught.value
    # One problem a row (none of them is UTF-8); the header is plain ASCII.
    assert len(error.problems) == MAX_LISTED
    assert error.more == rows - MAX_LISTED
    assert error.problems[0].line == 2 and "not valid UTF-8" in error.problems[0].message
    summary = str(error).splitlines()
    assert summary[0] == f"invalid events: {rows} problems"
    assert summary[-1].startswith(f"... and {rows - MAX_LISTED} more, not listed")
    assert len(summary) == MAX_LISTED + 2


def test_problems_beyond_the_listed_ones_are_counted_not_kept() -> None:
    # What keeps the memory of a garbage file bounded: the batch's list keeps MAX_LISTED.
    from assessment._internal.text.problems import ProblemList  # noqa: PLC0415
    from assessment.errors import Problem  # noqa: PLC0415

    problems = ProblemList()
    problems += (Problem("f", n, 0, "", "bad") for n in range(1, MAX_LISTED + 1))
    problems.append(Problem("f", MAX_LISTED + 1, 0, "", "bad"))
    problems.extend([Problem("f", MAX_LISTED + 2, 0, "", "bad")])
    assert len(problems) == MAX_LISTED
    assert problems.more == 2
    assert problems[-1].line == MAX_LISTED
