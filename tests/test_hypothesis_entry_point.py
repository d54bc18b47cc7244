"""The Hypothesis entry point: `st.from_type(Scheme)` works whatever is imported first,
and `import hypothesis` alone loads none of the engine.

Each case runs in a fresh interpreter, because pytest imports Hypothesis before any
test, and in an empty directory, so that the entry point comes from the installed
package's metadata (not from a build left in the working tree).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

DRAW_A_SCHEME = """
import importlib, sys

for name in sys.argv[1:]:
    importlib.import_module(name)

from hypothesis import given, settings, strategies as st

from assessment.scheme import Scheme

drawn = []


@settings(max_examples=1, database=None)
@given(st.from_type(Scheme))
def draw(scheme):
    drawn.append(scheme)


draw()
print(type(drawn[0]).__module__, type(drawn[0]).__name__, drawn[0].id)
"""

LOADED_BY_IMPORTING_HYPOTHESIS = """
import sys

import hypothesis

print(*sorted(m for m in sys.modules if m.partition(".")[0] in ("assessment", "pydantic")))
"""


def python(code: str, *args: str, cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HYPOTHESIS_")}
    command = [sys.executable, "-c", code, *args]
    done = subprocess.run(command, check=False, cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr  # the traceback, when an import order fails
    return done.stdout


@pytest.mark.parametrize(
    "first",
    [
        ["hypothesis"],
        ["assessment.scheme"],
        ["assessment.testing"],  # it imports Hypothesis, whose hook then runs mid-import
        ["assessment", "hypothesis"],  # `assessment.Scheme` is then imported after Hypothesis
    ],
    ids=" then ".join,
)
def test_from_type_draws_random_schemes_whatever_is_imported_first(
    first: list[str], tmp_path: Path
) -> None:
    out = python(DRAW_A_SCHEME, *first, cwd=tmp_path)
    # "random" is the id every scheme from `assessment.testing.schemes()` has
    assert out.split() == ["assessment.scheme", "Scheme", "random"]


def test_importing_hypothesis_loads_only_the_entry_points_own_module(tmp_path: Path) -> None:
    loaded = python(LOADED_BY_IMPORTING_HYPOTHESIS, cwd=tmp_path).split()
    # The hook ran (its module is loaded), and pulled in neither pydantic nor the engine.
    assert loaded == ["assessment", "assessment._hypothesis_plugin", "assessment._version"]
