"""Malformed input of every sort ends in the library's own located error: never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import assessment
from assessment import EventsError, InputError, RosterError, SchemeError

ROOT = Path(__file__).resolve().parent.parent
SCHEME_TEXT = (ROOT / "schemes/2023.yaml").read_bytes()
SCHEME = assessment.load_scheme(ROOT / "schemes/2023.yaml")
ROSTER = assessment.read_roster(ROOT / "tests/data/roster.csv", SCHEME)
EVENTS_TEXT = (ROOT / "examples/2023/events.jsonl").read_bytes()[:20_000]

yaml_fragments = st.sampled_from(
    [
        "a: 1\n",
        "- x\n",
        "&a [*a]\n",
        "!!python/object:os.system x\n",
        "{",
        "]",
        "'",
        '"',
        "\t",
        "key: [1, 2\n",
        "? complex\n",
        "--- \n",
        "... \n",
        "%YAML 1.1\n",
        "\xff",
        "9" * 5000,
        "points: 1e400\n",
        "points: .nan\n",
        "date: 2023-02-30\n",
        "- " * 200 + "x\n",
    ]
)


def _located(error: InputError) -> None:
    assert error.problems
    for problem in error.problems:
        assert problem.file and problem.message


@given(st.binary(max_size=2000))
def test_random_bytes_as_a_scheme(raw: bytes) -> None:
    try:
        assessment.parse_scheme(raw, "fuzz.yaml")
    except SchemeError as error:
        _located(error)


@given(st.lists(yaml_fragments, max_size=12).map("".join))
def test_yaml_shaped_garbage_as_a_scheme(text: str) -> None:
    try:
        assessment.parse_scheme(text, "fuzz.yaml")
    except SchemeError as error:
        _located(error)


@given(st.integers(0, len(SCHEME_TEXT)), st.binary(max_size=20))
def test_a_truncated_or_corrupted_scheme(cut: int, noise: bytes) -> None:
    try:
        assessment.parse_scheme(SCHEME_TEXT[:cut] + noise, "fuzz.yaml")
    except SchemeError as error:
        _located(error)


def test_an_alias_bomb_and_deep_nesting_are_refused_quickly() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    for text in (bomb, "[" * 100_000, "{a: " * 50_000):
        with pytest.raises(SchemeError):
            assessment.parse_scheme(text, "fuzz.yaml")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(st.lists(json_values, max_size=6))
def test_random_json_lines_as_events(values: list[object]) -> None:
    text = "\n".join(json.dumps(v) for v in values)
    _events_from_text(text.encode("utf-8"))


@given(st.integers(0, len(EVENTS_TEXT)), st.binary(max_size=30))
def test_a_truncated_or_corrupted_event_stream(cut: int, noise: bytes) -> None:
    _events_from_text(EVENTS_TEXT[:cut] + noise)


@given(st.binary(max_size=1500))
def test_random_bytes_as_a_csv_roster(raw: bytes) -> None:
    path = _scratch(".csv", raw)
    try:
        assessment.read_roster(path, SCHEME)
    except RosterError as error:
        _located(error)


def test_huge_numbers_are_refused_with_a_message(tmp_path: Path) -> None:
    line = {
        "id": "e1",
        "type": "item_assessed",
        "date": "2023-01-01",
        "unit": "town-a",
        "item": "X",
        "completion": "1" + "0" * 5000,
    }
    path = tmp_path / "e.jsonl"
    path.write_text(json.dumps(line), encoding="utf-8")
    with pytest.raises(EventsError) as caught:
        assessment.read_events(path, SCHEME, ROSTER)
    assert any(p.path == "completion" for p in caught.value.problems)


_SCRATCH = Path(__file__).resolve().parent / ".fuzz-scratch"


def _scratch(suffix: str, raw: bytes) -> Path:
    # Hypothesis reruns a test many times; one fixed file per suffix keeps that cheap.
    _SCRATCH.mkdir(exist_ok=True)
    path = _SCRATCH / f"input{suffix}"
    path.write_bytes(raw)
    return path


def _events_from_text(raw: bytes) -> None:
    try:
        assessment.read_events(_scratch(".jsonl", raw), SCHEME, ROSTER)
    except EventsError as error:
        _located(error)
