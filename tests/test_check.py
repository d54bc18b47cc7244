"""`assessment check`: shipped schemes keep their promises; inconsistent ones are caught."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assessment.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = [ROOT / "schemes/2023.yaml", *sorted((ROOT / "schemes/examples").glob("*.yaml"))]

INCONSISTENT = ROOT / "tests/data/check/bonus_on_top.yaml"


def run(path: Path, examples: int) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["check", str(path), "--examples", str(examples), "--seed", "1"], stdout=out)
    return code, out.getvalue()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_schemes_keep_their_promises(path: Path) -> None:
    code, out = run(path, examples=30)
    assert code == 0, out
    assert out.rstrip().endswith("every check held")


def test_broken_promises_are_reported_with_a_small_readable_ledger() -> None:
    code, out = run(INCONSISTENT, examples=300)
    assert code == 1
    assert "  ok    limits: every section stays within its floor and cap" in out
    # one commendation with nothing deducted is the smallest ledger over 100
    total = out[out.index("FAIL  total_at_most_100") : out.index("FAIL  inspections_never_help")]
    assert "total is 105, but must be at most 100" in total
    assert total.count('{"id"') == 1 and '"type": "commendation"' in total
    assert "praise [二] 5 (applied 5)" in total
    # a later inspection that finds staff lifts the −3: removing it lowers the total
    removal = out[out.index("FAIL  inspections_never_help") :]
    assert "(inspection) lowers total from 100 to 97" in removal
    assert removal.count('"type": "inspection"') == 2
    assert out.rstrip().endswith("2 of 6 checks broken")


def test_check_leaves_the_current_directory_as_it_found_it(tmp_path: Path) -> None:
    # Hypothesis writes its caches under ./.hypothesis even with no database.
    env = {k: v for k, v in os.environ.items() if not k.startswith("HYPOTHESIS_")}
    command = [sys.executable, "-m", "assessment", "check", str(SHIPPED[0]), "--examples", "3"]
    done = subprocess.run(command, check=False, cwd=tmp_path, env=env, capture_output=True)
    assert done.returncode == 0, done.stderr
    assert list(tmp_path.iterdir()) == []
