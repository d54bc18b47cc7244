"""Output files: written whole or not at all, with the mode a user expects, cleaned up when
a run is stopped by a signal; and refused where writing would destroy something."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assessment._internal.app.output import UnsafeOutputError, check_output, write_atomically

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def umask() -> Iterator[None]:
    """Restores the process's umask after a test that sets its own."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("umask")
@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_has_the_mode_the_umask_gives(tmp_path: Path, mask: int, mode: int) -> None:
    os.umask(mask)
    target = tmp_path / "scores.csv"
    write_atomically(target, "排名,单位\n")
    assert target.read_text(encoding="utf-8") == "排名,单位\n"
    assert _mode(target) == mode  # 0o666 less the umask, as a shell's `>` gives
    assert [p.name for p in tmp_path.iterdir()] == ["scores.csv"]


@pytest.mark.usefixtures("umask")
@pytest.mark.parametrize("mode", [0o640, 0o600, 0o666])
def test_a_replaced_file_keeps_its_mode(tmp_path: Path, mode: int) -> None:
    os.umask(0o022)
    target = tmp_path / "scores.csv"
    target.write_text("earlier", encoding="utf-8")
    target.chmod(mode)
    write_atomically(target, "later")
    assert target.read_text(encoding="utf-8") == "later"
    assert _mode(target) == mode
    assert [p.name for p in tmp_path.iterdir()] == ["scores.csv"]


def test_a_target_that_became_a_link_is_refused_at_the_write(tmp_path: Path) -> None:
    # Checked again when writing: the path may have changed while the command scored.
    (tmp_path / "real.csv").write_text("kept", encoding="utf-8")
    (tmp_path / "scores.csv").symlink_to("real.csv")
    with pytest.raises(UnsafeOutputError, match="is a symbolic link"):
        write_atomically(tmp_path / "scores.csv", "results")
    assert (tmp_path / "real.csv").read_text(encoding="utf-8") == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["real.csv", "scores.csv"]


def test_an_input_is_recognised_by_its_inode_whatever_the_spelling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("roster.csv").write_text("id,name,kind\n", encoding="utf-8")
    Path("again.csv").hardlink_to("roster.csv")
    inputs = [("scheme", "scheme.yaml"), ("roster", "roster.csv")]  # the scheme may be missing
    for spelling in ("roster.csv", "./roster.csv", str(tmp_path / "roster.csv"), "again.csv"):
        with pytest.raises(UnsafeOutputError, match="is the roster being read"):
            check_output(spelling, inputs)
    check_output("results.csv", inputs)  # a new file beside them is fine
    Path("results.csv").write_text("earlier", encoding="utf-8")
    check_output("results.csv", inputs)  # and so is an earlier result


def test_an_unwritable_directory_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root may write anywhere, so the answer of access() is what is faked here.
    real = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode: False if Path(path) == tmp_path else real(path, mode)
    )
    with pytest.raises(UnsafeOutputError) as caught:
        check_output(tmp_path / "scores.csv")
    assert str(caught.value) == (
        f"--output '{tmp_path / 'scores.csv'}' cannot be created: the directory '{tmp_path}'"
        " is not writable; choose another path"
    )


def test_an_escape_in_the_output_path_is_shown_escaped() -> None:
    with pytest.raises(UnsafeOutputError) as caught:
        check_output("/nowhere\x1b[2J/scores.csv")
    assert "'/nowhere\\x1b[2J/scores.csv'" in str(caught.value)
    assert "\x1b" not in str(caught.value)


# A child that starts a write and stops in the middle of it, with its temporary file
# written but not yet renamed, until the test tells it to go on (a line on its stdin):
# the signal arrives at a known point, with no timing involved.
_WRITER = """
import os, signal, sys
from assessment._internal.app import output

# Python's defaults, whatever this test's own runner ignores (a background job ignores SIGINT).
signal.signal(signal.SIGTERM, signal.SIG_DFL)
signal.signal(signal.SIGHUP, signal.SIG_DFL)
signal.signal(signal.SIGINT, signal.default_int_handler)
if sys.argv[2] == "ignore-hup":
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as nohup does
real_fsync = os.fsync

def held_fsync(fd):
    print("writing", flush=True)
    sys.stdin.readline()
    real_fsync(fd)

os.fsync = held_fsync
output.write_atomically(sys.argv[1], "新的结果\\n" * 1000)
print("written", flush=True)
"""


# The same, through the command line: `assessment score ... --output TARGET`.
_COMMAND = _WRITER.replace(
    'output.write_atomically(sys.argv[1], "新的结果\\n" * 1000)',
    "from assessment.cli import main\n"
    'code = main(["score", "schemes/2023.yaml", "--roster", "tests/data/roster.csv", "--events",'
    ' "tests/data/valid/events/closed_same_day.jsonl", "--output", sys.argv[1]])',
)


def _start_writer(target: Path, mode: str, script: str = _WRITER) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(target), mode],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "writing\n"
    return child


@pytest.mark.parametrize(
    ("signum", "status"),
    [
        (signal.SIGTERM, -signal.SIGTERM),
        (signal.SIGHUP, -signal.SIGHUP),
        # Python's own handler: KeyboardInterrupt, and Python then ends by SIGINT.
        (signal.SIGINT, -signal.SIGINT),
    ],
)
def test_a_signal_during_the_write_leaves_the_earlier_file_and_no_temporary_one(
    tmp_path: Path, signum: int, status: int
) -> None:
    target = tmp_path / "scores.csv"
    target.write_text("earlier results\n", encoding="utf-8")
    child = _start_writer(target, "default")
    try:
        temporaries = [p.name for p in tmp_path.iterdir() if p.name != "scores.csv"]
        assert len(temporaries) == 1  # the write is under way: its temporary file exists
        assert temporaries[0].startswith(".scores.csv.")
        assert temporaries[0].endswith(".tmp")
        child.send_signal(signum)
        _, errors = child.communicate(timeout=60)
    finally:
        child.kill()
    assert child.returncode == status, errors
    assert [p.name for p in tmp_path.iterdir()] == ["scores.csv"]
    assert target.read_text(encoding="utf-8") == "earlier results\n"


def test_ctrl_c_during_the_write_of_a_command_stops_it_cleanly(tmp_path: Path) -> None:
    target = tmp_path / "scores.txt"
    target.write_text("earlier results\n", encoding="utf-8")
    child = _start_writer(target, "default", _COMMAND)
    try:
        assert len(list(tmp_path.iterdir())) == 2  # the write is under way
        child.send_signal(signal.SIGINT)
        out, errors = child.communicate(timeout=60)
    finally:
        child.kill()
    assert (child.returncode, out, errors) == (
        -signal.SIGINT,  # by the signal, as a shell expects of a run stopped by Ctrl-C
        "",
        "assessment: stopped by Ctrl-C (SIGINT)\n",  # and no traceback
    )
    assert [p.name for p in tmp_path.iterdir()] == ["scores.txt"]
    assert target.read_text(encoding="utf-8") == "earlier results\n"


def test_an_ignored_hangup_does_not_stop_the_write(tmp_path: Path) -> None:
    target = tmp_path / "scores.csv"
    child = _start_writer(target, "ignore-hup")
    try:
        child.send_signal(signal.SIGHUP)  # ignored, as under nohup: the write goes on
        out, errors = child.communicate("go on\n", timeout=60)
    finally:
        child.kill()
    assert (child.returncode, out) == (0, "written\n"), errors
    assert [p.name for p in tmp_path.iterdir()] == ["scores.csv"]
    assert target.read_text(encoding="utf-8") == "新的结果\n" * 1000


def test_the_signal_handlers_are_back_after_a_write(tmp_path: Path) -> None:
    before = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    write_atomically(tmp_path / "scores.csv", "results")
    with pytest.raises(UnsafeOutputError):
        write_atomically(tmp_path, "results")
    assert {s: signal.getsignal(s) for s in before} == before
