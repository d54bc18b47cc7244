"""The compact index of event ids behaves as a dict of ids, whatever their hashes.

Weak hashes (a handful of values) force the collisions that real ones make rare:
ids sharing a slot, ids sharing a hash, ids sharing both hashes' first part.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import assessment
from assessment import Scheme
from assessment._internal.ledger.idindex import IdIndex
from assessment._internal.score.scorer import scorer_of_log

ROOT = Path(__file__).resolve().parent.parent

IDS = st.text(alphabet="ab\u00e9\ud800", max_size=4)  # a lone surrogate too
WEAK_KEY = st.sampled_from([lambda ident: len(ident) % 3, lambda ident: -1, hash])
STEPS = st.lists(st.tuples(IDS, st.integers(0, (1 << 70)), st.integers(0, (1 << 56) - 1)))


def _exact(ident: str) -> int:
    return zlib.crc32(ident.encode("utf-8", "surrogatepass"))


@given(key=WEAK_KEY, steps=STEPS, reserve_at=st.integers(0, 20), room=st.integers(0, 100))
def test_claims_are_remembered_as_a_dict_remembers_them(
    key: Callable[[str], int], steps: list[tuple[str, int, int]], reserve_at: int, room: int
) -> None:
    index = IdIndex(key=key, check=_exact)
    model: dict[str, tuple[int, int]] = {}
    for step, (ident, fingerprint, where) in enumerate(steps):
        if step == reserve_at:  # room made for more ids, mid-way: every entry placed again
            index.reserve(room)
        entry = index.claim(ident, fingerprint, where)
        if ident in model:
            assert entry >= 0
            assert (index.prints[entry], index.wheres[entry]) == model[ident]
        else:
            assert entry == -1
            model[ident] = (fingerprint & ((1 << 64) - 1), where)
    assert len(index) == len(model)
    for ident, (fingerprint, where) in model.items():
        entry = index.find(ident)
        assert (index.prints[entry], index.wheres[entry]) == (fingerprint, where)
    assert index.find("never taken, longer than any") == -1


@given(key=WEAK_KEY, first=STEPS, second=STEPS)
def test_a_merged_index_holds_both(
    key: Callable[[str], int], first: list[tuple[str, int, int]], second: list[tuple[str, int, int]]
) -> None:
    older, newer = IdIndex(key=key, check=_exact), IdIndex(key=key, check=_exact)
    for ident, fingerprint, where in first:
        older.claim(ident, fingerprint, where)
    expected = {ident: where for ident, _, where in reversed(first)}
    for ident, fingerprint, where in second:
        if older.find(ident) < 0 and newer.claim(ident, fingerprint, where) < 0:
            expected[ident] = where
    older.merge(newer)
    assert len(older) == len(expected)
    assert {ident: older.wheres[older.find(ident)] for ident in expected} == expected


def test_two_ids_are_one_only_if_both_hashes_agree() -> None:
    index = IdIndex(key=lambda ident: 7, check=len)
    assert index.claim("ab", 1, 10) == -1
    assert index.claim("cd", 2, 20) == 0  # same hash, same check: taken as the same id
    assert index.claim("abc", 3, 30) == -1  # same hash, another check: another id
    assert (index.find("abc"), index.find("x")) == (1, -1)


# CPython hashes a string's stored bytes, 1, 2 or 4 to a character: "ab" and "\u6261" hold the
# same bytes. This pair also shares its CRC-32 (CRC is linear: such pairs can be built).
TWINS = ("dmklknlgiidbfoceceff", "\u6d64\u6c6b\u6e6b\u676c\u6969\u6264\u6f66\u6563\u6563\u6666")


def test_ids_stored_as_the_same_bytes_are_two_ids() -> None:
    index = IdIndex()
    assert [index.claim(ident, n, n) for n, ident in enumerate(["ab", "\u6261", *TWINS])] == [
        -1
    ] * 4
    assert [index.find(ident) for ident in ["ab", "\u6261", *TWINS]] == [0, 1, 2, 3]


@pytest.mark.parametrize("batches", [[TWINS], [TWINS[:1], TWINS[1:]]], ids=["one", "two"])
def test_a_scorer_takes_twin_ids_as_two_events(
    scheme_2023: Scheme, batches: list[tuple[str, ...]]
) -> None:
    roster = assessment.read_roster(ROOT / "tests/data/roster.csv", scheme_2023)
    unit = roster.units[0].id
    scorer = assessment.Scorer(scheme_2023, roster)
    for batch in batches:
        records = [
            {"id": ident, "type": "item_assigned", "date": "2023-01-10", "unit": unit}
            | {"item": f"item {ident}", "category": "work_report", "due": "2023-06-30"}
            for ident in batch
        ]
        scorer.add(records)
    assert scorer.events == 2


def test_a_scorer_built_on_a_checked_log_knows_its_ids(scheme_2023: Scheme) -> None:
    roster = assessment.read_roster(ROOT / "tests/data/roster.csv", scheme_2023)
    unit = roster.units[0].id
    record = {"id": "a", "type": "item_assigned", "date": "2023-01-10", "unit": unit}
    record |= {"item": "i", "category": "work_report", "due": "2023-06-30"}
    scorer = scorer_of_log(
        scheme_2023, roster, assessment.parse_events([record], scheme_2023, roster)
    )
    assert scorer.add([record]) == 0  # a re-delivery, dropped
    with pytest.raises(assessment.EventsError, match="id 'a' is already used"):
        scorer.add([record | {"due": "2023-07-31"}])
