"""The index of event ids: every id taken, the fingerprint of its event and where it was read.

It is how a re-delivered event is dropped and an id reused by a different
event is refused, across files and batches. The contract makes ids unique over
the whole stream, so this is the one part of the state that grows with the
events rather than with the items. A dict of id strings costs about 140 bytes
an id; this table keeps fixed-width numbers in arrays, about 40 bytes an id (28 in
the entry, 6 to 12 in the slot table):

- a slot table (open addressing, CPython's probe sequence), each slot the
  1-based number of an entry or 0 for free, at most two thirds full;
- per entry, in the order taken: the id's `hash` and length (which place it), a CRC-32
  of the id (which, with the hash, tells two ids apart), the event's 64-bit
  fingerprint and where it was read.

Two ids count as one only if both their 64-bit hash and their CRC-32 agree:
for distinct ids, with a probability of 2**-96 a pair, below 10**-16 in a
stream of ten million events. (A pair agreeing on the CRC can be built on
purpose; one agreeing on the hash, keyed at random in each process, cannot.)
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Callable

__all__ = ["IdIndex"]

_FINGERPRINT = (1 << 64) - 1
_FREE = 0
_SMALLEST = 8  # slots


def _crc(ident: str) -> int:
    return zlib.crc32(ident.encode("utf-8", "surrogatepass"))


def _hash(ident: str) -> int:
    # CPython hashes the bytes a string is stored in, 1, 2 or 4 to a character, so "ab" and
    # "\u6261" hash alike; such twins always differ in length.
    return hash(ident) ^ len(ident)


class IdIndex:
    """Event ids taken, each with its event's fingerprint (64 bits) and where it was read.

    `key` and `check` are the two hashes of an id; tests pass weak ones to force
    collisions.
    """

    __slots__ = ("_check", "_key", "_mask", "_slots", "checks", "keys", "prints", "wheres")

    def __init__(
        self, key: Callable[[str], int] = _hash, check: Callable[[str], int] = _crc
    ) -> None:
        self._key = key
        self._check = check
        self._slots = array("I", [_FREE]) * _SMALLEST
        self._mask = _SMALLEST - 1
        self.keys = array("q")
        self.checks = array("I")
        self.prints = array("Q")
        self.wheres = array("Q")

    def __len__(self) -> int:
        return len(self.keys)

    def find(self, ident: str) -> int:
        """The entry of `ident`, or -1 if it was not taken."""
        return self._seek(self._key(ident), ident)[0]

    def claim(self, ident: str, fingerprint: int, where: int) -> int:
        """Take `ident` for the event with `fingerprint`, read at `where`, and return -1; if
        it was taken already, change nothing and return that entry."""
        key = self._key(ident)
        entry, slot, check = self._seek(key, ident)
        if entry < 0:
            check = self._check(ident) if check < 0 else check
            self._put(slot, key, check, fingerprint & _FINGERPRINT, where)
        return entry

    def _seek(self, key: int, ident: str) -> tuple[int, int, int]:
        """The entry of `ident` (or -1), the slot where the probe stopped (free if there is
        no entry), and the id's check (or -1: computed only when an entry has its key)."""
        slots, keys, mask = self._slots, self.keys, self._mask
        perturb = key & _FINGERPRINT
        slot = perturb & mask
        check = -1
        while number := slots[slot]:
            if keys[number - 1] == key:
                if check < 0:
                    check = self._check(ident)
                if self.checks[number - 1] == check:
                    return number - 1, slot, check
            perturb >>= 5
            slot = (slot * 5 + perturb + 1) & mask
        return -1, slot, check

    def merge(self, other: IdIndex) -> None:
        """Take every entry of `other` (whose ids are not taken here)."""
        self.reserve(len(other))
        for key, check, fingerprint, where in zip(
            other.keys, other.checks, other.prints, other.wheres, strict=True
        ):
            self._put(self._free_slot(key), key, check, fingerprint, where)

    def _free_slot(self, key: int) -> int:
        slots, mask = self._slots, self._mask
        perturb = key & _FINGERPRINT
        slot = perturb & mask
        while slots[slot] != _FREE:
            perturb >>= 5
            slot = (slot * 5 + perturb + 1) & mask
        return slot

    def _put(self, slot: int, key: int, check: int, fingerprint: int, where: int) -> None:
        self.keys.append(key)
        self.checks.append(check)
        self.prints.append(fingerprint)
        self.wheres.append(where)
        taken = len(self.keys)
        self._slots[slot] = taken
        if taken * 3 >= len(self._slots) * 2:
            self._grow()

    def reserve(self, entries: int) -> None:
        """Make room for `entries` more ids at once, rather than growing step by step
        (each step places every entry again)."""
        wanted = (len(self.keys) + entries) * 3 // 2 + 1
        if wanted > len(self._slots):
            self._grow(1 << (wanted - 1).bit_length())

    def _grow(self, size: int = 0) -> None:
        """Twice the slots (or `size`), every entry placed again (the entries stay)."""
        size = size or len(self._slots) * 2
        self._slots = slots = array("I", [_FREE]) * size
        self._mask = size - 1
        free_slot = self._free_slot
        for number, key in enumerate(self.keys, 1):
            slots[free_slot(key)] = number
