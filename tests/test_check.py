"""`assessment check`: shipped schemes keep their promises; inconsistent ones are caught."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from assessment.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = [ROOT / "schemes/2023.yaml", *sorted((ROOT / "schemes/examples").glob("*.yaml"))]

# A bonus on top of a full base: the promise "total at most 100" cannot hold.
BONUS_ON_TOP = """
format: 1
id: inconsistent
title: 自相矛盾的方案
version: "1"
source: {document: 测试}
period: {start: 2024-01-01, end: 2024-12-31}
base: 100
unit_kinds: [{id: town, name: 镇}]
groups: [{id: towns, name: 镇, kinds: [town]}]
sections:
  - id: work
    name: 日常工作
    clause: 一
    points: 100
    rules:
      - {id: no_staff, kind: finding, name: 无专职人员, clause: 一, text: 未明确专职人员的扣3分,
         event: inspection, field: has_staff, equals: false, points: -3}
  - id: bonus
    name: 加分
    clause: 二
    points: 10
    start: zero
    rules:
      - {id: praise, kind: per_event, name: 表扬, clause: 二, text: 每次加5分,
         event: commendation, points: 5}
expectations:
  - {kind: range, id: total_at_most_100, name: 总分不超过100分, max: 100}
  - {kind: removal, id: inspections_never_help, name: 少一次检查不会降低得分,
     event: inspection, effect: never_lowers}
"""


def run(path: Path, examples: int) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["check", str(path), "--examples", str(examples), "--seed", "1"], stdout=out)
    return code, out.getvalue()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_schemes_keep_their_promises(path: Path) -> None:
    code, out = run(path, examples=30)
    assert code == 0, out
    assert out.rstrip().endswith("every check held")


def test_broken_promises_are_reported_with_a_small_readable_ledger(tmp_path: Path) -> None:
    path = tmp_path / "inconsistent.yaml"
    path.write_text(BONUS_ON_TOP, encoding="utf-8")
    code, out = run(path, examples=300)
    assert code == 1
    assert "  ok    limits: every section stays within [floor, points]" in out
    # one commendation with nothing deducted is the smallest ledger over 100
    total = out[out.index("FAIL  total_at_most_100") : out.index("FAIL  inspections_never_help")]
    assert "total is 105, but must be at most 100" in total
    assert total.count('{"id"') == 1 and '"type": "commendation"' in total
    assert "praise [二] 5 (applied 5)" in total
    # a later inspection that finds staff lifts the −3: removing it lowers the total
    removal = out[out.index("FAIL  inspections_never_help") :]
    assert "(inspection) lowers total from 100 to 97" in removal
    assert removal.count('"type": "inspection"') == 2
    assert out.rstrip().endswith("2 of 5 checks broken")
