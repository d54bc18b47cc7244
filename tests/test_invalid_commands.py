"""Every command line in the corpus is refused with exactly its stored diagnostics, and changes
nothing.

Each case is one file, `tests/data/invalid/commands/NAME.yaml`, run as
`python -m assessment ARGS...` in a subprocess, in a fresh temporary directory
that holds only the files the case lists. To add a case, add a file::

    # What the case shows, in a sentence (a comment, for the reader).
    args: [score, scheme.yaml, --roster, roster.csv, --events, events.jsonl, --output, roster.csv]
    files:                        # the run's directory, made in this order (optional)
      scheme.yaml: {copy: schemes/2023.yaml}     # a copy of a file of the repository
      roster.csv: {copy: tests/data/roster.csv}
      events.jsonl: {text: ""}                   # a file holding this text (UTF-8)
      old.csv: {text: "a,b\\n", mode: "0444"}    # mode: octal, set once the entry exists
      link.csv: {link: old.csv}                  # a symbolic link to this path
      zero.jsonl: {link: /dev/zero}              # (an absolute target too)
      same.jsonl: {hardlink: events.jsonl}       # another name of an entry listed above
      pipe.jsonl: {fifo: true}                   # a named pipe
      out: {directory: true}                     # a directory
    env: {PYTHONIOENCODING: cp936}   # set for the run (optional); stdout and stderr are
                                     # UTF-8 whatever it says, and decoded as UTF-8
    exit: 2                          # the exit code expected
    stdout: ""                       # what standard output holds exactly (optional: nothing)
    stderr: |                        # what standard error holds exactly, line for line
      usage: assessment [-h] [--version] COMMAND ...
      assessment: error: ...
    timeout: 60                      # seconds before the run counts as hung (optional)
    memory_mb: 1024                  # its address-space limit (optional), so that reading
                                     # an endless input whole fails the case, not the machine

Paths in `args` are relative to the run's directory; an absolute one (/dev/null,
/dev/zero) is used as it is. After the run, every entry of the directory must be
as it was (same names, kinds, modes, link targets and bytes: no stray temporary
file such as `.NAME.XXXXXXXX.tmp`), and so must every absolute path in `args`
(a device stays that device).
"""

from __future__ import annotations

import os
import resource
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CASES_DIR = ROOT / "tests/data/invalid/commands"
CASES = sorted(CASES_DIR.glob("*.yaml"))
_KEYS = {"args", "files", "env", "exit", "stdout", "stderr", "timeout", "memory_mb"}
_KINDS = {"copy", "text", "link", "hardlink", "fifo", "directory"}


def _case(path: Path) -> dict[str, Any]:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(case, dict), f"{path}: a case is a mapping"
    assert set(case) <= _KEYS, f"{path}: unknown keys {set(case) - _KEYS}"
    assert {"args", "exit", "stderr"} <= set(case), f"{path}: needs args, exit and stderr"
    assert case["exit"] != 0, f"{path}: a case of this corpus is refused"
    return case


def _make(directory: Path, files: dict[str, dict[str, Any]]) -> None:
    for name, spec in files.items():
        kinds = _KINDS & set(spec)
        assert len(kinds) == 1, f"{name}: give one of {sorted(_KINDS)}"
        (kind,) = kinds
        entry = directory / name
        if kind == "copy":
            shutil.copyfile(ROOT / spec["copy"], entry)
        elif kind == "text":
            entry.write_bytes(spec["text"].encode("utf-8"))
        elif kind == "link":
            entry.symlink_to(spec["link"])
        elif kind == "hardlink":
            entry.hardlink_to(directory / spec["hardlink"])
        elif kind == "fifo":
            os.mkfifo(entry)
        else:
            entry.mkdir()
        if "mode" in spec:
            entry.chmod(int(spec["mode"], 8))


def _state(path: Path) -> tuple[object, ...]:
    """What a run must not change about one path."""
    status = path.lstat()
    kind = stat.S_IFMT(status.st_mode)
    if stat.S_ISLNK(status.st_mode):
        return (kind, str(path.readlink()))
    content = path.read_bytes() if stat.S_ISREG(status.st_mode) else None
    return (kind, stat.S_IMODE(status.st_mode), status.st_rdev, status.st_nlink, content)


def _snapshot(directory: Path, args: list[str]) -> dict[str, tuple[object, ...]]:
    found = {
        entry.relative_to(directory).as_posix(): _state(entry) for entry in directory.rglob("*")
    }
    for arg in args:
        if arg.startswith("/") and os.path.lexists(arg):
            found[arg] = _state(Path(arg))
    return found


def _limits(memory_mb: int) -> Any:
    def limit() -> None:  # in the child, before it runs Python
        size = memory_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    return limit


def test_the_corpus_is_not_empty() -> None:
    assert len(CASES) >= 15


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_invalid_command_gives_the_expected_diagnostics_and_changes_nothing(
    path: Path, tmp_path: Path
) -> None:
    case = _case(path)
    args = [str(arg) for arg in case["args"]]
    _make(tmp_path, case.get("files") or {})
    before = _snapshot(tmp_path, args)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONIOENCODING", "PYTHONUTF8")
    }
    # The package is run from the repository, whatever the directory; usage lines fit 80 columns.
    env |= {"PYTHONPATH": str(ROOT), "COLUMNS": "80"}
    env |= {key: str(value) for key, value in (case.get("env") or {}).items()}
    done = subprocess.run(
        [sys.executable, "-m", "assessment", *args],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,  # a case reading /dev/stdin reads nothing, never waits
        capture_output=True,
        timeout=case.get("timeout", 60),
        preexec_fn=_limits(case.get("memory_mb", 1024)),
        check=False,
    )
    assert done.stderr.decode("utf-8") == case["stderr"]
    assert done.stdout.decode("utf-8") == case.get("stdout", "")
    assert done.returncode == case["exit"]
    assert _snapshot(tmp_path, args) == before
