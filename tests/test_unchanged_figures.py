"""Every figure of the recorded outputs is what it was before explanations kept the
author's words (issue 13, mechanism 10).

That change re-recorded tests/data/unchanged/ on purpose: the JSON gained the rule table,
the item counts and a line's `purpose`, and lost the lines a multiplier of 0 made; the
explanation gained the rules' words and the counts. No score moved: `figures.json` holds
every unit's total, sections, rank, grade and flags as recorded at commit d6c172d (before
the change; written by `record()` below from that commit's files), and the outputs of
today must give the same.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from test_unchanged_outputs import RUNS, _output

FIGURES = Path(__file__).resolve().parent / "data" / "unchanged" / "figures.json"
JSON_RUNS = [(name, argv) for name, argv in RUNS if name.endswith(".json")]


def _exact(data: dict[str, Any], key: str) -> Any:
    """A line's figure as results wrote it before the JSON contract (issue 14): its exact
    value, which the contract writes as `<key>_exact` beside the rounded figure."""
    return data.get(f"{key}_exact", data[key])


def figures(text: str) -> list[dict[str, Any]]:
    """What must not move: per unit, everything but the trail and the item counts.

    The JSON contract (issue 14) renamed `exact_total` to `total_exact` and a section's
    `exact` to `score_exact`, and writes a line's points rounded with the exact value
    beside them: read in the keys of d6c172d, the figures must be those recorded then."""
    data = json.loads(text)
    units = data.get("units", [data])
    kept = ("unit", "total", "cut_by_cap", "rank", "assessed", "converted")
    return [
        {
            **{key: unit[key] for key in kept[:2]},
            "exact_total": unit.get("total_exact", unit.get("exact_total")),
            **{key: unit[key] for key in kept[2:]},
            "grade": unit["grade"],
            "flags": unit["flags"],
            "sections": [
                (s["id"], s["score"], s.get("score_exact", s.get("exact")))
                for s in unit["sections"]
            ],
            "points_moved": sorted(
                (line["rule"], _exact(line, "points"), _exact(line, "applied"))
                for line in unit["lines"]
                if _exact(line, "points") != "0" or _exact(line, "applied") != "0"
            ),
        }
        for unit in units
    ]


@pytest.mark.parametrize(("name", "argv"), JSON_RUNS, ids=[name for name, _ in JSON_RUNS])
def test_no_figure_moved(name: str, argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    recorded = json.loads(FIGURES.read_text(encoding="utf-8"))[name]
    assert json.loads(json.dumps(figures(_output(argv, monkeypatch)))) == recorded


def record(folder: Path) -> None:
    """Write figures.json from the recorded JSON outputs in `folder` (those of d6c172d)."""
    found = {name: figures((folder / name).read_text(encoding="utf-8")) for name, _ in JSON_RUNS}
    FIGURES.write_text(json.dumps(found, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    record(Path(sys.argv[1]))
