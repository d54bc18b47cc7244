"""The package as a government integrator gets it: a wheel, installed in a fresh
virtual environment outside the checkout, runs the starter on its own.

The wheel is built as a release is, from the checkout's tracked files (an sdist, then
the wheel from the sdist), so that what the sdist leaves out the wheel lacks too. The
build, isolated as a release build is, fetches its setuptools from the package index
(CI reaches it). The installation needs none: the wheel's runtime dependencies
(pydantic, PyYAML) are lent to the fresh environment by a .pth line naming the folder
this interpreter has them in; `assessment` itself comes only from the wheel, as the
test checks.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
import urllib.request
import venv
import zipfile
from pathlib import Path

import pydantic
import pytest
import yaml
from test_service import _start

from assessment._internal.load.bundled import bundled_schemes, ledger_files
from assessment.cli import main

ROOT = Path(__file__).resolve().parent.parent
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "setuptools"
]
BUNDLED = {"assessment._bundled.schemes": "schemes", "assessment._bundled.examples": "examples"}


def test_the_package_list_names_every_package_folder_and_the_bundled_data() -> None:
    folders = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "assessment").rglob("__init__.py")
    }
    assert set(SETUPTOOLS["packages"]) == folders | set(BUNDLED)
    assert SETUPTOOLS["package-dir"] == BUNDLED


def _tracked_copy(into: Path) -> Path:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("builds from the checkout's tracked files: needs git and a git checkout")
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    source = into / "source"
    for name in filter(None, (entry.decode() for entry in listed)):
        if (ROOT / name).is_file():  # a tracked file deleted in the work tree is no source
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    return source


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    """The wheel, the sdist and the tracked files they were built from."""
    work = tmp_path_factory.mktemp("wheel")
    source = _tracked_copy(work)
    tracked = sorted(
        str(p.relative_to(source).as_posix()) for p in source.rglob("*") if p.is_file()
    )
    done = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(work / "dist"), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"python -m build failed:\n{done.stdout}\n{done.stderr}"
    (built,) = (work / "dist").glob("*.whl")
    (sdist,) = (work / "dist").glob("*.tar.gz")
    return built, sdist, tracked


@pytest.fixture(scope="module")
def wheel(dist: tuple[Path, Path, list[str]]) -> Path:
    return dist[0]


def test_the_sdist_holds_every_tracked_file(dist: tuple[Path, Path, list[str]]) -> None:
    _, sdist, tracked = dist
    with tarfile.open(sdist) as archive:
        held = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert [name for name in tracked if name not in held] == []


def test_the_wheel_carries_every_bundled_scheme_ledger_and_schema(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {"assessment/py.typed"}
    for path in (ROOT / "schemes").glob("*.schema.json"):
        expected.add(f"assessment/_bundled/schemes/{path.name}")
    for scheme in bundled_schemes():
        file = Path(str(scheme.file)).relative_to(ROOT)
        expected.add(f"assessment/_bundled/{file.as_posix()}")
        if scheme.ledger is not None:
            for ledger_file in ledger_files(scheme.ledger):
                relative = Path(str(ledger_file)).relative_to(ROOT).as_posix()
                expected.add(f"assessment/_bundled/{relative}")
    for part in ("roster.csv", "events.jsonl", "starter.yaml"):
        expected.add(f"assessment/_bundled/examples/starter/{part}")
    assert expected <= names
    data = {n for n in names if n.startswith("assessment/_bundled/")}
    assert data == expected - {"assessment/py.typed"}  # nothing else: no scripts, no notes


def _fresh_environment(at: Path, wheel: Path) -> Path:
    venv.create(at, with_pip=False)
    python = at / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    pip = [sys.executable, "-m", "pip", "--python", str(python)]
    subprocess.run(
        [*pip, "install", "--quiet", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    lent = {str(Path(module.__file__).parent.parent) for module in (pydantic, yaml)}  # type: ignore[arg-type]
    (Path(purelib) / "lent-dependencies.pth").write_text("\n".join(sorted(lent)) + "\n")
    return python.parent


def _run(bin_dir: Path, cwd: Path, *argv: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(
        [str(bin_dir / "assessment"), *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, (argv, done.stderr)
    return done.stdout


def test_from_the_wheel_alone_init_and_score_run_outside_the_checkout(
    wheel: Path, tmp_path: Path
) -> None:
    bin_dir = _fresh_environment(tmp_path / "env", wheel)
    outside = tmp_path / "office"
    outside.mkdir()
    where = _run(bin_dir, outside, "--version")
    assert where.startswith("assessment ")
    imported = subprocess.run(
        [str(bin_dir / "python"), "-c", "import assessment; print(assessment.__file__)"],
        cwd=outside,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert Path(imported).resolve().is_relative_to((tmp_path / "env").resolve())
    assert "2023" in _run(bin_dir, outside, "schemes").split()
    _run(bin_dir, outside, "init", "demo")
    demo = outside / "demo"
    inputs = ["--roster", "roster.csv", "--events", "events.jsonl", "--format", "json"]
    from_file = _run(bin_dir, demo, "score", "scheme.yaml", *inputs)
    assert _run(bin_dir, demo, "score", "2023", *inputs) == from_file
    # the same results as the checkout gives for the same files
    out = io.StringIO()
    here = str(ROOT / "schemes/2023.yaml")
    starter = ROOT / "examples/starter"
    argv = [
        here,
        "--roster",
        str(starter / "roster.csv"),
        "--events",
        str(starter / "events.jsonl"),
    ]
    assert main(["score", *argv, "--format", "json"], stdout=out) == 0
    assert from_file == out.getvalue()
    assert _run(bin_dir, outside, "validate", "city-2024").startswith("ok: ")


def test_from_the_wheel_the_service_answers_as_its_command_line(
    wheel: Path, tmp_path: Path
) -> None:
    pytest.importorskip("fastapi", reason="the service needs the server extra (lent here)")
    bin_dir = _fresh_environment(tmp_path / "env", wheel)
    starter = ROOT / "examples/starter"
    roster, events = (starter / "roster.csv"), (starter / "events.jsonl")
    by_command = _run(
        bin_dir, tmp_path, "score", "2023", "--roster", str(roster), "--events", str(events),
        "--format", "json",
    )  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    for server in _start(tmp_path, command=[str(bin_dir / "assessment")], env=env):
        base = server.base
        fields = {"scheme_name": "2023", "roster": roster.read_text(encoding="utf-8")}
        body = json.dumps(fields).encode() + b"\n" + events.read_bytes()
        request = urllib.request.Request(
            f"{base}/v1/score", body, {"Content-Type": "application/x-ndjson"}, method="POST"
        )
        with urllib.request.urlopen(request, timeout=120) as answer:
            assert answer.status == 200
            assert answer.read().decode("utf-8") == by_command
