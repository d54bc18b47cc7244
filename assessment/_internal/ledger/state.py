"""Folding events into the scoring state: the only code that changes it.

Events arrive in batches (a file, a night's ledger entries) in any order. A
batch holds its events, has the contract (`ledger/contract.py`) check them
together with the state they join, as if the whole stream had been read at
once, and then `commit` folds them in; a batch with any problem is refused
whole and leaves the state as it was.

What the state keeps grows with the items, not with the events: an event no
rule can use (a commendation the scheme does not reward) is checked, counted
in the digest and dropped; the id index keeps a fingerprint, not the event.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import cast

from pydantic_core import to_json

from assessment._internal.ledger.contract import Contract
from assessment._internal.ledger.holdings import (
    DIGEST,
    FILE_BITS,
    ITEM_ASSIGNED,
    ITEM_TYPES,
    LINE_BITS,
    State,
    first_assignment,
)
from assessment._internal.ledger.idindex import IdIndex
from assessment._internal.load.records import CompactEvent, ItemEvent, LifecycleEvent, sort_key
from assessment._internal.text.pydantic_errors import Origin
from assessment.errors import ArgumentError, Problem

# The state's shape is holdings.py's; its names here are for facts.py, until it imports them there.
__all__ = ["Batch", "forget_ids"]

_FINGERPRINT = (1 << 64) - 1
_sha256 = hashlib.sha256
_to_json = to_json

Adder = Callable[[CompactEvent, tuple[object, ...], int], None]


class Batch:
    """New events checked against the state they join; `commit` folds them in."""

    def __init__(self, state: State, *, checked: bool = True, retain: bool = False) -> None:
        self.state = state
        self.checked = checked
        # Every accepted event, for callers that want the events themselves (an EventLog).
        self.accepted: list[CompactEvent] | None = [] if retain else None
        self.ids = IdIndex()
        self.items: dict[str, list[LifecycleEvent]] = {}
        self.kept: dict[str, list[CompactEvent]] = {}
        # Events of the scheme's item-scoped types a rule may read, by the item they name.
        self.item_events: dict[str, list[CompactEvent]] = {}
        # Sources (files, named batches of records) first seen in this batch.
        self.sources: list[str] = []
        self.contract = Contract(state, self.ids, self.items, self.sources)
        # Each touched item's whole history in scoring order, once checked (for the commit).
        self.ordered: dict[str, list[LifecycleEvent]] = {}
        self.digest = 0
        self.count = 0

    # ------------------------------------------------------------ what readers hand it

    def source(self, name: str) -> int:
        """The base of `where` for lines of `name`: add the line number to it."""
        index = self.state.source_index.get(name)
        if index is None:
            if name not in self.sources:
                if len(self.state.sources) + len(self.sources) >= 1 << FILE_BITS:
                    raise ArgumentError("too many sources for one Scorer: start a new one")
                self.sources.append(name)
            index = len(self.state.sources) + self.sources.index(name)
        return index << LINE_BITS

    def origin(self, where: int) -> Origin:
        return self.state.origin(where, self.sources)

    def expect(self, events: int) -> None:
        """About `events` more events are coming (a file's size says so): make room at once."""
        self.ids.reserve(events)

    def problem(self, problem: Problem) -> None:
        """A problem a reader found: the batch is refused with it."""
        self.contract.problems.append(problem)

    def problem_count(self) -> int:
        """How many problems are listed so far (to tell whether a file added any)."""
        return len(self.contract.problems)

    def suspect(self, item: str) -> None:
        """A record naming `item` failed validation: no verdict on the item's history."""
        self.contract.suspect.add(item)

    def adder(self) -> Adder:
        """The per-event step, with everything it uses bound once: it runs for every event."""
        state, contract, checked = self.state, self.contract, self.checked
        old_ids, ids, accepted = state.ids, self.ids, self.accepted
        old_find, old_prints, claim, prints = old_ids.find, old_ids.prints, ids.claim, ids.prints
        taken_before = len(old_ids) > 0  # the state's index is left alone until the commit
        sha256, dumps, from_bytes, mask = _sha256, _to_json, int.from_bytes, _FINGERPRINT
        unit_names = {unit: unit for unit in state.units}
        low, end = state.days.start, state.days.end
        # Handed only the lifecycle's types (the branch on `event.type` below): said once here.
        file_item = cast("Callable[[CompactEvent, bool, int], None]", self._item_filer())
        file_other = self._other_filer()

        def add(event: CompactEvent, values: tuple[object, ...], where: int) -> None:
            """Check what one event can be checked for alone, then hold it for the batch."""
            ident = event.id
            print_ = from_bytes(sha256(dumps(values)).digest())  # `fingerprint`, inlined
            if checked:
                if taken_before and (seen := old_find(ident)) >= 0:
                    if old_prints[seen] != print_ & mask:
                        contract.reused(ident, old_ids.wheres[seen], where)
                    return  # an identical re-delivery is dropped
                if (seen := claim(ident, print_, where)) >= 0:
                    if prints[seen] != print_ & mask:
                        contract.reused(ident, ids.wheres[seen], where)
                    return
                if not low <= event.date <= end:
                    contract.off_days(event, where)
            else:  # a log checked already: indexed all the same, for the batches after it
                claim(ident, print_, where)
            self.digest += print_
            self.count += 1
            if accepted is not None:
                accepted.append(event)
            # One string object per unit and per item id: parsers make a copy per line.
            unit = unit_names.get(event.unit)
            if unit is None:
                if checked:
                    contract.unknown_unit(event.unit, where)
            elif unit is not event.unit:
                event.unit = unit
            if event.type in ITEM_TYPES:
                file_item(event, unit is not None, where)  # even for an unknown unit
            elif unit is not None:
                file_other(event, unit, where)

        return add

    def _item_filer(self) -> Callable[[LifecycleEvent, bool, int], None]:
        """Holding an item's lifecycle event under its item (one list per item)."""
        items, contract, checked = self.items, self.contract, self.checked

        def file_item(event: LifecycleEvent, known: bool, where: int) -> None:
            item = event.item
            held = items.get(item)
            if held is None:
                items[item] = [event]
            else:
                named = held[0].item
                if named is not item:
                    event.item = named
                held.append(event)
            if known and checked and event.type == ITEM_ASSIGNED:
                contract.assignment(event, where)

        return file_item

    def _other_filer(self) -> Callable[[CompactEvent, str, int], None]:
        """Holding another event under its unit, if a rule can use it."""
        kept, keep, contract, checked = self.kept, self.state.keep, self.contract, self.checked
        item_kinds = self.state.item_kinds
        # Most events have nothing to check here: the contract is called only for those that do.
        checked_kinds = frozenset(
            (*self.state.period_fields, *contract.OTHER_CHECKED, *item_kinds, *self.state.bands)
        )
        file_by_item = self._item_event_filer()

        def file_other(event: CompactEvent, unit: str, where: int) -> None:
            if checked and event.type in checked_kinds:
                contract.other(event, where)
            if item_kinds and event.type in item_kinds:
                file_by_item(event)
            elif keep(event):
                held = kept.get(unit)
                if held is None:
                    kept[unit] = [event]
                else:
                    held.append(event)

        return file_other

    def _item_event_filer(self) -> Callable[[CompactEvent], None]:
        """Holding an event of an item-scoped type under its item, if a rule can use it: the
        item's co-handlers read it there (one string object per item id, as for the items)."""
        held_by_item, keep, items = self.item_events, self.state.keep, self.items

        def file_by_item(event: CompactEvent) -> None:
            if not keep(event):
                return
            item = cast("ItemEvent", event).item
            held = held_by_item.get(item)
            if held is None:
                held_by_item[item] = held = []
            lifecycle = items.get(item)
            if lifecycle is not None and lifecycle[0].item is not item:
                cast("ItemEvent", event).item = lifecycle[0].item
            held.append(event)

        return file_by_item

    # ------------------------------------------------------------ whole batch

    def check(self) -> None:
        """Check every item the batch touches over its whole history, and the references."""
        if self.checked:
            self.ordered = self.contract.check()

    def commit(self) -> set[str]:
        """Fold the checked batch into the state; return the units whose scores may change."""
        state = self.state
        touched: set[str] = set()
        if state.ids:
            state.ids.merge(self.ids)
        else:
            state.ids = self.ids
        # Kept in scoring order, so that scoring reads them off without sorting.
        for unit, new in self.kept.items():
            own = state.units[unit]
            kept = own.kept + new if own.kept else new
            kept.sort(key=sort_key)
            own.kept = kept
            touched.add(unit)
        self._fold_items(touched)
        if self.item_events:
            self._fold_item_events(touched)
        touched &= state.units.keys()
        for unit in touched:  # by item id: the order rules list items in
            state.units[unit].items.sort()
        for name in self.sources:
            state.source_index[name] = len(state.sources)
            state.sources.append(name)
        state.digest = (state.digest + self.digest) & DIGEST
        state.count += self.count
        return touched

    def _fold_item_events(self, touched: set[str]) -> None:
        """Keep the item-scoped events by item, in scoring order; they touch every unit of
        their item (its co-handlers read the lead's)."""
        state = self.state
        for item, new in self.item_events.items():
            old = state.item_events.get(item)
            events = old + new if old else new
            events.sort(key=sort_key)
            state.item_events[item] = events
            touched.update(event.unit for event in new)
            first = first_assignment(state.items.get(item, ()))
            if first is not None:
                touched.update((first.unit, *(first.cohandlers or ())))

    def _fold_items(self, touched: set[str]) -> None:
        state, ordered = self.state, self.ordered
        if not state.items and len(ordered) == len(self.items):
            state.items = ordered  # a first batch, checked: its ordered lists are the state
            for item, events in ordered.items():
                self._link(item, None, events, touched)
            return
        for item, added in self.items.items():
            old = state.items.get(item)
            checked_events = ordered.get(item)
            events = (
                checked_events
                if checked_events is not None
                else sorted([*(old or ()), *added], key=sort_key)  # not checked: order here
            )
            state.items[item] = events
            self._link(item, old, events, touched)

    def _link(
        self,
        item: str,
        old: list[LifecycleEvent] | None,
        events: list[LifecycleEvent],
        touched: set[str],
    ) -> None:
        """List `item` under the units its assignment in force names (lead, co-handlers)."""
        units = self.state.units
        first = events[0] if events[0].type == ITEM_ASSIGNED else first_assignment(events)
        if first is None:
            return
        was = first_assignment(old) if old else None
        holders = (first.unit, *first.cohandlers) if first.cohandlers else (first.unit,)
        if first is not was:
            if was is not None:  # an unchecked batch may bring an earlier assignment
                for unit in (was.unit, *(was.cohandlers or ())):
                    if unit in units and item in units[unit].items:
                        units[unit].items.remove(item)
                        touched.add(unit)
            for unit in holders:
                if unit in units:
                    units[unit].items.append(item)
        touched.update(holders)


def forget_ids(state: State) -> None:
    """Free the index of event ids: the state then takes no more events (`Scorer.seal`)."""
    state.ids = IdIndex()
