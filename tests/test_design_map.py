"""docs/design.md is the map of the package: it names every module, and no module that is gone."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "assessment"
DESIGN = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")


def _modules() -> set[str]:
    return {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        # a stage's __init__.py holds only its docstring: the folder is named instead
        if path.name != "__init__.py" or len(path.read_text(encoding="utf-8").splitlines()) > 1
    }


def test_the_map_names_every_module() -> None:
    named = set(re.findall(r"`([\w/]+\.py)`", DESIGN))
    missing = sorted(module for module in _modules() if module not in named)
    assert missing == [], "add these to docs/design.md's table of modules"


def test_the_map_names_no_module_that_is_gone() -> None:
    named = set(re.findall(r"`((?:_internal|testing)/[\w/]+\.py)`", DESIGN))
    gone = sorted(module for module in named if not (PACKAGE / module).is_file())
    assert gone == []
