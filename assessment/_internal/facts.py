"""Folding a unit's events into the facts rules read.

The fold is the only place that knows the item lifecycle of the event
contract (assigned → extended → closed / assessed). Rules never see raw
streams: they read these facts, as of the scoring date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from assessment.events import (
    Event,
    ItemAssessed,
    ItemAssigned,
    ItemClosed,
    ItemExtended,
)

__all__ = ["ItemFacts", "UnitFacts", "fold"]


@dataclass
class ItemFacts:
    """One supervised item, as of the scoring date."""

    assigned: ItemAssigned
    due: date
    extensions: list[ItemExtended] = field(default_factory=list)
    closed: ItemClosed | None = None
    assessed: ItemAssessed | None = None

    @property
    def category(self) -> str:
        return self.assigned.category

    def role(self, unit: str) -> str:
        """`lead` for the unit the item was assigned to, else `cohandler`."""
        return "lead" if self.assigned.unit == unit else "cohandler"

    def event_ids(self) -> tuple[str, ...]:
        ids = [self.assigned.id, *(e.id for e in self.extensions)]
        ids += [e.id for e in (self.closed, self.assessed) if e is not None]
        return tuple(ids)


@dataclass
class UnitFacts:
    """What a unit's events established, as of the scoring date.

    `items` holds the items the unit leads and those it co-handles.
    """

    unit: str = ""
    items: dict[str, ItemFacts] = field(default_factory=dict)
    by_type: dict[str, list[Event]] = field(default_factory=dict)
    latest: dict[tuple[str, str], Event] = field(default_factory=dict)


@dataclass(frozen=True)
class FoldSpec:
    """Which facts the compiled rules need, so the fold keeps nothing else."""

    keep_types: frozenset[str]
    findings: frozenset[tuple[str, str]]
    # The finding fields of each event type, looked up once per event on the hot path.
    fields_by_type: dict[str, tuple[str, ...]] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        grouped: dict[str, tuple[str, ...]] = {}
        for kind, name in sorted(self.findings):
            grouped[kind] = (*grouped.get(kind, ()), name)
        object.__setattr__(self, "fields_by_type", grouped)


def fold(events: Iterable[Event], spec: FoldSpec, facts: UnitFacts | None = None) -> UnitFacts:
    """Fold events (in date order, all on or before the scoring date) into facts."""
    facts = facts if facts is not None else UnitFacts()
    for event in events:
        kind = event.type
        if kind in spec.keep_types:
            facts.by_type.setdefault(kind, []).append(event)
        for name in spec.fields_by_type.get(kind, ()):
            if getattr(event, name, None) is not None:
                facts.latest[(kind, name)] = event
        _lifecycle(facts, event)
    return facts


def _lifecycle(facts: UnitFacts, event: Event) -> None:
    if isinstance(event, ItemAssigned):
        facts.items[event.item] = ItemFacts(event, event.due)
        return
    if not isinstance(event, ItemExtended | ItemClosed | ItemAssessed):
        return
    item = facts.items.get(event.item)
    if item is None:  # the stream checks make this impossible for validated logs
        return
    if isinstance(event, ItemExtended):
        item.extensions.append(event)
        item.due = event.due
    elif isinstance(event, ItemClosed):
        item.closed = event
    else:
        item.assessed = event
