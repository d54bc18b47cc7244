"""The compact index of event ids behaves as a dict of ids, whatever their hashes.

Weak hashes (a handful of values) force the collisions that real ones make rare:
ids sharing a slot, ids sharing a hash, ids sharing both hashes' first part.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from assessment._internal.idindex import IdIndex

IDS = st.text(alphabet="ab\u00e9\ud800", max_size=4)  # a lone surrogate too
WEAK_KEY = st.sampled_from([lambda ident: len(ident) % 3, lambda ident: -1, hash])
STEPS = st.lists(st.tuples(IDS, st.integers(0, (1 << 70)), st.integers(0, (1 << 56) - 1)))


def _exact(ident: str) -> int:
    return zlib.crc32(ident.encode("utf-8", "surrogatepass"))


@given(key=WEAK_KEY, steps=STEPS)
def test_claims_are_remembered_as_a_dict_remembers_them(
    key: Callable[[str], int], steps: list[tuple[str, int, int]]
) -> None:
    index = IdIndex(key=key, check=_exact)
    model: dict[str, tuple[int, int]] = {}
    for ident, fingerprint, where in steps:
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
