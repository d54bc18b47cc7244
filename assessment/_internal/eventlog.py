"""A validated event stream, ready to be scored."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from assessment.events import Event

__all__ = ["EventLog", "event_sort_key"]


# Within one day an item's lifecycle runs in contract order: an item assigned and
# closed on the same day is closed after it was assigned, whatever its event ids.
_STAGE = {"item_assigned": 0, "item_extended": 1, "item_closed": 2, "item_assessed": 3}


def event_sort_key(event: Event) -> tuple[object, int, str]:
    """Events are scored in date order, then lifecycle stage; the id breaks the remaining
    ties so input order never matters."""
    return (event.date, _STAGE.get(event.type, len(_STAGE)), event.id)


@dataclass(frozen=True)
class EventLog:
    """Validated events, duplicates removed, in scoring order (`event_sort_key`).

    Build one with `read_events` or `parse_events`, which check the whole
    contract; the constructor only sorts.
    """

    events: tuple[Event, ...]
    digest: str = field(default="")

    @classmethod
    def of(cls, events: Iterable[Event]) -> EventLog:
        ordered = tuple(sorted(events, key=event_sort_key))
        sha = hashlib.sha256()
        for event in ordered:
            # Absent optional fields are left out, so a contract that gains one keeps digests.
            sha.update(event.model_dump_json(exclude_none=True).encode("utf-8"))
            sha.update(b"\n")
        return cls(ordered, sha.hexdigest())

    def __len__(self) -> int:
        return len(self.events)
