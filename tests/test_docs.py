"""Every shell and Python block in README.md and docs/*.md runs as shown.

The harness finds each fenced block whose language is bash, sh, shell, console or
python and executes it; blocks in any other language (yaml, json, csv, text, java,
csharp, unlabelled) are left alone because of their language, and only for that.

- Each block runs in its own temporary copy of the repository's data (`schemes/`,
  `examples/`, `tests/data/`, `docs/`), which is its working directory, so a
  command that writes a file never touches the checkout. The `assessment` and
  `python3` it calls are those of the environment running the tests.
- bash, sh, shell: the block is one script, run with `bash -e -o pipefail`; it
  must exit 0.
- console: each `$ ` line is a command; the lines after it, up to the next `$ `,
  are its expected output (standard output and error together, as a terminal
  shows them), compared exactly after trailing spaces and trailing blank lines
  are stripped. A line that is only `...` stands for any lines (none or more),
  as in doctest: for output that is not the program's to choose, such as the
  ledger a Hypothesis search happens to find. The exit status is not compared,
  since a transcript does not show it; a failing command prints its problems,
  which would not match.
- python: the block runs in a fresh interpreter (a subprocess), so it sees nothing
  of the tests' state; it must exit 0.
- Installing packages is slow and needs the network, and the test environment
  has the packages already. So a line `python3 -m pip install ARGS && REST` runs
  only REST (a bare `python3 -m pip install ARGS` runs nothing), after checking
  that ARGS could be installed: the project only from the checkout (`.`, with
  extras that pyproject.toml declares; no package index has it), and any other
  package already present in this environment.
- An HTML comment on the line just before a block's fence changes what is done
  with it:
    `<!-- docs-test: skip (why) -->`: not run; the reason is required.
    `<!-- docs-test: pytest NAME.py -->`: saved as NAME.py in the working directory
    and run with `python3 -m pytest NAME.py`, which must pass.
"""

from __future__ import annotations

import difflib
import importlib.metadata
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, cast

import pytest
import yaml
from pydantic import TypeAdapter, ValidationError

from assessment import parse_scheme
from assessment._internal.text.yamlsource import load_yaml
from assessment.cli import main
from assessment.scheme import Rule, Scheme, Section

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
DATA = ["schemes", "examples", "tests/data", "docs"]
RUN = frozenset({"bash", "sh", "shell", "console", "python"})

_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>```+)\s*(?P<lang>[\w+-]*)\s*$")
_MARK = re.compile(r"<!--\s*docs-test:(?P<body>.*?)-->")
_SKIP = re.compile(r"^skip \((?P<reason>.*\S.*)\)$")
_PYTEST = re.compile(r"^pytest (?P<name>test_\w+\.py)$")
_PIP = re.compile(r"^python3? -m pip install (?P<args>[^&]+?)(?: && (?P<rest>.+))?$")


@dataclass(frozen=True)
class Block:
    """A fenced block of a document, and the docs-test mark just before its fence."""

    file: str
    line: int
    lang: str
    text: str
    mark: str | None

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def parse_blocks(markdown: str, file: str) -> tuple[list[Block], list[str]]:
    """The fenced blocks of a document, and every misplaced or malformed mark in it."""
    lines = markdown.splitlines()
    blocks: list[Block] = []
    problems: list[str] = []
    used_marks: set[int] = set()
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if opening is None:
            i += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        end = i + 1
        while end < len(lines) and lines[end].strip() != fence:
            end += 1
        if end == len(lines):
            problems.append(f"{file}:{i + 1}: a fence that is never closed")
            break
        body = [line.removeprefix(indent) for line in lines[i + 1 : end]]
        mark = None
        if i > 0 and (found := _MARK.search(lines[i - 1])) is not None:
            mark = found["body"].strip()
            used_marks.add(i - 1)
            if opening["lang"] not in RUN:
                problems.append(
                    f"{file}:{i}: a docs-test mark on a {opening['lang'] or 'unlabelled'} "
                    "block, which is not run anyway: remove the mark"
                )
            elif _SKIP.match(mark) is None and _PYTEST.match(mark) is None:
                problems.append(
                    f"{file}:{i}: docs-test mark '{mark}': write 'skip (the reason)' "
                    "or 'pytest test_NAME.py'"
                )
        blocks.append(Block(file, i + 1, opening["lang"], "\n".join(body) + "\n", mark))
        i = end + 1
    for number, line in enumerate(lines):
        if "docs-test" in line and number not in used_marks:
            problems.append(
                f"{file}:{number + 1}: a docs-test mark must be on the line just before a fence"
            )
    return blocks, problems


def _collect() -> tuple[list[Block], list[str]]:
    blocks: list[Block] = []
    problems: list[str] = []
    for path in DOCUMENTS:
        found, wrong = parse_blocks(path.read_text(encoding="utf-8"), path.relative_to(ROOT).name)
        if path.parent.name == "docs":
            found = [Block(f"docs/{b.file}", b.line, b.lang, b.text, b.mark) for b in found]
            wrong = [f"docs/{w}" for w in wrong]
        blocks += found
        problems += wrong
    return blocks, problems


BLOCKS, MARK_PROBLEMS = _collect()
RUNNABLE = [b for b in BLOCKS if b.lang in RUN]


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    # the environment's own `assessment` and `python3` come first on PATH
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PYTHONUTF8"] = "1"
    env.pop("PYTHONPATH", None)
    return env


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=cwd,
        env=_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        check=False,
    )


def _extras() -> set[str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return set(pyproject["project"]["optional-dependencies"])


def pip_problems(args: str) -> list[str]:
    """Why `pip install ARGS` would not give what the tests' environment already has."""
    problems = []
    words = shlex.split(args)
    for word in words:
        if word.startswith("-"):
            continue
        spec = re.fullmatch(r"(?P<path>\.)(?:\[(?P<extras>[\w,-]+)\])?", word)
        if spec is not None:
            unknown = set((spec["extras"] or "").split(",")) - {""} - _extras()
            if unknown:
                problems.append(f"{word}: pyproject.toml declares no extra {sorted(unknown)}")
            continue
        name = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", word)
        if name is None:
            problems.append(f"{word}: not a path or a package name")
        elif name[0].lower() == "assessment":
            problems.append(
                f"{word}: no package index has this project: install it from the checkout "
                "('.[testing]') or from a wheel built from it"
            )
        else:
            try:
                importlib.metadata.distribution(name[0])
            except importlib.metadata.PackageNotFoundError:
                problems.append(f"{word}: not installed in the test environment")
    return problems


def shell_script(text: str) -> str:
    """The block as it runs here: pip installs checked and left out (see the docstring)."""
    out = []
    for line in text.splitlines():
        pip = _PIP.match(line.strip())
        if pip is None:
            out.append(line)
            continue
        problems = pip_problems(pip["args"])
        assert not problems, f"{line}:\n" + "\n".join(problems)
        out.append(pip["rest"] or ":")
    return "\n".join(out) + "\n"


def transcript(text: str) -> Iterator[tuple[str, list[str]]]:
    """The commands of a console block, each with the output it is shown to print."""
    command: str | None = None
    expected: list[str] = []
    for line in text.splitlines():
        if line.startswith("$ "):
            if command is not None:
                yield command, expected
            command, expected = line[2:], []
        elif command is None:
            raise AssertionError(f"console output before any '$ ' command: {line!r}")
        else:
            expected.append(line)
    if command is not None:
        yield command, expected


def _normal(lines: list[str]) -> list[str]:
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _agrees(want: list[str], got: list[str]) -> bool:
    """Whether `got` is `want` with each `...` line standing for any run of lines."""
    parts: list[list[str]] = [[]]
    for line in want:
        if line.strip() == "...":
            parts.append([])
        else:
            parts[-1].append(line)
    if len(parts) == 1:
        return want == got
    first, *middle, last = parts
    start, end = len(first), len(got) - len(last)
    if end < start or got[:start] != first or got[end:] != last:
        return False
    for part in middle:  # each in order; the leftmost place leaves the most room
        found = next(
            (i for i in range(start, end - len(part) + 1) if got[i : i + len(part)] == part),
            None,
        )
        if found is None:
            return False
        start = found + len(part)
    return True


def output_difference(expected: list[str], actual: str) -> str | None:
    """A diff of shown against actual output, or None when they agree."""
    want, got = _normal(expected), _normal(actual.splitlines())
    if _agrees(want, got):
        return None
    return "\n".join(difflib.unified_diff(want, got, "shown", "printed", lineterm=""))


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    for part in DATA:
        shutil.copytree(ROOT / part, tmp_path / part)
    return tmp_path


def _check_console(block: Block, cwd: Path) -> None:
    commands = list(transcript(block.text))
    assert commands, f"{block.where}: a console block with no '$ ' command"
    for command, expected in commands:
        done = _run(["bash", "-o", "pipefail", "-c", shell_script(command)], cwd)
        difference = output_difference(expected, done.stdout)
        assert difference is None, f"{block.where}: $ {command}\n{difference}"


@pytest.mark.parametrize("block", RUNNABLE, ids=lambda b: f"{b.where}-{b.lang}")
def test_the_block_runs_as_shown(block: Block, workdir: Path) -> None:
    if block.mark is not None and (skip := _SKIP.match(block.mark)) is not None:
        pytest.skip(f"{block.where}: {skip['reason']}")
    if block.mark is not None and (saved := _PYTEST.match(block.mark)) is not None:
        (workdir / saved["name"]).write_text(block.text, encoding="utf-8")
        done = _run([sys.executable, "-m", "pytest", "-q", saved["name"]], workdir)
        assert done.returncode == 0, f"{block.where}: pytest {saved['name']}\n{done.stdout}"
    elif block.lang == "console":
        _check_console(block, workdir)
    elif block.lang == "python":
        script = workdir / "docs_block.py"
        script.write_text(block.text, encoding="utf-8")
        done = _run([sys.executable, str(script)], workdir)
        assert done.returncode == 0, f"{block.where}: exit {done.returncode}\n{done.stdout}"
    else:
        done = _run(["bash", "-e", "-o", "pipefail", "-c", shell_script(block.text)], workdir)
        assert done.returncode == 0, f"{block.where}: exit {done.returncode}\n{done.stdout}"


def test_every_mark_is_well_placed_and_gives_its_reason() -> None:
    assert not MARK_PROBLEMS, "\n".join(MARK_PROBLEMS)


def test_the_harness_finds_the_blocks_it_must_run() -> None:
    # If the parser found nothing, every block test would vanish and pass unseen.
    found = {(b.file, b.lang) for b in RUNNABLE}
    assert ("README.md", "bash") in found
    assert ("README.md", "python") in found
    assert ("docs/cli.md", "console") in found
    assert ("docs/testing.md", "python") in found
    assert len(RUNNABLE) >= 10


def test_the_parser_reads_languages_indented_fences_and_marks() -> None:
    markdown = (
        "text\n"
        "```bash\necho one\n```\n"
        "- item\n\n"
        "  ```console\n  $ echo two\n  two\n  ```\n"
        "<!-- docs-test: skip (needs a printer) -->\n"
        "```python\nprint(3)\n```\n"
        "```java\nclass A {}\n```\n"
    )
    blocks, problems = parse_blocks(markdown, "x.md")
    assert problems == []
    assert [(b.line, b.lang, b.text, b.mark) for b in blocks] == [
        (2, "bash", "echo one\n", None),
        (7, "console", "$ echo two\ntwo\n", None),
        (12, "python", "print(3)\n", "skip (needs a printer)"),
        (15, "java", "class A {}\n", None),
    ]


def test_marks_without_a_reason_or_away_from_a_fence_are_refused() -> None:
    markdown = (
        "<!-- docs-test: skip -->\n```bash\ntrue\n```\n"
        "<!-- docs-test: skip () -->\n```bash\ntrue\n```\n"
        "<!-- docs-test: skip (not run anyway) -->\n```yaml\na: 1\n```\n"
        "<!-- docs-test: skip (a blank line follows) -->\n\n```bash\ntrue\n```\n"
    )
    _, problems = parse_blocks(markdown, "x.md")
    assert problems == [
        "x.md:1: docs-test mark 'skip': write 'skip (the reason)' or 'pytest test_NAME.py'",
        "x.md:5: docs-test mark 'skip ()': write 'skip (the reason)' or 'pytest test_NAME.py'",
        "x.md:9: a docs-test mark on a yaml block, which is not run anyway: remove the mark",
        "x.md:13: a docs-test mark must be on the line just before a fence",
    ]


def test_console_output_is_compared_line_by_line() -> None:
    commands = list(transcript("$ echo a\na  \n\n$ true\n"))
    assert commands == [("echo a", ["a  ", ""]), ("true", [])]
    assert output_difference(["a  ", ""], "a\n") is None
    assert output_difference([], "") is None
    difference = output_difference(["ok: 9 rules"], "ok: 8 rules\n")
    assert difference is not None and "-ok: 9 rules" in difference and "+ok: 8 rules" in difference


def test_an_ellipsis_line_stands_for_any_lines_and_nothing_else() -> None:
    shown = ["head", "  ...", "mid", "...", "tail"]
    assert output_difference(shown, "head\nmid\ntail\n") is None
    assert output_difference(shown, "head\na\nb\nmid\nc\ntail\n") is None
    assert output_difference(shown, "head\nmid\n") is not None  # the tail is missing
    assert output_difference(shown, "head\ntail\n") is not None  # so is mid
    assert output_difference(shown, "tail\nmid\nhead\n") is not None  # out of order
    assert output_difference(["a", "...", "a"], "a\n") is not None  # lines are not shared
    assert output_difference(["...", "x"], "y\n") is not None


def test_pip_installs_name_only_what_the_checkout_provides() -> None:
    assert pip_problems("-e '.[test]'") == []
    assert pip_problems("'.[testing]' pytest") == []
    assert pip_problems("'assessment[testing]'") == [
        "assessment[testing]: no package index has this project: install it from the "
        "checkout ('.[testing]') or from a wheel built from it"
    ]
    assert pip_problems("'.[tests]'") == [".[tests]: pyproject.toml declares no extra ['tests']"]
    assert shell_script("python3 -m pip install . && assessment --version\n") == (
        "assessment --version\n"
    )


def _scheme_format_settings() -> list[tuple[str, str, object]]:
    """Each whole rule and top-level setting shown in scheme-format.md: (where, key, value)."""
    shown: list[tuple[str, str, object]] = []
    for block in BLOCKS:
        if block.file != "docs/scheme-format.md" or block.lang != "yaml":
            continue
        if all(line.lstrip().startswith("#") for line in block.text.splitlines()):
            continue  # only a comment, such as the editor's schema line
        located, problems = load_yaml(block.text.encode("utf-8"), block.where)
        assert not problems, problems
        data = located.data
        if isinstance(data, list) and all(isinstance(r, dict) and "kind" in r for r in data):
            shown += [(block.where, "rule", rule) for rule in data]
        elif isinstance(data, dict) and set(data) <= set(Scheme.model_fields) - {"sections"}:
            shown += [(block.where, key, value) for key, value in data.items()]
    return shown


def test_the_rules_and_settings_scheme_format_shows_are_valid() -> None:
    # Fragments (a `where:` alone, `rules: [...]`) are left out; whole rules and settings
    # must validate, so that a scheme author can copy them.
    shown = _scheme_format_settings()
    assert sum(1 for _, key, _ in shown if key == "rule") >= 12
    problems = []
    for where, key, value in shown:
        if key == "rule":
            adapter: TypeAdapter[object] = TypeAdapter(Rule)
        else:
            field = Scheme.model_fields[key]
            # the field's type with its constraints (`min_length`, …), as Scheme checks it
            adapter = TypeAdapter(cast(Any, Annotated[field.annotation, field]))
        try:
            adapter.validate_python(value)
        except ValidationError as exc:
            problems.append(f"{where} {key}: {exc}")
    assert not problems, "\n".join(problems)


def test_check_without_hypothesis_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # As if the testing extra were not installed: importing Hypothesis fails.
    monkeypatch.setitem(sys.modules, "hypothesis", None)
    for module in ("assessment._internal.app.check", "assessment.testing"):
        monkeypatch.delitem(sys.modules, module, raising=False)
    code = main(["check", str(ROOT / "schemes/2023.yaml")])
    assert code == 2
    error = capsys.readouterr().err
    assert "assessment check needs hypothesis, from the testing extra" in error
    command = re.search(r"pip install (\S+)", error)
    assert command is not None, error
    assert pip_problems(command[1]) == []  # what it says to install, the checkout provides


def _scheme_format_sections() -> list[tuple[str, object]]:
    """Each whole `sections:` list scheme-format.md shows (not those with `[...]` in them)."""
    shown: list[tuple[str, object]] = []
    for block in BLOCKS:
        if block.file != "docs/scheme-format.md" or block.lang != "yaml" or "..." in block.text:
            continue
        located, problems = load_yaml(block.text.encode("utf-8"), block.where)
        if not problems and isinstance(located.data, dict) and "sections" in located.data:
            shown.append((block.where, located.data["sections"]))
    return shown


def test_the_sections_scheme_format_shows_are_valid() -> None:
    # The limits of sections (cap, floor, sub-sections, groups) are shown as whole sections.
    shown = _scheme_format_sections()
    assert len(shown) >= 4
    adapter: TypeAdapter[object] = TypeAdapter(tuple[Section, ...])
    problems = []
    for where, sections in shown:
        try:
            adapter.validate_python(sections)
        except ValidationError as exc:
            problems.append(f"{where}: {exc}")
    assert not problems, "\n".join(problems)


def _shared_blocks() -> list[tuple[str, dict[str, Any]]]:
    """Each block of scheme-format.md that names `tables:` or `selections:` from `rules:`."""
    found = []
    for block in BLOCKS:
        if block.file != "docs/scheme-format.md" or block.lang != "yaml":
            continue
        located, problems = load_yaml(block.text.encode("utf-8"), block.where)
        data = located.data if not problems else None
        if isinstance(data, dict) and "rules" in data and {"tables", "selections"} & set(data):
            found.append((block.where, data))
    return found


def test_the_shared_tables_and_selections_scheme_format_shows_are_valid() -> None:
    # A rule that names a table or a selection is valid only in a scheme that defines it:
    # the block's rules go into a section of a scheme with its tables and selections, and
    # the circular type the docs declare with `item: true`, and that scheme must load.
    shown = _shared_blocks()
    assert shown
    for where, data in shown:
        scheme: dict[str, Any] = {
            "format": 2,
            "id": "docs",
            "title": "文档示例",
            "version": "1",
            "source": {"document": "文档示例"},
            "period": {"start": date(2024, 1, 1), "end": date(2024, 12, 31)},
            "base": 40,
            "unit_kinds": [{"id": "town", "name": "镇"}],
            "groups": [{"id": "towns", "name": "镇", "kinds": ["town"]}],
            "categories": [
                {"id": "key_tasks", "name": "重点任务", "clause": "一", "points": 40}
                | {"method": "proportional"}
            ],
            "event_types": [
                {"id": "circular", "name": "督查通报", "item": True}
                | {"fields": [{"id": "kind", "type": "enum", "values": ["praise", "criticism"]}]}
            ],
            **{key: data[key] for key in ("tables", "selections") if key in data},
            "sections": [
                {"id": "work", "name": "完成", "clause": "一", "points": 40}
                | {
                    "rules": [
                        {"id": "done", "kind": "completion", "name": "完成", "clause": "一"}
                        | {"text": "完成", "categories": ["key_tasks"]}
                    ]
                },
                {"id": "shown", "name": "示例", "clause": "二", "points": 10}
                | {"start": "zero", "floor": -10, "rules": data["rules"]},
            ],
        }
        text = yaml.safe_dump(_plain(scheme), allow_unicode=True, sort_keys=False)
        parse_scheme(text, where)  # raises SchemeError, naming the block, if it is not valid


def _plain(value: Any) -> Any:
    """Decimals as YAML numbers (safe_dump writes only built-in types)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
