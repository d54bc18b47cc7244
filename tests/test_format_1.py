"""Format 1 files keep loading, with the results they had; `assessment migrate` rewrites them.

tests/data/format1/ holds every shipped scheme as it was written in format 1, frozen
when format 2 began. Each must load to the very scheme its shipped (format 2) file
loads to, score the example ledger identically, and migrate to a file that loads to it
as well, with its comments kept.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from builders import ROOT, score_example

import assessment
from assessment._internal.app.migrate import migrated
from assessment._internal.model import upgrade
from assessment._internal.model.upgrade import Addition
from assessment.cli import main

FORMAT_1 = ROOT / "tests" / "data" / "format1"
SHIPPED = {
    "2023": ("schemes/2023.yaml", "examples/2023"),
    "city-2024": ("schemes/examples/city-2024.yaml", "examples/city-2024"),
    "deduction-only": ("schemes/examples/deduction-only.yaml", "examples/deduction-only"),
    "district-2024": ("schemes/examples/district-2024.yaml", "examples/district-2024"),
    "workload": ("schemes/examples/workload.yaml", "examples/workload"),
}


def _comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_a_format_1_file_loads_to_its_format_2_scheme(name: str) -> None:
    old = FORMAT_1 / f"{name}.yaml"
    assert "\nformat: 1\n" in old.read_text(encoding="utf-8")
    shipped, example = SHIPPED[name]
    assert assessment.load_scheme(old) == assessment.load_scheme(ROOT / shipped)
    before = score_example(old, ROOT / example).model_dump()
    after = score_example(ROOT / shipped, ROOT / example).model_dump()
    assert before == after


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_migrate_keeps_the_scheme_and_its_comments(name: str) -> None:
    old = FORMAT_1 / f"{name}.yaml"
    raw = old.read_bytes()
    text, said = migrated(raw, str(old))
    assert said[0] == "format: 1 → format: 2"
    assert "\nformat: 2\n" in text
    assert assessment.parse_scheme(text) == assessment.load_scheme(old)
    assert _comments(text) == _comments(raw.decode("utf-8"))


_TINY = """\
format: 1   # the first format
id: tiny
title: 小
version: "1"
source: {document: 小方案}
period:
  start: 2024-01-01
  end: 2024-12-31
base: 10
unit_kinds:
  - {id: town, name: 镇}
groups:
  - id: towns
    name: 镇   # every town
    kinds: [town]
sections:
  - id: work
    name: 工作
    clause: 一
    points: 10
    rules:
      - id: late
        kind: per_event
        name: 迟报
        clause: 一1
        text: 迟报一次扣1分。
        event: report_submitted
        points: -1
        multiply:
          - {of: unit_kind, table: {town: 2}}
"""


def _added(data: dict[str, Any]) -> list[Addition]:
    """A step as a mechanism writes one: keys with the value format 1 meant."""
    return [
        Addition(("groups", 0), "note", "镇", "a note on a block mapping"),
        Addition(("sections", 0, "rules", 0, "multiply", 0), "default", 1, "flow mapping"),
        Addition(("source",), "issuer", "区政府督查室", "a flow mapping on one line"),
        # Two keys at the same place, the end of the file: the deeper mapping's goes first.
        Addition((), "note", "根", "the top of the file"),
        Addition(("sections", 0, "rules", 0), "evidence", "以通报为准", "the last rule"),
    ]


def test_each_addition_goes_into_its_mapping_in_its_style(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(upgrade, "STEPS", [_added])
    loaded = assessment.parse_scheme(_TINY)
    assert loaded.format == 2
    assert loaded.groups[0].note == "镇"  # read as format 2, with what the step added
    assert loaded.source.issuer == "区政府督查室"
    text, said = migrated(_TINY.encode("utf-8"), "tiny.yaml")
    assert "format: 2   # the first format\n" in text
    assert "    name: 镇   # every town\n    kinds: [town]\n    note: 镇\n" in text
    assert "- {of: unit_kind, table: {town: 2}, default: 1}" in text
    assert "source: {document: 小方案, issuer: 区政府督查室}" in text
    assert text.endswith("        evidence: 以通报为准\nnote: 根\n")
    assert len(said) == 6
    assert assessment.parse_scheme(text) == loaded


def test_a_format_2_file_migrates_to_itself() -> None:
    text = _TINY.replace("format: 1 ", "format: 2 ")
    assert migrated(text.encode("utf-8"), "tiny.yaml") == (text, [])


def test_the_migrate_command_writes_the_file_whole(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(_TINY, encoding="utf-8")
    out = tmp_path / "new.yaml"
    assert main(["migrate", str(old), "--output", str(out)], io.StringIO()) == 0
    assert out.read_text(encoding="utf-8") == _TINY.replace("format: 1 ", "format: 2 ")
    assert old.read_text(encoding="utf-8") == _TINY  # the input is never changed
