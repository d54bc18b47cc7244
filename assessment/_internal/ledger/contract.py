"""The event contract across events: every check that needs more than one event to judge.

Ids (a re-used id with other values), units and co-handlers (on the roster),
categories and adjustment rules (in the scheme), item references (a
commendation names an item of its unit), the item lifecycle (assigned once,
extended later, never after closure) and the ledger's days and periods. A
batch hands each event here as it arrives and its items' whole histories
once all have; the problems are worded here, and refuse the batch whole.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import cast

from assessment._internal.ledger.bands import band_fault
from assessment._internal.ledger.holdings import (
    ITEM_ASSIGNED,
    State,
    first_assignment,
)
from assessment._internal.ledger.idindex import IdIndex
from assessment._internal.load.periods import Span, unknown_period
from assessment._internal.load.records import (
    AdjustmentEvent,
    AssessmentEvent,
    AssignmentEvent,
    ClosureEvent,
    CommendationEvent,
    CompactEvent,
    ExtensionEvent,
    ItemEvent,
    LifecycleEvent,
    sort_key,
)
from assessment._internal.text.problems import ProblemList
from assessment._internal.text.pydantic_errors import Origin
from assessment._internal.text.suggest import did_you_mean, known_ones, unknown
from assessment.errors import EventsError, Problem

__all__ = ["Contract"]


@dataclass(slots=True)
class _Lifecycle:
    """An item as of the event being checked: what set its due date in force, its closure."""

    due_set_by: AssignmentEvent | ExtensionEvent
    closed: ClosureEvent | None = None


_UNKNOWN_REFERENCE = "events.unknown_reference"


def _unknown(what: str, value: str, choices: Iterable[str], holder: str) -> str:
    return unknown(what, value, choices, known_ones(what, choices, holder))


class Contract:
    """The checks of one batch against the state it joins, and the problems they find."""

    def __init__(
        self, state: State, ids: IdIndex, items: dict[str, list[LifecycleEvent]], sources: list[str]
    ) -> None:
        self.state = state
        # The batch's own ids, items and sources, as it fills them.
        self.ids, self.items, self.sources = ids, items, sources
        # The first valid assignment of each item in the batch, as it arrived.
        self.assigned: dict[str, AssignmentEvent] = {}
        # References (a commendation's item) waiting for their item's assignment: the
        # referring units, where each was read, in an array (a shuffled stream can hold about
        # half its references here at once), and an item-scoped event's day (an ordinal), or 0.
        self.pending: dict[str, tuple[list[str], array[int], array[int]]] = {}
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

    def origin(self, where: int) -> Origin:
        return self.state.origin(where, self.sources)

    def fault(self, where: int, path: str, message: str, code: str) -> None:
        origin = self.origin(where)
        self.problems.append(Problem(origin.file, origin.line, 0, path, message, code=code))

    # ------------------------------------------------------------ one event at a time

    def reused(self, ident: str, first_where: int, where: int) -> None:
        first = self.origin(first_where)
        message = (
            f"id '{ident}' is already used by a different event "
            f"({first.named_from(self.origin(where))}): give each event its own id"
        )
        self.fault(where, "id", message, "events.duplicate_id")

    def off_days(self, event: CompactEvent, where: int) -> None:
        """An event dated after the period's end: outside the days, or not completing it."""
        days, day = self.state.days, event.date
        if not days.start <= day <= days.until:
            self.outside += 1
            if self.first_outside is None:
                self.first_outside = (where, day)
        elif event.type not in days.after_end:
            self.late += 1
            if self.first_late is None:
                self.first_late = (where, day, event.type)

    def unknown_unit(self, unit: str, where: int) -> None:
        message = _unknown("unit", unit, self.state.units, "the roster")
        self.fault(where, "unit", message, _UNKNOWN_REFERENCE)

    def assignment(self, event: AssignmentEvent, where: int) -> None:
        """An assignment by a unit on the roster: its category, co-handlers, and the
        references that waited for it."""
        state = self.state
        if event.category not in state.categories or event.cohandlers:
            self._check_assignment(event, where)
        item = event.item
        if item not in self.assigned:
            self.assigned[item] = event
            waiting = self.pending.pop(item, None)
            if waiting is not None:
                for other, at, day in zip(*waiting, strict=True):
                    self._check_owner(
                        item, other, at, event, date.fromordinal(day) if day else None
                    )

    # The kinds outside the lifecycle that `other` checks, besides those naming a period.
    OTHER_CHECKED = ("commendation", "adjustment")

    def other(self, event: CompactEvent, where: int) -> None:
        """An event of a unit on the roster outside an item's lifecycle (of a kind that names
        a period, whose points a rule takes within a band, or one of `OTHER_CHECKED`)."""
        kind, state = event.type, self.state
        fields = state.period_fields.get(kind)
        if fields is not None and state.days.start <= event.date <= state.days.until:
            self._check_periods(event, fields, where)  # else: another year, refused already
        # The type says which fields the event has: each cast runs for its own kind only.
        if kind == "commendation" and (item := cast("CommendationEvent", event).item) is not None:
            self._reference(item, event.unit, where)
        elif kind in state.item_kinds:  # a scheme's item-scoped type: lead or co-handler
            self._reference(cast("ItemEvent", event).item, event.unit, where, event.date)
        elif kind == "adjustment":
            rule = cast("AdjustmentEvent", event).rule
            if rule not in state.adjustment_rules:
                known = state.adjustment_rules or ("(the scheme has no adjustment rule)",)
                message = _unknown("adjustment rule", rule, known, "the scheme")
                self.fault(where, "rule", message, _UNKNOWN_REFERENCE)
        bands = state.bands.get(kind)
        if bands is not None and (fault := band_fault(event, bands)) is not None:
            self.fault(where, *fault, "events.band")

    def _reference(self, item: str, unit: str, where: int, day: date | None = None) -> None:
        """A commendation names an item: check it is the unit's now, or once it is assigned
        (with `day`, an event of an item-scoped type: the unit leads or co-handles the item,
        assigned by that day).

        Checking as soon as the assignment is known keeps only references that
        arrive before their item's assignment, not every reference.
        """
        first = self.assigned.get(item)
        if first is None:
            earlier = self.state.items.get(item)
            first = first_assignment(earlier) if earlier else None
        if first is not None:
            self._check_owner(item, unit, where, first, day)
        else:
            waiting = self.pending.get(item)
            if waiting is None:
                self.pending[item] = waiting = ([], array("Q"), array("l"))
            waiting[0].append(unit)
            waiting[1].append(where)
            waiting[2].append(day.toordinal() if day is not None else 0)

    def _check_periods(
        self,
        event: CompactEvent,
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
                message = unknown_period(event.date, every, key, spans, before)
                self.fault(where, name, message, "events.period")
            elif event.date < span.first:
                message = (
                    f"{event.date} is before the {every} it reports on, {key}, begins "
                    f"({span.first}): check the date or the {every}"
                )
                self.fault(where, "date", message, "events.period")

    def _check_assignment(self, event: AssignmentEvent, where: int) -> None:
        categories = self.state.categories
        if event.category not in categories:
            message = _unknown("category", event.category, categories, "the scheme")
            self.fault(where, "category", message, _UNKNOWN_REFERENCE)
        seen: set[str] = set()
        units = self.state.units
        for unit in event.cohandlers or ():
            if unit not in units:
                message = _unknown("unit", unit, units, "the roster")
                self.fault(where, "cohandlers", message, _UNKNOWN_REFERENCE)
            elif unit == event.unit:
                message = f"'{unit}' leads the item: it cannot also co-handle it"
                self.fault(where, "cohandlers", message, "events.invalid_value")
            elif unit in seen:
                message = f"'{unit}' is listed twice"
                self.fault(where, "cohandlers", message, "events.invalid_value")
            seen.add(unit)

    # ------------------------------------------------------------ the whole batch

    def check(self) -> dict[str, list[LifecycleEvent]]:
        """Check every item the batch touches over its whole history, and the references;
        return each touched item's history in scoring order (for the commit)."""
        ordered: dict[str, list[LifecycleEvent]] = {}
        earlier = self.state.items
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
            first = first_assignment(ordered.get(item) or self._events_of(item))
            for unit, where, day in zip(*waiting, strict=True):
                self._check_owner(item, unit, where, first, date.fromordinal(day) if day else None)
        suspect = self.suspect
        self.problems += [p for item, p in self.item_problems if item not in suspect]
        if self.first_outside is not None:
            self.problems.append(self._outside_problem(*self.first_outside))
        if self.first_late is not None:
            self.problems.append(self._after_end_problem(*self.first_late))
        if self.problems:
            raise EventsError(self.problems, more=self.problems.more)
        return ordered

    def _where_of(self, event: CompactEvent) -> int:
        for ids in (self.ids, self.state.ids):
            entry = ids.find(event.id)
            if entry >= 0:
                return ids.wheres[entry]
        raise AssertionError(f"event {event.id!r} was checked without being indexed")

    def _events_of(self, item: str) -> list[LifecycleEvent]:
        return sorted([*self.state.items.get(item, ()), *self.items.get(item, ())], key=sort_key)

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
        return Problem(origin.file, origin.line, 0, "date", message, code="events.date")

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
        return Problem(origin.file, origin.line, 0, "date", message, code="events.date")

    def _check_item(self, item: str, events: list[LifecycleEvent]) -> None:
        """Walk an item's events in scoring order; where they were read is looked up on a fault."""
        units = self.state.units
        first = first_assignment(events)
        lifecycle: _Lifecycle | None = None
        for event in events:
            if event.unit not in units:
                continue  # reported on arrival; the item checks would only repeat it
            if event.type == ITEM_ASSIGNED:
                if event is first:
                    lifecycle = _Lifecycle(event)
                else:
                    assert first is not None
                    message = f"item '{item}' is already assigned by event '{first.id}'"
                    self._against(event, first, "item", message, ": an item is assigned only once")
            elif first is None or first.unit != event.unit:
                self._check_owner(item, event.unit, self._where_of(event), first)
            elif lifecycle is None:
                message = f"{event.date} is before item '{item}' was assigned, on {first.date}"
                self._against(event, first, "date", message)
            else:
                self._apply(event, lifecycle)

    def _against(
        self, event: CompactEvent, earlier: CompactEvent, path: str, message: str, then: str = ""
    ) -> None:
        """A fault at `event`, naming in brackets where `earlier` was read, then `then`."""
        where = self._where_of(event)
        message = f"{message} ({self._named(earlier, where)}){then}"
        self.fault(where, path, message, "events.lifecycle")

    def _named(self, event: CompactEvent, seen_from: int) -> str:
        """Where `event` was read, as seen from the line at `seen_from`."""
        origin = self.origin(self._where_of(event))
        return origin.named_from(self.origin(seen_from))

    def _check_owner(
        self,
        item: str,
        unit: str,
        where: int,
        first: AssignmentEvent | None,
        day: date | None = None,
    ) -> None:
        """Whether `item` is assigned to `unit` (with `day`, an item-scoped event's: as lead or
        co-handler, by that day); if not, the problem (dropped if the item is suspect: a record
        naming it failed validation, so any verdict could be wrong)."""
        if first is None:
            hint = did_you_mean(item, self._assigned_items(unit))
            self._item_fault(item, where, f"item '{item}' was never assigned{hint}")
            return
        shared = first.cohandlers if day is not None and first.cohandlers else ()
        if first.unit == unit or unit in shared:
            if day is not None and day < first.date:
                message = f"{day} is before item '{item}' was assigned, on {first.date}"
                then = f" ({self._named(first, where)}): check the date, or the item"
                self._item_fault(item, where, message + then, "date")
            return
        also = f", co-handled by {', '.join(shared)}" if shared else ""
        message = f"item '{item}' is assigned to '{first.unit}'{also} "
        self._item_fault(item, where, f"{message}({self._named(first, where)}), not to '{unit}'")

    def _item_fault(self, item: str, where: int, message: str, path: str = "item") -> None:
        origin = self.origin(where)
        problem = Problem(origin.file, origin.line, 0, path, message, code="events.lifecycle")
        self.item_problems.append((item, problem))

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

    def _apply(
        self, event: ExtensionEvent | ClosureEvent | AssessmentEvent, state: _Lifecycle
    ) -> None:
        # The tag is compared on the event itself, which narrows its type (a copy would not).
        if event.type == "item_assessed":
            return  # an evaluation may follow the closure: it overrides the ledger
        if state.closed is not None:
            what = "extended" if event.type == "item_extended" else "closed again"
            message = f"item '{event.item}' cannot be {what}: it was closed on {state.closed.date}"
            self._against(event, state.closed, "item", message)
        elif event.type == "item_closed":
            state.closed = event
        elif event.due <= state.due_set_by.due:
            message = f"{event.due} is not later than the due date in force, {state.due_set_by.due}"
            self._against(event, state.due_set_by, "due", message)
        else:
            state.due_set_by = event
