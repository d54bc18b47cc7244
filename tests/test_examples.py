"""The bundled example and the README's snippet work as documented."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

import assessment

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples/2023"


def test_the_example_files_are_what_the_generator_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = importlib.util.spec_from_file_location("generate_example", EXAMPLE / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    module.main(tmp_path)
    for name in ("roster.csv", "events.jsonl"):
        assert (tmp_path / name).read_bytes() == (EXAMPLE / name).read_bytes(), name


def test_the_example_shows_what_its_docstring_promises() -> None:
    scheme = assessment.load_scheme(ROOT / "schemes/2023.yaml")
    roster = assessment.read_roster(EXAMPLE / "roster.csv", scheme)
    events = assessment.read_events(EXAMPLE / "events.jsonl", scheme, roster)
    text = (EXAMPLE / "events.jsonl").read_text(encoding="utf-8")
    lines = sum(1 for line in text.splitlines() if line.strip())
    assert len(events) < lines  # the re-delivered duplicates were dropped
    assert len(roster.units) == 36
    assert {e.type for e in events.events} == {
        "item_assigned",
        "item_extended",
        "item_closed",
        "item_assessed",
        "report_submitted",
        "inspection",
        "commendation",
    }
    report = assessment.score(scheme, roster, events)
    categories = {
        unit.id: {
            e.category for e in events.events if e.unit == unit.id and e.type == "item_assigned"
        }
        for unit in roster.units
    }
    assert len(categories["dept-audit"]) == 1
    assert len(categories["town-qingshi"]) == 6
    assert categories["dept-archives"] == set()
    assert report.unit("dept-archives").section("completion").score == 80
    assert any(
        line.rule == "reports_missed_three_times" for line in report.unit("sub-xiguan").lines
    )
    bonus = report.unit("town-longtan").section("bonus")
    assert bonus.score == 20
    assert any(line.limited_by == "section_cap" for line in report.unit("town-longtan").lines)


def test_the_readme_python_snippet_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (snippet,) = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    monkeypatch.chdir(ROOT)
    exec(compile(snippet, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert '"scheme_id": "district-2023"' in out


def test_the_api_guide_snippets_run(monkeypatch: pytest.MonkeyPatch) -> None:
    guide = (ROOT / "docs/api.md").read_text(encoding="utf-8")
    snippets = re.findall(r"```python\n(.*?)```", guide, flags=re.DOTALL)
    assert len(snippets) >= 2
    monkeypatch.chdir(ROOT)
    incremental: dict[str, object] = {}
    for snippet in snippets:
        names: dict[str, object] = {}
        exec(compile(snippet, "docs/api.md", "exec"), names)
        if "scorer.add(" in snippet:
            incremental = names
    names = incremental
    # The incremental snippet's last batch was taken and counted.
    assert names["added"] == 1
    assert names["report"] == names["scorer"].report()  # type: ignore[attr-defined]


def test_the_readme_commands_use_the_bundled_files() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```bash\n(.*?)\n```", readme, flags=re.DOTALL)
    assert commands[0].startswith("python3 -m pip install . && assessment score schemes/2023.yaml")
    assert commands[1] == "python3 -m pip install -e '.[test]' && python3 -m pytest"
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert "pip install --quiet -e '.[test]' && python -m pytest" in ci
    for path in re.findall(r"(?:schemes|examples)/[\w./-]+", commands[0]):
        assert (ROOT / path).exists(), path
