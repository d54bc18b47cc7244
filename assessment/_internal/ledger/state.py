"""The scoring state: what the rules need of the events, kept per item and per unit.

Events arrive in batches (a file, a night's ledger entries) in any order. A
batch is checked against the contract together with the state it joins, as
if the whole stream had been read at once, and then folded in; a batch with
any problem is refused whole and leaves the state as it was.

What the state keeps grows with the items, not with the events: an event no
rule can use (a commendation the scheme does not reward) is checked, counted
in the digest and dropped; the id index keeps a fingerprint, not the event.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from pydantic_core import to_json

from assessment._internal.ledger.idindex import IdIndex
from assessment._internal.load.periods import Span
from assessment._internal.load.records import LIFECYCLE, Compact, sort_key
from assessment._internal.text.problems import ProblemList
from assessment._internal.text.pydantic_errors import Origin, did_you_mean
from assessment.errors import EventsError, Problem

__all__ = [
    "ITEM_ASSIGNED",
    "ITEM_TYPES",
    "Batch",
    "LedgerDays",
    "PeriodFields",
    "State",
    "UnitState",
    "digest_hex",
    "fingerprint",
]

ITEM_ASSIGNED = LIFECYCLE[0]
ITEM_TYPES = frozenset(LIFECYCLE)

_LINE_BITS = 24  # MAX_LINES (10 million) fits
_FILE_BITS = 32  # sources: files, or named batches of records
_FINGERPRINT = (1 << 64) - 1
_DIGEST = (1 << 256) - 1


@dataclass(slots=True)
class UnitState:
    """A unit's part of the state: the items it leads or co-handles (by id), the other
    events kept (in scoring order)."""

    items: list[str] = field(default_factory=list)
    kept: list[Compact] = field(default_factory=list)


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
    keep: Callable[[Compact], bool]
    # The days a ledger of the scheme takes, and what each period field may name.
    days: LedgerDays = field(default_factory=LedgerDays)
    period_fields: PeriodFields = field(default_factory=dict)
    # Each item's events, in scoring order.
    items: dict[str, list[Compact]] = field(default_factory=dict)
    # Every id taken: its event's fingerprint, and where it was read (file index, line).
    ids: IdIndex = field(default_factory=IdIndex)
    sources: list[str] = field(default_factory=list)
    source_index: dict[str, int] = field(default_factory=dict)
    digest: int = 0
    count: int = 0

    def origin(self, where: int, pending: Sequence[str] = ()) -> Origin:
        """The file and line of `where`; `pending` are the sources of a batch not yet taken."""
        index = where >> _LINE_BITS & ((1 << _FILE_BITS) - 1)
        known = len(self.sources)
        name = self.sources[index] if index < known else pending[index - known]
        return Origin(name, where & ((1 << _LINE_BITS) - 1))

    def digest_hex(self) -> str:
        return digest_hex(self.digest)


_sha256 = hashlib.sha256
_to_json = to_json


def fingerprint(values: tuple[object, ...]) -> int:
    """The sha256 of an event's values as a JSON array (in sorted field-name order).

    The same event gives the same fingerprint in every process and from every
    format (JSON, CSV, in-memory records), since it hashes validated values.
    """
    return int.from_bytes(hashlib.sha256(to_json(values)).digest())


def digest_hex(total: int) -> str:
    return f"{total & _DIGEST:064x}"


@dataclass(slots=True)
class _Lifecycle:
    """An item as of the event being checked: what set its due date in force, its closure."""

    due_set_by: Compact
    closed: Compact | None = None


class Batch:
    """New events checked against the state they join; `commit` folds them in."""

    def __init__(self, state: State, *, checked: bool = True, retain: bool = False) -> None:
        self.state = state
        self.checked = checked
        # Every accepted event, for callers that want the events themselves (an EventLog).
        self.accepted: list[Compact] | None = [] if retain else None
        self.ids = IdIndex()
        self.items: dict[str, list[Compact]] = {}
        self.kept: dict[str, list[Compact]] = {}
        # Sources (files, named batches of records) first seen in this batch.
        self.sources: list[str] = []
        # Each touched item's whole history in scoring order, once checked (for the commit).
        self.ordered: dict[str, list[Compact]] = {}
        # The first valid assignment of each item in the batch, as it arrived.
        self.assigned: dict[str, Compact] = {}
        # References (a commendation's item) waiting for their item's assignment: the
        # referring units and where each was read, in an array (a shuffled stream can
        # hold about half its references here at once).
        self.pending: dict[str, tuple[list[str], array[int]]] = {}
        self.problems = ProblemList()
        # Problems about an item, dropped if a record naming the item fails validation.
        self.item_problems: list[tuple[str, Problem]] = []
        self.suspect: set[str] = set()
        # Events dated outside the ledger's days, and events after the period ends that do
        # not complete it: how many, and where the first was read (its place, date, type).
        self.outside = 0
        self.first_outside: tuple[int, date] | None = None
        self.late = 0
        self.first_late: tuple[int, date, str] | None = None
        self.digest = 0
        self.count = 0

    # ------------------------------------------------------------ per event

    def source(self, name: str) -> int:
        """The base of `where` for lines of `name`: add the line number to it."""
        index = self.state.source_index.get(name)
        if index is None:
            if name not in self.sources:
                if len(self.state.sources) + len(self.sources) >= 1 << _FILE_BITS:
                    raise ValueError("too many sources for one Scorer: start a new one")
                self.sources.append(name)
            index = len(self.state.sources) + self.sources.index(name)
        return index << _LINE_BITS

    def origin(self, where: int) -> Origin:
        return self.state.origin(where, self.sources)

    def expect(self, events: int) -> None:
        """About `events` more events are coming (a file's size says so): make room at once."""
        self.ids.reserve(events)

    def adder(self) -> Callable[[Compact, tuple[object, ...], int], None]:  # noqa: PLR0915
        """The per-event step, with everything it uses bound once: it runs for every event.

        One function on purpose: splitting it would cost a call per event.
        """
        state = self.state
        units, old_ids, ids, items = state.units, state.ids, self.ids, self.items
        old_find, old_prints, claim, prints = old_ids.find, old_ids.prints, ids.claim, ids.prints
        taken_before = len(old_ids) > 0  # the state's index is left alone until the commit
        kept, keep, checked, accepted = self.kept, state.keep, self.checked, self.accepted
        categories, assigned, pending = state.categories, self.assigned, self.pending
        sha256, dumps, from_bytes = _sha256, _to_json, int.from_bytes
        mask = _FINGERPRINT
        share = object.__setattr__
        unit_names = {unit: unit for unit in units}
        days = state.days
        low, end, high, after_end = days.start, days.end, days.until, days.after_end
        period_fields = state.period_fields

        def add(event: Compact, values: tuple[object, ...], where: int) -> None:  # noqa: PLR0912, PLR0915
            """Check what one event can be checked for alone, then hold it for the batch."""
            ident = event.id
            print_ = from_bytes(sha256(dumps(values)).digest())  # `fingerprint`, inlined
            if checked:
                if taken_before and (seen := old_find(ident)) >= 0:
                    if old_prints[seen] != print_ & mask:
                        self._reused(ident, old_ids.wheres[seen], where)
                    return  # an identical re-delivery is dropped
                if (seen := claim(ident, print_, where)) >= 0:
                    if prints[seen] != print_ & mask:
                        self._reused(ident, ids.wheres[seen], where)
                    return
            else:  # a log checked already: indexed all the same, for the batches after it
                claim(ident, print_, where)
            self.digest += print_
            self.count += 1
            if accepted is not None:
                accepted.append(event)
            kind = event.type
            unit = event.unit
            if checked and not low <= event.date <= end:
                if not low <= event.date <= high:
                    self._outside(event.date, where)
                elif kind not in after_end:
                    self._after_end(event.date, kind, where)
            # One string object per unit and per item id: parsers make a copy per line.
            canonical = unit_names.get(unit)
            known = canonical is not None
            if not known:
                if checked:
                    self._fault(where, "unit", _unknown("unit", unit, units, "the roster"))
            elif canonical is not unit:
                share(event, "unit", canonical)
            if kind in ITEM_TYPES:
                # Held even for an unknown unit: an assignment still names its item.
                item = event.item
                held = items.get(item)
                if held is None:
                    items[item] = [event]
                else:
                    named = held[0].item
                    if named is not item:
                        share(event, "item", named)
                    held.append(event)
                if kind == ITEM_ASSIGNED and known and checked:
                    if event.category not in categories or event.cohandlers:
                        self._check_assignment(event, where)
                    if item not in assigned:
                        assigned[item] = event
                        waiting = pending.pop(item, None)
                        if waiting is not None:
                            for other, at in zip(*waiting, strict=True):
                                self._check_owner(item, other, at, event)
                return
            if not known:
                return
            if checked:
                if kind in period_fields and low <= event.date <= high:  # else: another year
                    self._check_periods(event, period_fields[kind], where)
                if kind == "commendation" and event.item is not None:
                    self._reference(event.item, unit, where)
                elif kind == "adjustment" and event.rule not in state.adjustment_rules:
                    known_rules = state.adjustment_rules or ("(the scheme has no adjustment rule)",)
                    message = _unknown("adjustment rule", event.rule, known_rules, "the scheme")
                    self._fault(where, "rule", message)
            if keep(event):
                held = kept.get(unit)
                if held is None:
                    kept[unit] = [event]
                else:
                    held.append(event)

        return add

    def _reference(self, item: str, unit: str, where: int) -> None:
        """A commendation names an item: check it is the unit's now, or once it is assigned.

        Checking as soon as the assignment is known keeps only references that
        arrive before their item's assignment, not every reference.
        """
        first = self.assigned.get(item)
        if first is None:
            earlier = self.state.items.get(item)
            first = _first_assignment(earlier) if earlier else None
        if first is not None:
            self._check_owner(item, unit, where, first)
        else:
            waiting = self.pending.get(item)
            if waiting is None:
                self.pending[item] = waiting = ([], array("Q"))
            waiting[0].append(unit)
            waiting[1].append(where)

    def _outside(self, day: date, where: int) -> None:
        self.outside += 1
        if self.first_outside is None:
            self.first_outside = (where, day)

    def _after_end(self, day: date, kind: str, where: int) -> None:
        self.late += 1
        if self.first_late is None:
            self.first_late = (where, day, kind)

    def _check_periods(
        self,
        event: Compact,
        fields: tuple[tuple[str, str, Mapping[str, Span], Span], ...],
        where: int,
    ) -> None:
        """A period an event reports on is one of the scheme's, and has begun by the event.

        A report for the period just before the scheme's first (last December's, arriving in
        January) belongs to last year's scoring: it is taken, as an export by date holds it,
        while it is dated within the scheme's first period; later it is most likely a slip
        of the year, and refused.
        """
        for name, every, spans, before in fields:
            key = getattr(event, name)
            if key is None:
                continue
            span = spans.get(key)
            first = next(iter(spans.values()))
            if key == before.key and event.date <= first.last:
                continue
            if span is None:
                known = list(spans)
                message = (
                    f"{every} {key} is not in the scheme's period ({known[0]} to {known[-1]}): "
                    f"check the {every}, or the scheme (is this the ledger of another year?)"
                )
                if key == before.key:
                    message = (
                        f"{every} {key} is the one before the scheme's period: its report is "
                        f"taken only until {first.last}, as a late one (dated {event.date}, it "
                        f"is most likely a slip for another {every}): check the {every}"
                    )
                self._fault(where, name, message)
            elif event.date < span.first:
                message = (
                    f"{event.date} is before the {every} it reports on, {key}, begins "
                    f"({span.first}): check the date or the {every}"
                )
                self._fault(where, "date", message)

    def _reused(self, ident: str, first_where: int, where: int) -> None:
        first = self.origin(first_where)
        message = (
            f"id '{ident}' is already used by a different event "
            f"({first.named_from(self.origin(where))}): give each event its own id"
        )
        self._fault(where, "id", message)

    def _fault(self, where: int, path: str, message: str) -> None:
        origin = self.origin(where)
        self.problems.append(Problem(origin.file, origin.line, 0, path, message))

    def _check_assignment(self, event: Compact, where: int) -> None:
        categories = self.state.categories
        if event.category not in categories:
            self._fault(
                where, "category", _unknown("category", event.category, categories, "the scheme")
            )
        seen: set[str] = set()
        units = self.state.units
        for unit in event.cohandlers or ():
            if unit not in units:
                self._fault(where, "cohandlers", _unknown("unit", unit, units, "the roster"))
            elif unit == event.unit:
                message = f"'{unit}' leads the item: it cannot also co-handle it"
                self._fault(where, "cohandlers", message)
            elif unit in seen:
                self._fault(where, "cohandlers", f"'{unit}' is listed twice")
            seen.add(unit)

    # ------------------------------------------------------------ whole batch

    def _where_of(self, event: Compact) -> int:
        for ids in (self.ids, self.state.ids):
            entry = ids.find(event.id)
            if entry >= 0:
                return ids.wheres[entry]
        raise AssertionError(f"event {event.id!r} was checked without being indexed")

    def _events_of(self, item: str) -> list[Compact]:
        return sorted([*self.state.items.get(item, ()), *self.items.get(item, ())], key=sort_key)

    def _assignment(self, item: str) -> Compact | None:
        return _first_assignment(self.ordered.get(item) or self._events_of(item))

    def check(self) -> None:
        """Check every item the batch touches over its whole history, and the references."""
        if not self.checked:
            return
        ordered, earlier = self.ordered, self.state.items
        for item, new in self.items.items():
            if item in earlier:
                events = self._events_of(item)
            else:  # sorted where it lies: no second list per item
                new.sort(key=sort_key)
                events = new
            ordered[item] = events
            if item not in self.suspect:
                self._check_item(item, events)
        for item, waiting in self.pending.items():
            for unit, where in zip(*waiting, strict=True):
                self._check_owner(item, unit, where, self._assignment(item))
        suspect = self.suspect
        self.problems += [p for item, p in self.item_problems if item not in suspect]
        if self.first_outside is not None:
            self.problems.append(self._outside_problem(*self.first_outside))
        if self.first_late is not None:
            self.problems.append(self._after_end_problem(*self.first_late))
        if self.problems:
            raise EventsError(self.problems, more=self.problems.more)

    def _outside_problem(self, where: int, day: date) -> Problem:
        """One problem for every event dated outside the ledger's days, at the first of them."""
        days = self.state.days
        origin = self.origin(where)
        count = self.outside
        many = "1 event is" if count == 1 else f"{count} events are"
        message = (
            f"{many} dated outside the days the scheme takes ({days.start} to {days.until}); "
            f"the first, here, on {day}: is this the ledger of another year, or the wrong "
            "scheme? (A scheme whose ledger runs on after its period says so with "
            "period.events_until)"
        )
        return Problem(origin.file, origin.line, 0, "date", message)

    def _after_end_problem(self, where: int, day: date, kind: str) -> Problem:
        """One problem for every event after the period that does not complete it."""
        days = self.state.days
        origin = self.origin(where)
        count = self.late
        noun, verb = ("1 event", "does") if count == 1 else (f"{count} events", "do")
        message = (
            f"{noun} dated after the period ends ({days.end}) {verb} not complete it: the days up "
            f"to {days.until} take only late reports on its periods, closures and year-end "
            f"assessments of its items, and adjustments; the first, here, a {kind} on {day}, "
            "belongs to the next period's ledger"
        )
        return Problem(origin.file, origin.line, 0, "date", message)

    def _check_item(self, item: str, events: list[Compact]) -> None:
        """Walk an item's events in scoring order; where they were read is looked up on a fault."""
        units = self.state.units
        first = _first_assignment(events)
        lifecycle: _Lifecycle | None = None
        for event in events:
            if event.unit not in units:
                continue  # reported on arrival; the item checks would only repeat it
            if event.type == ITEM_ASSIGNED:
                if event is first:
                    lifecycle = _Lifecycle(event)
                else:
                    assert first is not None
                    where = self._where_of(event)
                    message = (
                        f"item '{item}' is already assigned by event '{first.id}' "
                        f"({self._named(first, where)}): an item is assigned only once"
                    )
                    self._fault(where, "item", message)
                continue
            if first is None or first.unit != event.unit:
                self._check_owner(item, event.unit, self._where_of(event), first)
                continue
            if lifecycle is None:
                where = self._where_of(event)
                message = (
                    f"{event.date} is before item '{item}' was assigned, "
                    f"on {first.date} ({self._named(first, where)})"
                )
                self._fault(where, "date", message)
                continue
            self._apply(event, lifecycle)

    def _named(self, event: Compact, seen_from: int) -> str:
        """Where `event` was read, as seen from the line at `seen_from`."""
        origin = self.origin(self._where_of(event))
        return origin.named_from(self.origin(seen_from))

    def _check_owner(self, item: str, unit: str, where: int, first: Compact | None) -> bool:
        """Whether `item` is assigned to `unit`; if not, the problem (dropped if the item is
        suspect: a record naming it failed validation, so any verdict could be wrong)."""
        if first is None:
            hint = did_you_mean(item, self._assigned_items(unit))
            self._item_fault(item, where, f"item '{item}' was never assigned{hint}")
            return False
        if first.unit != unit:
            origin = self.origin(where)
            assigned_at = self.origin(self._where_of(first))
            message = (
                f"item '{item}' is assigned to '{first.unit}' "
                f"({assigned_at.named_from(origin)}), not to '{unit}'"
            )
            self._item_fault(item, where, message)
            return False
        return True

    def _item_fault(self, item: str, where: int, message: str) -> None:
        origin = self.origin(where)
        self.item_problems.append((item, Problem(origin.file, origin.line, 0, "item", message)))

    def _assigned_items(self, unit: str) -> list[str]:
        """Every assigned item of `unit`, else every assigned item: for did-you-mean."""
        every: dict[str, str] = {}
        for source in (self.state.items, self.items):
            for item, events in source.items():
                for event in events:
                    if event.type == ITEM_ASSIGNED:
                        every.setdefault(item, event.unit)
        mine = [item for item, owner in every.items() if owner == unit]
        return mine or list(every)

    def _apply(self, event: Compact, state: _Lifecycle) -> None:
        kind = event.type
        if kind == "item_assessed":
            return  # an evaluation may follow the closure: it overrides the ledger
        if state.closed is not None:
            what = "extended" if kind == "item_extended" else "closed again"
            where = self._where_of(event)
            message = (
                f"item '{event.item}' cannot be {what}: it was closed on {state.closed.date} "
                f"({self._named(state.closed, where)})"
            )
            self._fault(where, "item", message)
        elif kind == "item_closed":
            state.closed = event
        elif event.due <= state.due_set_by.due:
            where = self._where_of(event)
            message = (
                f"{event.due} is not later than the due date in force, {state.due_set_by.due} "
                f"({self._named(state.due_set_by, where)})"
            )
            self._fault(where, "due", message)
        else:
            state.due_set_by = event

    # ------------------------------------------------------------ commit

    def _link(
        self, item: str, old: list[Compact] | None, events: list[Compact], touched: set[str]
    ) -> None:
        """List `item` under the units its assignment in force names (lead, co-handlers)."""
        units = self.state.units
        first = events[0] if events[0].type == ITEM_ASSIGNED else _first_assignment(events)
        if first is None:
            return
        was = _first_assignment(old) if old else None
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

    def commit(self) -> set[str]:
        """Fold the checked batch into the state; return the units whose scores may change."""
        state = self.state
        units = state.units
        touched: set[str] = set()
        if state.ids:
            state.ids.merge(self.ids)
        else:
            state.ids = self.ids
        # Kept in scoring order, so that scoring reads them off without sorting.
        for unit, new in self.kept.items():
            own = units[unit]
            kept = own.kept + new if own.kept else new
            kept.sort(key=sort_key)
            own.kept = kept
            touched.add(unit)
        ordered = self.ordered
        if not state.items and len(ordered) == len(self.items):
            state.items = ordered  # a first batch, checked: its ordered lists are the state
            for item, events in ordered.items():
                self._link(item, None, events, touched)
        else:
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
        touched &= units.keys()
        for unit in touched:  # by item id: the order rules list items in
            units[unit].items.sort()
        for name in self.sources:
            state.source_index[name] = len(state.sources)
            state.sources.append(name)
        state.digest = (state.digest + self.digest) & _DIGEST
        state.count += self.count
        return touched


def _first_assignment(events: Iterable[Compact]) -> Compact | None:
    """The assignment in force: the first in scoring order (`events` are in that order)."""
    for event in events:
        if event.type == ITEM_ASSIGNED:
            return event
    return None


def _unknown(what: str, value: str, known: Iterable[str], where: str) -> str:
    choices = sorted(set(known))
    hint = did_you_mean(value, choices)
    if hint:
        return f"unknown {what} '{value}'{hint}"
    if len(choices) <= 12:
        return f"unknown {what} '{value}': {where} has {', '.join(choices)}"
    return f"unknown {what} '{value}': {where} has no such {what}"
