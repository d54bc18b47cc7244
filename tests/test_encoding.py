"""Standard output, standard error and every file written are UTF-8 whatever the locale:
LC_ALL=C, a GBK locale, PYTHONIOENCODING=gbk, a Windows code page, or the default.

Each run is the real command in a subprocess; what every locale must give is the
bytes of the run in the default (UTF-8) environment, and those bytes are the UTF-8
of the names in the inputs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from builders import ROOT

LOCALES = {
    "default": {},
    "C": {"LC_ALL": "C"},
    "GBK locale": {"LANG": "zh_CN.GBK", "LC_ALL": "zh_CN.GBK"},
    "PYTHONIOENCODING=gbk": {"PYTHONIOENCODING": "gbk"},
    "Windows code page 936": {"PYTHONIOENCODING": "cp936"},
    "ASCII": {"PYTHONIOENCODING": "ascii", "LC_ALL": "C"},
}
# 𠀀 (U+20000) is in no GBK table: a name with it is what a GBK standard output lost.
ROSTER = "id,name,kind\ntown-a,青石镇人民政府,town\ndept-x,区𠀀局,department\n"
EVENTS = ROOT / "tests/data/valid/events/closed_same_day.jsonl"


def _run(args: list[str], locale: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("LANG", "LC_ALL", "PYTHONIOENCODING", "PYTHONUTF8")
    }
    env |= {"PYTHONPATH": str(ROOT), "PYTHONUTF8": "0"} | locale
    return subprocess.run(
        [sys.executable, "-m", "assessment", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
        timeout=300,
    )


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    (tmp_path / "events.jsonl").write_bytes(EVENTS.read_bytes())
    (tmp_path / "bad.jsonl").write_text(
        EVENTS.read_text(encoding="utf-8") + '{"id": "z", "type": "item_closed", "date": '
        '"2023-05-01", "unit": "镇𠀀", "item": "GZBG-001"}\n',
        encoding="utf-8",
    )
    return tmp_path


def _score(name: str) -> list[str]:
    return ["score", str(ROOT / "schemes/2023.yaml"), "--roster", "roster.csv", "--events", name]


@pytest.mark.parametrize("locale", list(LOCALES), ids=str)
def test_standard_output_is_the_same_utf8_bytes_in_every_locale(inputs: Path, locale: str) -> None:
    default = _run(_score("events.jsonl"), LOCALES["default"], inputs)
    done = _run(_score("events.jsonl"), LOCALES[locale], inputs)
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout == default.stdout
    assert "区𠀀局".encode() in done.stdout  # as UTF-8, not escaped or replaced


@pytest.mark.parametrize("locale", list(LOCALES), ids=str)
def test_errors_on_standard_error_are_the_same_utf8_bytes_in_every_locale(
    inputs: Path, locale: str
) -> None:
    default = _run([*_score("bad.jsonl"), "--errors", "json"], LOCALES["default"], inputs)
    done = _run([*_score("bad.jsonl"), "--errors", "json"], LOCALES[locale], inputs)
    assert (done.returncode, done.stdout) == (1, b"")
    assert done.stderr == default.stderr
    (problem,) = json.loads(done.stderr.decode("utf-8"))["problems"]
    assert problem["message"].startswith("unknown unit '镇𠀀'")
    text = _run(_score("bad.jsonl"), LOCALES[locale], inputs)
    assert (
        text.stderr
        == (
            "invalid events: 1 problem\n"
            "bad.jsonl:3 unit: unknown unit '镇𠀀': the roster has dept-x, town-a\n"
        ).encode()
    )


@pytest.mark.parametrize("locale", ["C", "GBK locale"])
def test_files_written_are_utf8_in_every_locale(inputs: Path, locale: str) -> None:
    done = _run([*_score("events.jsonl"), "--output", "out.txt"], LOCALES[locale], inputs)
    assert done.returncode == 0
    shown = _run(_score("events.jsonl"), LOCALES["default"], inputs).stdout
    assert (inputs / "out.txt").read_bytes() == shown
