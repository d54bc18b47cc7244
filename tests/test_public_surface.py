"""The public surface: one table of names, each shown under its public module, pickled as
it is found there, and an error tree that holds what public functions raise."""

from __future__ import annotations

import ast
import importlib
import inspect
import pickle
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import assessment

ROOT = Path(__file__).resolve().parent.parent
INIT = ROOT / "assessment" / "__init__.py"


def test_all_and_dir_are_the_table_of_public_names() -> None:
    table = assessment._HOMES
    assert assessment.__all__ == ["__version__", *table]
    assert dir(assessment) == sorted(assessment.__all__)
    for name, home in table.items():
        assert getattr(assessment, name) is getattr(importlib.import_module(home), name), name


def test_the_names_type_checkers_see_are_the_table() -> None:
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    guarded = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    )
    seen = {}
    for node in guarded.body:
        assert isinstance(node, ast.ImportFrom) and node.module is not None
        for alias in node.names:
            assert alias.asname == alias.name, f"{alias.name}: import it as itself to export it"
            seen[alias.name] = node.module
    assert seen == assessment._HOMES


def _names() -> list[str]:
    return list(assessment._HOMES)


@pytest.mark.parametrize("name", _names())
def test_a_name_shows_its_public_module(name: str) -> None:
    value = getattr(assessment, name)
    if not inspect.isclass(value) and not inspect.isfunction(value):
        return  # a type alias (Event) has no module of its own to show
    home = assessment._HOMES[name]
    public = "assessment" if home.startswith("assessment._") else home
    assert value.__module__ == public
    if isinstance(value, type):
        assert repr(value) == f"<class '{public}.{name}'>"


def _fresh(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return done.stdout.strip()


def test_the_public_module_shows_however_a_name_was_imported() -> None:
    # Straight from its private home, with the top package's table never asked.
    code = (
        "from assessment._internal.score.scorer import Scorer, read_events\n"
        "from assessment._internal.ledger.eventlog import EventLog\n"
        "print(Scorer.__module__, read_events.__module__, repr(EventLog))"
    )
    assert _fresh(code) == "assessment assessment <class 'assessment.EventLog'>"


def _example() -> tuple[assessment.Report, assessment.EventLog]:
    scheme = assessment.load_scheme(ROOT / "schemes/2023.yaml")
    roster = assessment.read_roster(ROOT / "examples/2023/roster.csv", scheme)
    events = assessment.read_events(ROOT / "examples/2023/events.jsonl", scheme, roster)
    return assessment.score(scheme, roster, events), events


def test_reports_event_logs_and_public_names_pickle(tmp_path: Path) -> None:
    report, events = _example()
    assert pickle.loads(pickle.dumps(report)) == report
    assert pickle.loads(pickle.dumps(events)) == events
    for name in _names():
        value = getattr(assessment, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert pickle.loads(pickle.dumps(value)) is value, name
    # as a worker process unpickles them: nothing of assessment imported before
    saved = tmp_path / "saved.pickle"
    saved.write_bytes(pickle.dumps((report, events, assessment.Scorer)))
    code = (
        "import pickle, sys\n"
        f"report, events, scorer = pickle.loads(open({str(saved)!r}, 'rb').read())\n"
        "print(type(report).__name__, len(events) > 0, scorer.__name__)"
    )
    assert _fresh(code) == "Report True Scorer"


def test_the_error_tree_in_errors_py_names_every_error() -> None:
    from assessment import errors  # noqa: PLC0415 (the module itself, for its docstring)

    assert errors.__doc__ is not None
    drawn = {
        line.split("── ")[1].split()[0] for line in errors.__doc__.splitlines() if "── " in line
    }
    kinds = {name for name in errors.__all__ if isinstance(getattr(errors, name), type)}
    assert drawn == {name for name in kinds if issubclass(getattr(errors, name), Exception)} - {
        "AssessmentError"
    }
    assert issubclass(errors.UnknownIdError, errors.AssessmentError)
    assert issubclass(errors.UnknownIdError, KeyError)
    assert issubclass(errors.ArgumentError, errors.AssessmentError)
    assert issubclass(errors.ArgumentError, ValueError)


def test_an_unknown_unit_or_section_raises_the_hierarchy_s_lookup_error() -> None:
    report, _ = _example()
    with pytest.raises(assessment.UnknownIdError) as caught:
        report.unit("town-nowhere")
    assert isinstance(caught.value, KeyError) and caught.value.args == ("town-nowhere",)
    with pytest.raises(assessment.UnknownIdError):
        report.units[0].section("no-such-section")


def test_the_scorer_raises_the_hierarchy_s_types_for_a_bad_argument() -> None:
    scheme = assessment.load_scheme(ROOT / "schemes/2023.yaml")
    roster = assessment.read_roster(ROOT / "examples/2023/roster.csv", scheme)
    scorer = assessment.Scorer(scheme, roster)
    with pytest.raises(assessment.UnknownIdError) as unknown:
        scorer.unit_result("town-nowhere")
    assert unknown.value.args == ("town-nowhere",)
    with pytest.raises(assessment.ArgumentError, match="outside the days"):
        scorer.report(as_of=date(2022, 6, 30))
    with pytest.raises(assessment.ArgumentError, match="whole number of processes"):
        scorer.report(jobs=0)
    with pytest.raises(assessment.ArgumentError, match="at least one event stream"):
        assessment.read_events([], scheme, roster)
