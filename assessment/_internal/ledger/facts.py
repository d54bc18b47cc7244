"""A unit's facts as of a date: what the rules read, drawn from the scoring state.

Here the item lifecycle of the event contract (assigned → extended → closed /
assessed) becomes facts; the state has checked it. Rules never see raw
streams: they read these facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from assessment._internal.base.arith import Q, fraction
from assessment._internal.ledger.holdings import ITEM_ASSIGNED, ITEM_TYPES, State, UnitState
from assessment._internal.load.records import (
    AssessmentEvent,
    AssignmentEvent,
    ClosureEvent,
    CompactEvent,
    ExtensionEvent,
    LifecycleEvent,
    sort_key,
)

__all__ = ["FoldSpec", "ItemFacts", "Standing", "UnitFacts", "facts_of", "fold_spec", "role"]


def role(owner: object, unit: str) -> str:
    """The role of `unit` in what `owner` leads (an item's or an event's unit): `lead` for the
    owner itself, else `cohandler`. The one place this decision is made."""
    return "lead" if owner == unit else "cohandler"


class Standing(NamedTuple):
    """An item's completion as of a date, when that was settled, and why."""

    completion: Q
    when: date
    reason: str  # assessed, closed, closed_late or open


@dataclass(slots=True)
class ItemFacts:
    """One supervised item, as of the scoring date."""

    assigned: AssignmentEvent
    due: date
    extensions: list[ExtensionEvent] = field(default_factory=list)
    closed: ClosureEvent | None = None
    assessed: AssessmentEvent | None = None

    @property
    def category(self) -> str:
        return str(self.assigned.category)

    def role(self, unit: str) -> str:
        """`lead` for the unit the item was assigned to, else `cohandler`."""
        return role(self.assigned.unit, unit)

    def standing(
        self, as_of: date, *, late_closure: str = "incomplete", item_counts: str = "when_due"
    ) -> Standing | None:
        """How complete the item is as of `as_of`, or None while it does not count yet.

        The one reading of an item that every rule kind shares: it counts once
        closed or assessed, or once its deadline in force has passed (or from its
        assignment, with `item_counts: when_assigned`). It is complete when closed
        by that deadline (or at all, with `late_closure: complete`); the latest
        year-end assessment overrides with its fraction.
        """
        if self.assessed is not None:
            return Standing(fraction(self.assessed.completion), self.assessed.date, "assessed")
        closed = self.closed
        if closed is not None:
            if closed.date <= self.due or late_closure == "complete":
                return Standing(1, closed.date, "closed")
            return Standing(0, closed.date, "closed_late")
        if self.due <= as_of or item_counts == "when_assigned":
            return Standing(0, min(self.due, as_of), "open")
        return None

    def event_ids(self) -> tuple[str, ...]:
        ids = [self.assigned.id, *(e.id for e in self.extensions)]
        ids += [e.id for e in (self.closed, self.assessed) if e is not None]
        return tuple(ids)


@dataclass(slots=True)
class UnitFacts:
    """What a unit's events established, as of the scoring date.

    `items` holds the items the unit leads and those it co-handles, by id; `by_type`
    the events the rules count, in scoring order; `latest` the event that last
    recorded each finding field.
    """

    unit: str = ""
    items: dict[str, ItemFacts] = field(default_factory=dict)
    by_type: dict[str, list[CompactEvent]] = field(default_factory=dict)
    latest: dict[tuple[str, str], CompactEvent] = field(default_factory=dict)


@dataclass(frozen=True)
class FoldSpec:
    """Which facts the compiled rules need, so that the state keeps nothing else."""

    keep_types: frozenset[str]
    findings: frozenset[tuple[str, str]]
    # The finding fields of each event type, looked up once per event.
    fields_by_type: dict[str, tuple[str, ...]] = field(compare=False)


def fold_spec(keep_types: frozenset[str], findings: frozenset[tuple[str, str]]) -> FoldSpec:
    """The spec keeping events of `keep_types` and the latest of each finding field."""
    grouped: dict[str, tuple[str, ...]] = {}
    for kind, name in sorted(findings):
        grouped[kind] = (*grouped.get(kind, ()), name)
    return FoldSpec(keep_types, findings, grouped)


def _item(events: list[LifecycleEvent], as_of: date) -> ItemFacts | None:
    """An item's facts from its events (in scoring order), or None if not assigned by `as_of`."""
    facts: ItemFacts | None = None
    for event in events:
        if event.date > as_of:
            break
        # The tag is compared on the event itself, which narrows its type (a copy would not).
        if facts is None:
            if event.type == ITEM_ASSIGNED:
                facts = ItemFacts(event, event.due)
            continue
        if event.unit != facts.assigned.unit:
            continue  # only the lead's own events move its item (the checks ensure it)
        if event.type == "item_extended":
            facts.extensions.append(event)
            facts.due = event.due
        elif event.type == "item_closed":
            facts.closed = event
        elif event.type == "item_assessed":
            facts.assessed = event
    return facts


def _gather(
    found: ItemFacts, kinds: frozenset[str], by_type: dict[str, list[CompactEvent]]
) -> None:
    """Add an item's events of `kinds` to `by_type`."""
    if found.extensions and "item_extended" in kinds:
        by_type.setdefault("item_extended", []).extend(found.extensions)
    for event in (found.assigned, found.closed, found.assessed):
        if event is not None and event.type in kinds:
            by_type.setdefault(event.type, []).append(event)


def _gather_item_events(
    found: ItemFacts,
    events: list[CompactEvent],
    facts: UnitFacts,
    kinds: frozenset[str],
    as_of: date,
) -> None:
    """Add the events of item-scoped types naming an item that reach the unit: its own, and
    the lead's (an event about the item as a whole reaches its co-handlers, as the item's own
    events do); a co-handler's event is about its own part only."""
    reaching = (facts.unit, found.assigned.unit)
    by_type = facts.by_type
    for event in events:
        if event.date > as_of:
            break  # kept in scoring order
        if event.type in kinds and event.unit in reaching:
            by_type.setdefault(event.type, []).append(event)


def facts_of(state: State, unit: str, spec: FoldSpec, as_of: date) -> UnitFacts:
    """The facts of `unit` as of `as_of` (events dated later are not seen).

    The state keeps each item's and unit's events in scoring order, so the
    facts are read off in one pass.
    """
    own: UnitState = state.units[unit]
    facts = UnitFacts(unit)
    by_type = facts.by_type
    keep = spec.keep_types
    from_items = keep & ITEM_TYPES  # item events some rule counts one by one
    scoped = keep & state.item_kinds  # the scheme's item-scoped types some rule reads
    items, state_items, item_events = facts.items, state.items, state.item_events
    for item in own.items:
        found = _item(state_items[item], as_of)
        if found is None:
            continue
        items[item] = found
        if from_items:
            _gather(found, from_items, by_type)
        if scoped and item in item_events:
            _gather_item_events(found, item_events[item], facts, scoped, as_of)
    fields_by_type = spec.fields_by_type
    latest = facts.latest
    for event in own.kept:
        if event.date > as_of:
            break
        kind = event.type
        if kind in keep:
            by_type.setdefault(kind, []).append(event)
        for name in fields_by_type.get(kind, ()):
            if getattr(event, name) is not None:
                latest[(kind, name)] = event  # the kept events are in scoring order
    for kind in from_items | scoped:  # gathered item by item: put them in scoring order
        if kind in by_type:
            by_type[kind].sort(key=sort_key)
    return facts
