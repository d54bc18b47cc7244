"""Every problem carries a stable code from one registry, which docs/problems.md lists, and
every code of the registry is given by some input.

The codes each input of the invalid corpus is refused with are recorded in
`tests/data/invalid/codes.yaml`, beside the words its `.expected` holds; the
codes no corpus input gives are made here, one input each.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from builders import ROOT

import assessment
from assessment._internal.app import migrate
from assessment._internal.load.roster import MAX_ROSTER_BYTES, read_roster
from assessment._internal.load.scheme import load_scheme
from assessment._internal.score.scorer import read_events
from assessment._internal.text import lines as limits
from assessment._internal.text.codes import CODES, DEFAULT_CODE, field_code, hint_of
from assessment._internal.text.problemdoc import problems_document
from assessment.cli import main
from assessment.errors import InputError, Problem, SchemeError

INVALID = ROOT / "tests/data/invalid"
RECORDED: dict[str, list[str]] = yaml.safe_load(
    (INVALID / "codes.yaml").read_text(encoding="utf-8")
)
SCHEME_2023 = "schemes/2023.yaml"
ROSTER = "tests/data/roster.csv"
DECLARED = "tests/data/invalid/declared-events"


def _codes(read: Callable[[], object]) -> list[str]:
    with pytest.raises(InputError) as caught:
        read()
    return [problem.code for problem in caught.value.problems]


def _reader(name: str) -> Callable[[], object]:
    """How the corpus input `name` (folder/file under tests/data/invalid) is read."""
    folder, _, _ = name.partition("/")
    path = f"tests/data/invalid/{name}"
    if folder == "schemes":
        return lambda: load_scheme(path)
    if folder == "rosters":
        return lambda: read_roster(path, load_scheme(SCHEME_2023))
    scheme_file, roster_file = (
        (SCHEME_2023, ROSTER)
        if folder == "events"
        else (f"{DECLARED}/scheme.yaml", f"{DECLARED}/roster.csv")
    )
    scheme = load_scheme(scheme_file)
    return lambda: read_events(path, scheme, read_roster(roster_file, scheme))


def _corpus() -> list[str]:
    names = [f"schemes/{p.name}" for p in (INVALID / "schemes").glob("*.yaml")]
    for folder in ("events", "rosters", "declared-events"):
        names += [
            f"{folder}/{p.name}"
            for p in (INVALID / folder).iterdir()
            if p.suffix in (".jsonl", ".csv", ".yaml")
            and p.name != "scheme.yaml"
            and not (folder == "declared-events" and p.name == "roster.csv")
        ]
    return sorted(names)


def test_every_corpus_input_has_its_codes_recorded_and_no_more() -> None:
    assert sorted(RECORDED) == _corpus()


@pytest.mark.parametrize("name", sorted(RECORDED))
@pytest.mark.usefixtures("at_root")
def test_a_corpus_input_is_refused_with_its_recorded_codes(name: str) -> None:
    expected = (INVALID / name).with_suffix(".expected").read_text(encoding="utf-8")
    assert len(RECORDED[name]) == len(expected.splitlines())  # one code a problem
    assert _codes(_reader(name)) == RECORDED[name]


# ------------------------------------------------------------ the registry and its page


def _documented() -> dict[str, tuple[str, str]]:
    text = (ROOT / "docs/problems.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z_.]+)` \| (.+?) \| (.+?) \|$", text, re.MULTILINE)
    return {code: (meaning, hint) for code, meaning, hint in rows}


def test_docs_problems_lists_every_code_of_the_registry_with_its_meaning_and_hint() -> None:
    documented = _documented()
    assert list(documented) == list(CODES)
    assert documented == {code: (c.meaning, c.hint) for code, c in CODES.items()}


def test_codes_are_dotted_and_each_says_what_to_do() -> None:
    for code, known in CODES.items():
        assert re.fullmatch(r"[a-z]+\.[a-z_]+", code), code
        assert known.meaning and known.hint, code
        assert "|" not in known.meaning + known.hint, code  # a table cell of problems.md


_SUFFIXES = (".csv", ".yaml", ".yml", ".jsonl", ".json")


def _codes_in_the_package() -> set[str]:
    """Every code the package names where it makes a problem (`code="x.y"`, or a constant)."""
    found: set[str] = set()
    for path in (ROOT / "assessment").rglob("*.py"):
        if path.name == "codes.py":
            continue
        text = path.read_text(encoding="utf-8")
        found.update(re.findall(r"""code=["']([a-z_.]+)["']""", text))
        found.update(re.findall(r"""^_[A-Z_]+ = ["']([a-z]+\.[a-z_]+)["']$""", text, re.M))
        positional = r"""["']((?:scheme|events|roster|yaml|file|text)\.[a-z_]+)["']"""
        found.update(c for c in re.findall(positional, text) if not c.endswith(_SUFFIXES))
    return found


def test_every_code_the_package_gives_is_in_the_registry() -> None:
    named = _codes_in_the_package()
    assert len(named) > 20
    assert named - set(CODES) == set()


def test_every_problem_the_package_makes_is_given_a_code() -> None:
    """A `Problem(` call without `code=` would give callers the catch-all code."""
    for path in (ROOT / "assessment").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"\bProblem\(", text):
            call = text[match.start() : text.find("\n\n", match.start())]
            depth, end = 0, 0
            for end, char in enumerate(call):
                depth += {"(": 1, ")": -1}.get(char, 0)
                if depth == 0 and end > len("Problem"):
                    break
            assert "code=" in call[: end + 1], f"{path.name}: {call[: end + 1]}"


def test_the_pydantic_error_types_map_to_the_four_field_codes() -> None:
    # Worked by hand from pydantic's documented error types.
    assert field_code("scheme", "missing") == "scheme.missing"
    assert field_code("events", "extra_forbidden") == "events.unknown_key"
    assert field_code("roster", "string_type") == "roster.wrong_type"
    assert field_code("scheme", "decimal_parsing") == "scheme.wrong_type"
    assert field_code("events", "int_from_float") == "events.wrong_type"
    assert field_code("scheme", "greater_than") == "scheme.invalid_value"
    assert field_code("scheme", "union_tag_not_found") == "scheme.missing"


# ------------------------------------------------------------ the codes no corpus input gives


def _made_here(tmp_path: Path) -> dict[str, list[str]]:
    """The codes of inputs made here, each for a code the corpus does not give."""
    scheme = load_scheme(SCHEME_2023)
    roster = read_roster(ROSTER, scheme)
    made: dict[str, list[str]] = {}
    missing = tmp_path / "no-such-file.jsonl"
    made["unreadable"] = _codes(lambda: read_events(missing, scheme, roster))
    big = tmp_path / "big.csv"
    big.write_bytes(b"id,name,kind\n" + b"#" * MAX_ROSTER_BYTES)
    made["too large"] = _codes(lambda: read_roster(big, scheme))
    made["unknown format"] = _codes(lambda: read_roster(tmp_path / "roster.txt", scheme))
    device = tmp_path / "null.jsonl"
    device.symlink_to("/dev/null")
    made["device"] = _codes(lambda: read_events(device, scheme, roster))
    long_line = tmp_path / "long.jsonl"
    long_line.write_bytes(b'{"id": "' + b"x" * limits.MAX_LINE_BYTES + b'"}\n')
    made["line too long"] = _codes(lambda: read_events(long_line, scheme, roster))
    unit = tmp_path / "roster.yaml"
    unit.write_text("- {id: town-a, name: A, kind: town, rank: 1}\n", encoding="utf-8")
    made["unknown roster key"] = _codes(lambda: read_roster(unit, scheme))
    made["outside the band"] = _codes(lambda: _band(tmp_path))
    made["by hand"] = [Problem("x", 0, 0, "", "made by a caller").code]
    return made


def _band(tmp_path: Path) -> object:
    example = ROOT / "examples/counting-scope"
    scheme = assessment.load_scheme(ROOT / "schemes/examples/counting-scope.yaml")
    events = tmp_path / "band.jsonl"
    line = '{"id": "X1", "type": "leader_praise", "date": "2024-06-02", "unit": "town-b", '
    events.write_bytes((example / "events.jsonl").read_bytes() + (line + '"value": 7}\n').encode())
    return assessment.read_events(
        events, scheme, assessment.read_roster(example / "roster.csv", scheme)
    )


def test_the_inputs_made_here_give_the_codes_no_corpus_input_gives(tmp_path: Path) -> None:
    assert _made_here(tmp_path) == {
        "unreadable": ["file.unreadable"],
        "too large": ["file.too_large"],
        "unknown format": ["file.unknown_format"],
        "device": ["file.device"],
        "line too long": ["text.line_too_long"],
        "unknown roster key": ["roster.unknown_key"],
        "outside the band": ["events.band"],
        "by hand": [DEFAULT_CODE],
    }


def _stderr_document(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    main([*argv, "--errors", "json"], stdout=io.StringIO())
    document = json.loads(capsys.readouterr().err)
    assert isinstance(document, dict)
    return document


def _usage_code(capsys: pytest.CaptureFixture[str]) -> str:
    document = _stderr_document(["score", SCHEME_2023, "--events", "x.jsonl"], capsys)
    (problem,) = document["problems"]
    return str(problem["code"])


def _migration_bug_code(monkeypatch: pytest.MonkeyPatch) -> str:
    """A migration whose result means another scheme (a bug) is refused with its own code."""
    real = assessment.parse_scheme
    calls: list[str] = []

    def parse(text: str | bytes, file: str = "<scheme>") -> assessment.Scheme:
        calls.append(file)
        scheme = real(text, file)
        return scheme.model_copy(update={"title": "changed"}) if len(calls) > 1 else scheme

    monkeypatch.setattr("assessment._internal.app.migrate.parse_scheme", parse)
    path = ROOT / "tests/data/format1/2023.yaml"
    with pytest.raises(SchemeError) as caught:
        migrate.migrated(path.read_bytes(), "2023.yaml")
    (problem,) = caught.value.problems
    return problem.code


def _unwritable_code() -> str:
    """Standard output on a full disk: the results cannot be written."""
    with open("/dev/full", "w", encoding="utf-8") as full:  # noqa: PTH123
        done = subprocess.run(
            [sys.executable, "-m", "assessment", "schema", "--errors", "json"],
            stdout=full,
            capture_output=False,
            stderr=subprocess.PIPE,
            check=False,
        )
    assert done.returncode == 1
    (problem,) = json.loads(done.stderr)["problems"]
    assert problem["message"] == "cannot write standard output: No space left on device"
    return str(problem["code"])


def test_every_code_of_the_registry_is_given_by_some_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    given = {code for codes in RECORDED.values() for code in codes}
    given |= {code for codes in _made_here(tmp_path).values() for code in codes}
    given |= {_usage_code(capsys), _migration_bug_code(monkeypatch), _unwritable_code()}
    # `request.` codes are given by requests to the service: tests/test_service.py checks them
    assert {code for code in CODES if not code.startswith("request.")} - given == set()


def test_the_problems_document_gives_each_problem_its_code_and_hint() -> None:
    with pytest.raises(InputError) as caught:
        assessment.parse_scheme("title: [", "s.yaml")
    document = problems_document(caught.value)
    (entry,) = document.problems
    assert (entry.code, entry.file, entry.line) == ("yaml.syntax", "s.yaml", 1)
    assert entry.hint == CODES["yaml.syntax"].hint == hint_of("yaml.syntax")
    own = Problem("f", 1, 0, "", "m", code="file.empty", hint="look in the other folder")
    (mine,) = problems_document(InputError([own])).problems
    assert (mine.code, mine.hint) == ("file.empty", "look in the other folder")


# ------------------------------------------------------------ --errors json on the command line


def _command(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "assessment", *args],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("args", "exit_code", "error", "code", "field"),
    [
        (["score", SCHEME_2023, "--events", "x.jsonl"], 2, "usage", "usage.argument", ""),
        (
            ["score", SCHEME_2023, "--roster", ROSTER, "--events", "e.jsonl", "--jobs", "0"],
            2,
            "usage",
            "usage.argument",
            "--jobs",
        ),
        (["frobnicate"], 2, "usage", "usage.argument", "COMMAND"),
        (
            ["score", SCHEME_2023, "--roster", "-", "--events", "-"],
            2,
            "usage",
            "usage.argument",
            "--roster",
        ),
        (
            ["validate", "tests/data/invalid/schemes/unknown_key.yaml"],
            1,
            "scheme",
            "scheme.unknown_key",
            "sections[0].rules[0].pionts",
        ),
    ],
)
def test_errors_json_writes_one_document_on_standard_error_and_nothing_else(
    args: list[str], exit_code: int, error: str, code: str, field: str
) -> None:
    done = _command(*args, "--errors", "json")
    assert (done.returncode, done.stdout) == (exit_code, b"")
    document = json.loads(done.stderr)  # the whole of standard error: one document
    assert (document["format_version"], document["error"], document["more"]) == ("1.0", error, 0)
    (problem,) = document["problems"]
    assert (problem["code"], problem["field"]) == (code, field)
    assert problem["hint"] == CODES[code].hint
    words = _command(*args)  # without it: the words, as ever, and the same exit code
    assert words.returncode == exit_code
    assert problem["message"] in words.stderr.decode()
