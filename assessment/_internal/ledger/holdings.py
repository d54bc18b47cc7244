"""What the ledger holds: the scoring state's shape, and how a place in the input is numbered.

The state (`State`) keeps what the rules need of the events, per item and per
unit; it is read by the contract, by the facts and by the scorer, and changed
only by a batch's commit (`ledger/state.py`). A place (`where`) is one int:
the index of its source (a file, a named batch of records) and a line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from pydantic_core import to_json

from assessment._internal.ledger.bands import Bands
from assessment._internal.ledger.idindex import IdIndex
from assessment._internal.load.periods import Span
from assessment._internal.load.records import (
    LIFECYCLE,
    AssignmentEvent,
    CompactEvent,
    LifecycleEvent,
)
from assessment._internal.text.pydantic_errors import Origin

__all__ = [
    "DIGEST",
    "FILE_BITS",
    "ITEM_ASSIGNED",
    "ITEM_TYPES",
    "LINE_BITS",
    "LedgerDays",
    "PeriodFields",
    "State",
    "UnitState",
    "digest_hex",
    "fingerprint",
    "first_assignment",
]

ITEM_ASSIGNED: Final = LIFECYCLE[0]  # a literal: comparing a type with it narrows
ITEM_TYPES = frozenset(LIFECYCLE)

LINE_BITS = 24  # MAX_LINES (10 million) fits
FILE_BITS = 32  # sources: files, or named batches of records
DIGEST = (1 << 256) - 1


@dataclass(slots=True)
class UnitState:
    """A unit's part of the state: the items it leads or co-handles (by id), the other
    events kept (in scoring order)."""

    items: list[str] = field(default_factory=list)
    kept: list[CompactEvent] = field(default_factory=list)


@dataclass(frozen=True)
class LedgerDays:
    """The days a scheme's ledger takes: every event from `start` to `end`; after `end`, up
    to `until`, only events of the types in `after_end`, which complete the period (late
    reports on its periods, closures and year-end assessments of its items, adjustments)."""

    start: date = date.min
    end: date = date.max
    until: date = date.max
    after_end: frozenset[str] = frozenset()


PeriodFields = dict[str, tuple[tuple[str, str, Mapping[str, Span], Span], ...]]
"""By event type: each field naming the period an event reports on (a periodic rule's period
field), the kind of period, the scheme's periods by name, and the period just before them."""


@dataclass
class State:
    """Every unit's and item's kept events, the id index and the running digest."""

    units: dict[str, UnitState]
    categories: frozenset[str]
    adjustment_rules: tuple[str, ...]
    keep: Callable[[CompactEvent], bool]
    # The days a ledger of the scheme takes, and what each period field may name.
    days: LedgerDays = field(default_factory=LedgerDays)
    period_fields: PeriodFields = field(default_factory=dict)
    # The bands the points some rules take from an event field must fall in, by event type.
    bands: Bands = field(default_factory=dict)
    # Each item's events, in scoring order.
    items: dict[str, list[LifecycleEvent]] = field(default_factory=dict)
    # The scheme's own event types whose events name an item (`item: true`), and those
    # events a rule may read, by item, in scoring order: they reach the item's co-handlers.
    item_kinds: frozenset[str] = frozenset()
    item_events: dict[str, list[CompactEvent]] = field(default_factory=dict)
    # Every id taken: its event's fingerprint, and where it was read (file index, line).
    ids: IdIndex = field(default_factory=IdIndex)
    sources: list[str] = field(default_factory=list)
    source_index: dict[str, int] = field(default_factory=dict)
    digest: int = 0
    count: int = 0

    def origin(self, where: int, pending: Sequence[str] = ()) -> Origin:
        """The file and line of `where`; `pending` are the sources of a batch not yet taken."""
        index = where >> LINE_BITS & ((1 << FILE_BITS) - 1)
        known = len(self.sources)
        name = self.sources[index] if index < known else pending[index - known]
        return Origin(name, where & ((1 << LINE_BITS) - 1))

    def digest_hex(self) -> str:
        return digest_hex(self.digest)


def fingerprint(values: tuple[object, ...]) -> int:
    """The sha256 of an event's values as a JSON array (in sorted field-name order).

    The same event gives the same fingerprint in every process and from every
    format (JSON, CSV, in-memory records), since it hashes validated values.
    """
    return int.from_bytes(hashlib.sha256(to_json(values)).digest())


def digest_hex(total: int) -> str:
    return f"{total & DIGEST:064x}"


def first_assignment(events: Iterable[LifecycleEvent]) -> AssignmentEvent | None:
    """The assignment in force: the first in scoring order (`events` are in that order)."""
    for event in events:
        if event.type == ITEM_ASSIGNED:
            return event
    return None
