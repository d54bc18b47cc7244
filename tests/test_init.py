"""`assessment init DIR`: a starter folder that `assessment score` runs at once,
written whole or not at all, never over anything of the user's."""

from __future__ import annotations

import io
import shlex
from datetime import date
from pathlib import Path

import pytest
import yaml

from assessment._internal.app import starter
from assessment._internal.app.starterdoc import example_as_of
from assessment.cli import main
from assessment.errors import EventsError, Problem

ROOT = Path(__file__).resolve().parent.parent
FILES = {"scheme.yaml", "scheme.schema.json", "roster.csv", "events.jsonl", "README.md"}
INPUTS = ["--roster", "roster.csv", "--events", "events.jsonl"]


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), stdout=out)
    return code, out.getvalue()


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_init_writes_the_starter_and_it_scores_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = run("init", "demo")
    assert code == 0
    demo = tmp_path / "demo"
    assert {p.name for p in demo.iterdir()} == FILES
    assert (demo / "scheme.yaml").read_bytes() == (ROOT / "schemes/2023.yaml").read_bytes()
    shipped_schema = (ROOT / "schemes/scheme.schema.json").read_bytes()
    assert (demo / "scheme.schema.json").read_bytes() == shipped_schema
    for name in ("roster.csv", "events.jsonl"):
        assert (demo / name).read_bytes() == (ROOT / "examples/starter" / name).read_bytes()
    assert "next: cd demo && assessment score scheme.yaml" in out
    monkeypatch.chdir(demo)
    code, table = run("score", "scheme.yaml", *INPUTS)
    assert code == 0
    assert "青石镇人民政府  town-qingshi" in table and "87.11" in table
    # the bundled scheme by its name scores the same
    assert run("score", "2023", *INPUTS) == (0, table)


def test_every_command_the_starter_readme_shows_runs_in_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("init", "demo")[0] == 0
    readme = (tmp_path / "demo/README.md").read_text(encoding="utf-8")
    block = readme.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [shlex.split(line) for line in block.splitlines() if line.strip()]
    assert len(commands) == 5
    assert "--unit town-qingshi" in block  # the roster's first unit
    assert "--as-of 2023-06-30" in block  # the month before the period's middle ends
    assert "3 个单位" in readme and "58 个事件" in readme
    monkeypatch.chdir(tmp_path / "demo")
    for command in commands:
        assert command[0] == "assessment"
        assert run(*command[1:])[0] == 0, command
    assert (tmp_path / "demo/得分表.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_from_names_a_bundled_scheme_and_its_ledger(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("init", "city", "--from", "city-2024")[0] == 0
    written = (tmp_path / "city/scheme.yaml").read_bytes().split(b"\n", 1)
    source = (ROOT / "schemes/examples/city-2024.yaml").read_bytes().split(b"\n", 1)
    # its editor modeline points to the schema beside it; nothing else changes
    assert source[0] == b"# yaml-language-server: $schema=../scheme.schema.json"
    assert written[0] == b"# yaml-language-server: $schema=scheme.schema.json"
    assert written[1] == source[1]
    for name in ("roster.csv", "events.jsonl"):
        assert (tmp_path / "city" / name).read_bytes() == (
            ROOT / "examples/city-2024" / name
        ).read_bytes()
    monkeypatch.chdir(tmp_path / "city")
    by_name = run("score", "city-2024", *INPUTS, "--format", "json")
    assert run("score", "scheme.yaml", *INPUTS, "--format", "json") == by_name


def test_an_empty_folder_is_filled_and_keeps_being_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    before = tmp_path.stat().st_ino
    code, out = run("init", ".")
    assert code == 0
    assert {p.name for p in tmp_path.iterdir()} == FILES
    assert tmp_path.stat().st_ino == before
    assert "next: assessment score scheme.yaml" in out


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda d: (d / "demo").mkdir() or (d / "demo/notes.txt").write_text("mine"), "not empty"),
        (lambda d: (d / "demo").write_text("mine"), "is not a folder"),
        (lambda d: None, "does not exist: create it first"),
    ],
    ids=["not empty", "a file", "no parent"],
)
def test_init_refuses_and_changes_nothing(
    make: object,
    said: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    make(tmp_path)  # type: ignore[operator]
    target = "demo" if said != "does not exist: create it first" else "missing/demo"
    before = _tree(tmp_path)
    assert run("init", target)[0] == 2
    assert said in capsys.readouterr().err
    assert _tree(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({p.split("/")[0] for p in before})


def test_an_unknown_from_is_refused_with_the_names_that_have_a_ledger(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("init", "demo", "--from", "city-2042")[0] == 2
    err = capsys.readouterr().err
    assert "no bundled scheme of that name; did you mean 'city-2024'?" in err
    assert "2023, city-2024" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("existing", [False, True], ids=["new folder", "empty folder"])
def test_a_starter_that_fails_to_score_leaves_nothing(
    existing: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*_: object, **__: object) -> None:
        raise EventsError([Problem("events.jsonl", 1, 1, "id", "a refusal for the test")])

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(starter, "score_files", refused)
    if existing:
        (tmp_path / "demo").mkdir()
    assert run("init", "demo")[0] == 1
    assert [p.name for p in tmp_path.iterdir()] == (["demo"] if existing else [])
    if existing:
        assert list((tmp_path / "demo").iterdir()) == []


def test_the_readme_s_as_of_is_the_end_of_the_month_before_the_middle() -> None:
    # 2023: the middle is 07-02 → the end of June
    assert example_as_of(date(2023, 1, 1), date(2023, 12, 31)) == date(2023, 6, 30)
    # a quarter: the middle is 02-15 → the end of January
    assert example_as_of(date(2024, 1, 1), date(2024, 3, 31)) == date(2024, 1, 31)
    # one month: no month ends before the middle within it → the middle, 03-16
    assert example_as_of(date(2024, 3, 1), date(2024, 3, 31)) == date(2024, 3, 16)


def test_init_writes_the_scheme_the_starter_ledger_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    named = yaml.safe_load((ROOT / "examples/starter/starter.yaml").read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)
    code, out = run("init", "demo")
    assert code == 0 and f"(scheme {named['scheme']}," in out
    published = (ROOT / "schemes" / f"{named['scheme']}.yaml").read_bytes()
    assert (tmp_path / "demo/scheme.yaml").read_bytes() == published


def test_a_parent_that_is_a_file_is_named_as_the_user_wrote_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes").write_text("mine", encoding="utf-8")
    assert run("init", "notes/demo")[0] == 2
    assert "error: 'notes' is not a folder" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["notes"]


def test_the_next_command_quotes_a_folder_with_a_space(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = run("init", "my office")
    assert code == 0
    assert "next: cd 'my office' && assessment score scheme.yaml" in out


def test_a_worked_example_s_readme_says_it_is_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("init", "example", "--from", "district-2024")[0] == 0
    assert run("init", "published", "--from", "2023")[0] == 0
    note = "此方案是方案格式的示例"
    assert note in (tmp_path / "example/README.md").read_text(encoding="utf-8")
    assert note not in (tmp_path / "published/README.md").read_text(encoding="utf-8")


def test_a_folder_the_system_refuses_to_create_is_named_and_nothing_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refused(self: Path, *_: object, **__: object) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(Path, "mkdir", refused)
    assert run("init", "demo")[0] == 1
    monkeypatch.undo()
    assert "cannot write 'demo': Permission denied" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
