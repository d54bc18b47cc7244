"""Every command docs/cli.md shows with its output gives that output, exactly."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "docs/cli.md").read_text(encoding="utf-8")


def _shown() -> list[tuple[str, str]]:
    """(command, output) for each `$ assessment ...` line of a console block that shows output."""
    found = []
    for block in re.findall(r"```console\n(.*?)```", GUIDE, flags=re.DOTALL):
        for command in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            line, _, output = command.partition("\n")
            if output:
                found.append((line, output))
    return found


def test_the_guide_shows_commands_with_their_output() -> None:
    assert len(_shown()) >= 3


@pytest.mark.parametrize(("command", "output"), _shown(), ids=[c[:70] for c, _ in _shown()])
def test_a_command_of_the_guide_prints_what_the_guide_shows(
    command: str, output: str, tmp_path: Path
) -> None:
    args = shlex.split(command)
    assert args[0] == "assessment"
    # Run on copies of the files it names: a command that must refuse to overwrite an input
    # must not be able to overwrite the repository's own.
    for arg in args[1:]:
        if (ROOT / arg).is_file():
            (tmp_path / arg).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / arg, tmp_path / arg)
    env = os.environ | {"PYTHONPATH": str(ROOT), "COLUMNS": "80", "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "assessment", *args[1:]],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.stdout + done.stderr == output
