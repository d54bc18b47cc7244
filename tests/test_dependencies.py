"""Packaging as declared: every import is declared, CI tests the floors, the license is shipped."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
MINIMUMS = ROOT / ".ci/minimum-versions.txt"

# The distribution each imported top-level module comes from, where the names differ.
DISTRIBUTION_OF = {"yaml": "pyyaml"}


def _name(requirement: str) -> str:
    found = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    assert found is not None, requirement
    return re.sub(r"[-_.]+", "-", found[0]).lower()  # PEP 503 normalised


def _release(version: str) -> tuple[int, ...]:
    parts = [int(part) for part in version.split(".")]
    while parts and parts[-1] == 0:  # 2.11 is 2.11.0
        parts.pop()
    return tuple(parts)


def declared_floors() -> dict[str, tuple[int, ...]]:
    """The floors of the runtime dependencies and of the server extra (which the `test`
    extra holds too, so that CI's run at the floors tests the service at them)."""
    floors = {}
    for requirement in [*PROJECT["dependencies"], *PROJECT["optional-dependencies"]["server"]]:
        floor = re.search(r">=\s*([0-9][0-9.]*)", requirement)
        assert floor is not None, f"{requirement}: give every runtime dependency a floor (>=)"
        floors[_name(requirement)] = _release(floor[1])
    return floors


def pinned_minimums() -> dict[str, tuple[int, ...]]:
    pins = {}
    for raw in MINIMUMS.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        pin = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([0-9][0-9.]*)", line)
        assert pin is not None, f"{MINIMUMS.name}: '{line}' is not name==version"
        pins[_name(pin[1])] = _release(pin[2])
    return pins


def test_ci_pins_every_runtime_dependency_at_its_declared_floor() -> None:
    assert pinned_minimums() == declared_floors()


def test_the_comparison_reads_names_and_versions_as_pip_does() -> None:
    assert _name("PyYAML>=6.0.1") == "pyyaml"
    assert _name("pydantic_core>=2.33") == _name("pydantic-core") == "pydantic-core"
    assert _release("2.11") == _release("2.11.0") != _release("2.11.1")


def _imported_distributions() -> set[str]:
    """The distributions the package's modules import, outside the standard library."""
    found = set()
    for path in (ROOT / "assessment").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top not in sys.stdlib_module_names and top != "assessment":
                    found.add(_name(DISTRIBUTION_OF.get(top, top)))
    return found


def test_every_package_the_code_imports_is_declared() -> None:
    declared = {_name(r) for r in PROJECT["dependencies"]}
    extras = PROJECT["optional-dependencies"]
    optional = {_name(r) for extra in ("testing", "server") for r in extras[extra]}
    imported = _imported_distributions()
    assert {"pydantic", "pydantic-core", "pyyaml", "hypothesis", "fastapi", "uvicorn"} <= imported
    assert imported - declared - optional == set()


def test_ci_tests_the_server_extra_at_its_floors() -> None:
    extras = PROJECT["optional-dependencies"]
    assert set(extras["server"]) <= set(extras["test"])


def test_the_license_file_is_the_license_the_metadata_names() -> None:
    # setuptools puts license-files into the sdist and the wheel (.dist-info/licenses/).
    assert PROJECT["license"] == "MIT"
    assert PROJECT["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) ")
    assert "the assessment authors" in text
    assert "Permission is hereby granted, free of charge, to any person obtaining a copy" in text
