"""Setup shared by test modules: scheme text headers, and the problems a refused input gives."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st

import assessment
from assessment.errors import InputError
from assessment.testing import event_streams, rosters, schemes

ROOT = Path(__file__).resolve().parent.parent

# Each unit kind a test scheme may declare, with its name and the group of that kind alone.
KINDS = {"town": ("镇", "towns"), "department": ("部门", "departments")}


def scheme_head(scheme_id: str, title: str, base: int, kinds: tuple[str, ...] = ("town",)) -> str:
    """A scheme's YAML up to its groups: a 2024 period, the given base, one group per kind."""
    unit_kinds = ", ".join(f"{{id: {kind}, name: {KINDS[kind][0]}}}" for kind in kinds)
    groups = ", ".join(
        f"{{id: {KINDS[kind][1]}, name: {KINDS[kind][0]}, kinds: [{kind}]}}" for kind in kinds
    )
    return f"""
format: 1
id: {scheme_id}
title: {title}
version: "1"
source: {{document: 测试}}
period: {{start: 2024-01-01, end: 2024-12-31}}
base: {base}
unit_kinds: [{unit_kinds}]
groups: [{groups}]
"""


def tasks_work(category_points: int, section_points: int, name: str = "完成任务") -> str:
    """A `tasks` category, then the first section, `work`, with one completion rule on it."""
    return f"""\
categories:
  - {{id: tasks, name: 任务, clause: 一, points: {category_points}, method: proportional}}
sections:
  - id: work
    name: {name}
    clause: 一
    points: {section_points}
    rules:
      - {{id: completion, kind: completion, name: 完成, clause: 一, text: 完成, categories: [tasks]}}
"""


def per_completed_rule(clause: str) -> str:
    """The rule "one point per item complete", as an entry of a section's `rules` list."""
    return f"""\
      - id: per_completed
        kind: per_item
        name: 每完成一项加1分
        clause: {clause}
        text: 每完成一项督查事项加1分
        status: complete
        points: 1
"""


def refusal(error: type[InputError], read: Callable[[str], object], path: Path) -> list[str]:
    """The problems, as printed, when `read` refuses `path` named from the repository root."""
    with pytest.raises(error) as caught:
        read(path.relative_to(ROOT).as_posix())
    return [str(p) for p in caught.value.problems]


def score_example(scheme: Path, example: Path) -> assessment.Report:
    """Score an example folder's roster.csv and events.jsonl on its scheme file."""
    loaded = assessment.load_scheme(scheme)
    roster = assessment.read_roster(example / "roster.csv", loaded)
    return assessment.score(
        loaded, roster, assessment.read_events(example / "events.jsonl", loaded, roster)
    )


def random_cases(
    max_units: int = 3,
) -> st.SearchStrategy[tuple[assessment.Scheme, assessment.Roster, list[dict[str, Any]]]]:
    """A random scheme, a roster for it and a valid event stream, from `assessment.testing`."""
    return schemes().flatmap(
        lambda scheme: rosters(scheme, max_units=max_units).flatmap(
            lambda roster: event_streams(scheme, roster).map(
                lambda records: (scheme, roster, records)
            )
        )
    )
