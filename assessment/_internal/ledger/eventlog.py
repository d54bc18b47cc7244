"""A validated event stream held in memory, ready to be scored."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from assessment._internal.base.exported import exported
from assessment._internal.ledger.holdings import digest_hex, fingerprint
from assessment._internal.load.records import sort_key, values_of_model
from assessment.events import Event

__all__ = ["EventLog", "event_sort_key"]

event_sort_key = sort_key


@exported
@dataclass(frozen=True)
class EventLog:
    """Validated events, duplicates removed, in scoring order (`event_sort_key`).

    Build one with `read_events` or `parse_events`, which check the whole
    contract; the constructor only sorts. `digest` does not depend on the order.
    """

    events: tuple[Event, ...]
    digest: str = field(default="")

    @classmethod
    def of(cls, events: Iterable[Event]) -> EventLog:
        ordered = tuple(sorted(events, key=sort_key))
        total = sum(fingerprint(values_of_model(event)) for event in ordered)
        return cls(ordered, digest_hex(total))

    def __len__(self) -> int:
        return len(self.events)
