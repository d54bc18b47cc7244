"""Every shipped scheme on its example ledger prints what it printed when recorded.

The files in tests/data/unchanged/ were written by this module's `record()` at commit
16a2989, before the private machinery was reorganised into stages (issue "One home per
concept"). A reorganisation must change no byte of what a user or a caller sees: the
JSON results, the table, the CSV and the explanations, at the period's end and as of a
day within it. Rewrite them (`python tests/test_unchanged_outputs.py`) only for a change
that means to alter an output, and say so in its commit.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assessment.cli import main

ROOT = Path(__file__).resolve().parent.parent
RECORDED = Path(__file__).resolve().parent / "data" / "unchanged"

# (name, scheme, example folder, a unit to explain, a day within the year)
LEDGERS = [
    ("2023", "schemes/2023.yaml", "examples/2023", "town-qingshi", "2023-06-30"),
    (
        "city-2024",
        "schemes/examples/city-2024.yaml",
        "examples/city-2024",
        "county-dongjiang",
        "2024-06-30",
    ),
    (
        "deduction-only",
        "schemes/examples/deduction-only.yaml",
        "examples/deduction-only",
        "town-donghu",
        "2024-06-30",
    ),
    (
        "district-2024",
        "schemes/examples/district-2024.yaml",
        "examples/district-2024",
        "town-qingshi",
        "2024-06-30",
    ),
    ("workload", "schemes/examples/workload.yaml", "examples/workload", "town-a", "2024-06-30"),
]


def _runs() -> Iterator[tuple[str, list[str]]]:
    for name, scheme, folder, unit, day in LEDGERS:
        inputs = [scheme, "--roster", f"{folder}/roster.csv", "--events", f"{folder}/events.jsonl"]
        for fmt in ("json", "table", "csv"):
            yield f"{name}.score.{fmt}", ["score", *inputs, "--format", fmt]
        yield f"{name}.score-as-of.json", ["score", *inputs, "--format", "json", "--as-of", day]
        for fmt in ("text", "json"):
            yield f"{name}.explain.{fmt}", ["explain", *inputs, "--unit", unit, "--format", fmt]


def _output(argv: list[str], monkeypatch: pytest.MonkeyPatch | None = None) -> str:
    out = io.StringIO()
    if monkeypatch is not None:
        monkeypatch.chdir(ROOT)
    code = main(argv, stdout=out)
    assert code == 0, argv
    return out.getvalue()


RUNS = list(_runs())


@pytest.mark.parametrize(("name", "argv"), RUNS, ids=[name for name, _ in RUNS])
def test_the_output_is_what_was_recorded(
    name: str, argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with (RECORDED / name).open(encoding="utf-8", newline="") as file:  # CSV ends lines CR LF
        recorded = file.read()
    assert _output(argv, monkeypatch) == recorded


def record() -> None:
    """Rewrite the recorded outputs from the code as it is now."""
    import os  # noqa: PLC0415 (only when recording)

    os.chdir(ROOT)
    RECORDED.mkdir(parents=True, exist_ok=True)
    for name, argv in RUNS:
        with (RECORDED / name).open("w", encoding="utf-8", newline="") as file:
            file.write(_output(argv))


if __name__ == "__main__":
    record()
    sys.exit(0)
