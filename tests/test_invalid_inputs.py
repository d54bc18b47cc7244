"""Every invalid roster and event stream in the corpus is refused with exactly its stored diagnostics.

Each corpus file holds one fault; `NAME.expected` beside it holds the `str()` of
each expected problem, the file named relative to the repository root.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import ROOT, refusal

from assessment._internal.load.roster import read_roster
from assessment._internal.load.scheme import load_scheme
from assessment._internal.score.scorer import read_events
from assessment.errors import EventsError, RosterError

EVENTS_DIR = ROOT / "tests/data/invalid/events"
ROSTERS_DIR = ROOT / "tests/data/invalid/rosters"
# Streams of event types a scheme declares: that folder holds its own scheme and roster.
DECLARED_DIR = ROOT / "tests/data/invalid/declared-events"
EVENTS = sorted(p for p in EVENTS_DIR.iterdir() if p.suffix in (".jsonl", ".csv"))
DECLARED = sorted(DECLARED_DIR.glob("*.jsonl"))
ROSTERS = sorted(p for p in ROSTERS_DIR.iterdir() if p.suffix in (".csv", ".yaml"))


def _expected(path: Path) -> list[str]:
    return path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()


def test_the_corpora_are_not_empty() -> None:
    assert len(EVENTS) >= 20
    assert len(ROSTERS) >= 6


def test_every_corpus_file_has_its_own_expected_diagnostics() -> None:
    assert len(DECLARED) >= 3
    for path in EVENTS + ROSTERS + DECLARED:
        assert path.with_suffix(".expected").is_file(), path
    stems = [p.stem for p in EVENTS] + [p.stem for p in ROSTERS]
    for directory in (EVENTS_DIR, ROSTERS_DIR):
        for expected in directory.glob("*.expected"):
            assert expected.stem in stems, f"{expected} has no input file"
    assert len({(p.parent, p.stem) for p in EVENTS + ROSTERS}) == len(EVENTS + ROSTERS)


@pytest.mark.parametrize("path", EVENTS, ids=lambda p: p.name)
@pytest.mark.usefixtures("at_root")
def test_invalid_event_stream_gives_the_expected_diagnostics(path: Path) -> None:
    scheme = load_scheme("schemes/2023.yaml")
    roster = read_roster("tests/data/roster.csv", scheme)
    found = refusal(EventsError, lambda name: read_events(name, scheme, roster), path)
    assert found == _expected(path)


@pytest.mark.parametrize("path", ROSTERS, ids=lambda p: p.name)
@pytest.mark.usefixtures("at_root")
def test_invalid_roster_gives_the_expected_diagnostics(path: Path) -> None:
    scheme = load_scheme("schemes/2023.yaml")
    assert refusal(RosterError, lambda name: read_roster(name, scheme), path) == _expected(path)


@pytest.mark.parametrize("path", DECLARED, ids=lambda p: p.name)
@pytest.mark.usefixtures("at_root")
def test_invalid_stream_of_declared_types_gives_the_expected_diagnostics(path: Path) -> None:
    folder = DECLARED_DIR.relative_to(ROOT).as_posix()
    scheme = load_scheme(f"{folder}/scheme.yaml")
    roster = read_roster(f"{folder}/roster.csv", scheme)
    found = refusal(EventsError, lambda name: read_events(name, scheme, roster), path)
    assert found == _expected(path)
