"""The examples of docs/integration.md run as shown: each Java program is compiled and
run against this environment's `assessment` (the service one against a running
`assessment serve`), and prints what the page shows; the figures it shows are the
ones worked out by hand in tests/test_example_starter.py.

Java needs a JDK and Jackson (Debian: default-jdk-headless, libjackson2-databind-java).
Where they are missing the Java tests are skipped, except where
ASSESSMENT_REQUIRE_JAVA=1 (CI sets it, having installed them): there they fail.
The Python example is run by tests/test_docs.py, as every Python block of docs/.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from test_example_starter import SHOWN
from test_service import _start

ROOT = Path(__file__).resolve().parent.parent
PAGE = (ROOT / "docs/integration.md").read_text(encoding="utf-8")
JARS = ("jackson-databind.jar", "jackson-core.jar", "jackson-annotations.jar")
JAR_FOLDERS = (Path("/usr/share/java"),)
BIN = Path(sys.executable).parent  # this environment's `assessment`


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```\n", PAGE, flags=re.DOTALL | re.MULTILINE)


def _program(name: str) -> str:
    (source,) = [b for b in _blocks("java") if f"public class {name} " in b]
    return source


def _shown_run(name: str) -> tuple[list[str], list[str]]:
    """The arguments and the output the page shows for a run of program `name`."""
    (shown,) = [b for b in _blocks("text") if f" {name} " in b.split("\n", 1)[0]]
    command, *output = shown.rstrip("\n").split("\n")
    arguments = command.split(f" {name} ", 1)[1].split()
    return arguments, output


def _classpath() -> list[str]:
    for folder in JAR_FOLDERS:
        if all((folder / jar).is_file() for jar in JARS):
            return [str(folder / jar) for jar in JARS]
    return []


@pytest.fixture(scope="module")
def java(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A folder with every Java program of the page compiled, and the class path."""
    jars = _classpath()
    if shutil.which("javac") is None or not jars:
        reason = "needs javac and Jackson (apt-get install default-jdk-headless libjackson2-databind-java)"
        if os.environ.get("ASSESSMENT_REQUIRE_JAVA") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    built = tmp_path_factory.mktemp("java")
    names = []
    for source in _blocks("java"):
        found = re.search(r"public class (\w+) ", source)
        assert found is not None, source[:200]
        names.append(found[1])
        (built / f"{found[1]}.java").write_text(source, encoding="utf-8")
    classpath = os.pathsep.join([str(built), *jars])
    subprocess.run(
        ["javac", "-cp", classpath, "-d", str(built), *(f"{n}.java" for n in names)],
        cwd=built,
        check=True,
        capture_output=True,
    )
    return built, classpath


def _starter(into: Path) -> Path:
    folder = into / "starter"
    shutil.copytree(ROOT / "examples/starter", folder)
    return folder


def _run_java(
    java: tuple[Path, str], name: str, cwd: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(
        ["java", "-cp", java[1], name, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def test_the_shown_totals_are_the_ones_worked_by_hand() -> None:
    _, output = _shown_run("ScoreWithCommandLine")
    totals = {line.split()[1]: line.split(": ")[1].split()[0] for line in output}
    assert totals == {unit: shown[1] for unit, shown in SHOWN.items()}
    assert "(exact 784/9)" in output[1] and Decimal(784) / 9 > Decimal("87.11")


def test_the_command_line_program_prints_what_the_page_shows(
    java: tuple[Path, str], tmp_path: Path
) -> None:
    arguments, output = _shown_run("ScoreWithCommandLine")
    done = _run_java(java, "ScoreWithCommandLine", _starter(tmp_path), *arguments)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == output


def test_the_command_line_program_reads_the_problems_of_a_refused_ledger(
    java: tuple[Path, str], tmp_path: Path
) -> None:
    folder = _starter(tmp_path)
    events = folder / "events.jsonl"
    lines = events.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace('"town-qingshi"', '"town-qingshl"')  # a unit not in the roster
    events.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = _run_java(java, "ScoreWithCommandLine", folder, "2023", "roster.csv", "events.jsonl")
    assert done.returncode == 1
    (printed,) = done.stdout.splitlines()
    code, where, rest = printed.split(" ", 2)
    assert code == "events.unknown_reference"
    assert where.endswith(":3")  # the third line of the stream
    assert "town-qingshl" in rest


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a running `assessment serve` (the server extra must be installed)."""
    pytest.importorskip("fastapi", reason="the service needs the server extra")
    for server in _start(tmp_path_factory.mktemp("serve")):
        yield server.base


def test_the_service_program_prints_what_the_page_shows(
    java: tuple[Path, str], service: str, tmp_path: Path
) -> None:
    arguments, output = _shown_run("ScoreWithService")
    assert arguments[0] == "http://127.0.0.1:8000"  # the page's address; the test's is free
    done = _run_java(java, "ScoreWithService", _starter(tmp_path), service, *arguments[1:])
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == output
    # and the command-line program's, line for line
    assert output == _shown_run("ScoreWithCommandLine")[1]


def test_the_service_program_reads_the_problems_of_a_refused_ledger(
    java: tuple[Path, str], service: str, tmp_path: Path
) -> None:
    folder = _starter(tmp_path)
    events = folder / "events.jsonl"
    lines = events.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace('"town-qingshi"', '"town-qingshl"')
    events.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = _run_java(
        java, "ScoreWithService", folder, service, "2023", "roster.csv", "events.jsonl"
    )
    assert done.returncode == 1
    (printed,) = done.stdout.splitlines()
    status, code, where, rest = printed.split(" ", 3)
    assert (status, code) == ("422", "events.unknown_reference")
    assert where.endswith(":3") and "town-qingshl" in rest
