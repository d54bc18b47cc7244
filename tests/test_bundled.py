"""Bundled schemes: `assessment schemes` lists them, and a scheme can be named without a path.

What each scheme is (its id, title, period) is read here from the YAML files
themselves, not through the library.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from assessment.cli import main

ROOT = Path(__file__).resolve().parent.parent
SCHEMES = ROOT / "schemes"
EXAMPLES = ROOT / "examples"

PUBLISHED = sorted(p.stem for p in SCHEMES.glob("*.yaml"))
WORKED = sorted(p.stem for p in (SCHEMES / "examples").glob("*.yaml"))


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), stdout=out)
    return code, out.getvalue()


def _file(name: str) -> Path:
    return SCHEMES / f"{name}.yaml" if name in PUBLISHED else SCHEMES / "examples" / f"{name}.yaml"


def _inputs(name: str) -> list[str]:
    ledger = EXAMPLES / name
    return ["--roster", str(ledger / "roster.csv"), "--events", str(ledger / "events.jsonl")]


def test_the_json_list_holds_every_scheme_file_as_the_file_says_it() -> None:
    code, out = run("schemes", "--format", "json")
    assert code == 0
    listed = json.loads(out)
    assert listed["format_version"] == "1.0"
    shipped = json.loads((SCHEMES / "scheme-list.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(listed, shipped)
    assert [s["name"] for s in listed["schemes"]] == PUBLISHED + WORKED
    for entry in listed["schemes"]:
        written = yaml.safe_load(_file(entry["name"]).read_text(encoding="utf-8"))
        assert entry["id"] == written["id"]
        assert entry["title"] == written["title"]
        assert entry["period_start"] == str(written["period"]["start"])
        assert entry["period_end"] == str(written["period"]["end"])
        assert entry["example"] is (entry["name"] in WORKED)
        assert entry["ledger"] is (EXAMPLES / entry["name"] / "events.jsonl").is_file()


def test_the_listed_digest_is_the_one_the_scheme_s_results_carry() -> None:
    code, out = run("schemes", "--format", "json")
    assert code == 0
    digests = {s["name"]: s["scheme_digest"] for s in json.loads(out)["schemes"]}
    for name in ("2023", "city-2024"):
        code, results = run("score", str(_file(name)), *_inputs(name), "--format", "json")
        assert code == 0
        assert json.loads(results)["provenance"]["scheme_digest"] == digests[name]


def test_the_table_has_a_row_a_scheme_and_says_how_to_name_one() -> None:
    code, out = run("schemes")
    assert code == 0
    rows = out.splitlines()
    assert rows[0].split()[:5] == ["name", "kind", "version", "period", "ledger"]
    names = [row.split()[0] for row in rows[1 : 1 + len(PUBLISHED + WORKED)]]
    assert names == PUBLISHED + WORKED
    assert rows[1].split()[1:4] == ["scheme", "1.0", "2023-01-01..2023-12-31"]
    assert "assessment score NAME" in out and "assessment init DIR --from NAME" in out


@pytest.mark.parametrize("name", ["2023", "city-2024"])
def test_a_bundled_name_scores_as_its_file(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no file of that name here
    by_file = run("score", str(_file(name)), *_inputs(name), "--format", "json")
    assert run("score", name, *_inputs(name), "--format", "json") == by_file
    assert by_file[0] == 0
    assert run("validate", name)[0] == 0


def test_a_file_of_another_name_is_read_as_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ours").write_bytes((SCHEMES / "2023.yaml").read_bytes())
    code, out = run("validate", "ours")
    assert code == 0 and out.startswith("ok: ours valid")


def test_a_name_that_is_also_a_file_here_is_refused_with_what_to_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "2023").write_text("not a scheme", encoding="utf-8")
    assert run("score", "2023", *_inputs("2023"))[0] == 2
    err = capsys.readouterr().err
    assert "could be the file 2023 here or the bundled scheme" in err
    assert "write ./2023 for the file" in err
    # ./2023 is the file, which is no scheme
    assert run("validate", "./2023")[0] == 1


def test_a_folder_of_the_name_does_not_hide_the_bundled_scheme(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "2023").mkdir()
    assert run("validate", "2023")[0] == 0


def test_an_unknown_name_is_refused_with_the_bundled_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("score", "2032", *_inputs("2023"))[0] == 2
    err = capsys.readouterr().err
    assert "no such file, and no bundled scheme of that name" in err
    assert "did you mean '2023'?" in err
    assert all(name in err for name in PUBLISHED + WORKED)


def test_an_unknown_name_is_a_usage_problem_in_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("validate", "nosuch", "--errors", "json")[0] == 2
    document = json.loads(capsys.readouterr().err)
    (problem,) = document["problems"]
    assert problem["code"] == "usage.argument"
    assert "nosuch" in problem["message"]


def test_a_path_is_never_taken_for_a_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    # a missing file with a suffix or a folder is the file's problem, as before
    assert run("validate", "2023.yaml")[0] == 1
    assert "2023.yaml" in capsys.readouterr().err
    assert run("validate", "sub/2023")[0] == 1


@pytest.mark.parametrize("mine", ["2023.yaml", "2023.yml"])
def test_a_name_beside_the_user_s_own_scheme_file_is_refused(
    mine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A clerk's edited 2023.yaml must never be passed over for the bundled one unseen.
    monkeypatch.chdir(tmp_path)
    (tmp_path / mine).write_bytes((SCHEMES / "2023.yaml").read_bytes())
    assert run("score", "2023", *_inputs("2023"))[0] == 2
    err = capsys.readouterr().err
    assert f"could be the file {mine} here or the bundled scheme" in err
    assert f"write {mine} for the file" in err
    assert run("validate", mine)[0] == 0


def test_a_worked_example_named_so_is_scored_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("validate", "district-2024")[0] == 0
    note = "note: district-2024 is a worked example of the scheme format"
    assert note in capsys.readouterr().err
    # standard error is for problems only when they are asked for as JSON
    assert run("validate", "district-2024", "--errors", "json")[0] == 0
    assert capsys.readouterr().err == ""
    # a published scheme has no note
    assert run("validate", "2023")[0] == 0
    assert capsys.readouterr().err == ""


def test_every_bundled_name_is_one_scheme() -> None:
    names = PUBLISHED + WORKED
    assert len(set(names)) == len(names), "a worked example has a published scheme's name"
