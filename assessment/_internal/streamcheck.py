"""The contract checks that need the whole stream: ids, units, categories, item lifecycles.

Each event on its own was already validated by its model; here the events are
checked against each other, the roster and the scheme. Events are taken in the
order the engine scores them (`event_sort_key`), so what is accepted never
depends on the order of the input files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from assessment._internal.eventlog import event_sort_key
from assessment._internal.locate import did_you_mean
from assessment.errors import Problem
from assessment.events import (
    Adjustment,
    Commendation,
    Event,
    ItemAssessed,
    ItemAssigned,
    ItemClosed,
    ItemExtended,
)
from assessment.roster import Roster
from assessment.scheme import AdjustmentRule, Scheme

__all__ = ["Origin", "check_stream"]


@dataclass(frozen=True)
class Origin:
    """Where an event was read: a file (or `<events>`) and a 1-based line."""

    file: str
    line: int

    def named_from(self, other: Origin) -> str:
        """`line 3`, or `other.jsonl:3` when seen from another file."""
        return f"line {self.line}" if self.file == other.file else f"{self.file}:{self.line}"


Located = tuple[Event, Origin]
_Lifecycle = ItemExtended | ItemClosed | ItemAssessed


@dataclass
class _ItemState:
    """An item as of the event being checked."""

    due: date
    due_origin: Origin
    closed: Origin | None = None
    closed_on: date | None = None


def check_stream(
    located_events: list[Located],
    scheme: Scheme,
    roster: Roster,
    *,
    suspect_items: Iterable[str] = (),
) -> tuple[list[Event], list[Problem]]:
    """The events that remain after idempotent re-deliveries are dropped, and every problem.

    `suspect_items` are items named by records that failed validation: their
    lifecycle is not checked, since the missing record would make any verdict wrong.
    """
    unique, problems = _drop_redelivered(located_events)
    ordered = sorted(unique, key=lambda pair: event_sort_key(pair[0]))
    checker = _Checker(scheme, roster, ordered, frozenset(suspect_items))
    for event, origin in ordered:
        checker.check(event, origin)
    return [event for event, _ in ordered], problems + checker.problems


def _drop_redelivered(located_events: list[Located]) -> tuple[list[Located], list[Problem]]:
    """Keep the first event of each id; an identical copy is dropped, a different one is a fault."""
    first: dict[str, Located] = {}
    kept: list[Located] = []
    problems: list[Problem] = []
    for event, origin in located_events:
        seen = first.get(event.id)
        if seen is None:
            first[event.id] = (event, origin)
            kept.append((event, origin))
        elif seen[0] != event:  # models compare by type and every field
            message = (
                f"id '{event.id}' is already used by a different event "
                f"({seen[1].named_from(origin)}): give each event its own id"
            )
            problems.append(_problem(origin, "id", message))
    return kept, problems


def _problem(origin: Origin, path: str, message: str) -> Problem:
    return Problem(origin.file, origin.line, 0, path, message)


class _Checker:
    """Walks the stream in scoring order, keeping each item's state as of each event."""

    def __init__(
        self, scheme: Scheme, roster: Roster, ordered: list[Located], suspect: frozenset[str]
    ) -> None:
        self.units = {unit.id for unit in roster.units}
        self.categories = [category.id for category in scheme.categories]
        self.adjustment_rules = [
            rule.id for _, rule in scheme.rules() if isinstance(rule, AdjustmentRule)
        ]
        self.suspect = suspect
        self.problems: list[Problem] = []
        self.assigned: dict[str, tuple[ItemAssigned, Origin]] = {}
        self.states: dict[str, _ItemState] = {}
        for event, origin in ordered:
            if isinstance(event, ItemAssigned):
                self._register(event, origin)

    def _register(self, event: ItemAssigned, origin: Origin) -> None:
        first = self.assigned.get(event.item)
        if first is None:
            self.assigned[event.item] = (event, origin)
            return
        message = (
            f"item '{event.item}' is already assigned by event '{first[0].id}' "
            f"({first[1].named_from(origin)}): an item is assigned only once"
        )
        self.problems.append(_problem(origin, "item", message))

    def check(self, event: Event, origin: Origin) -> None:
        """Record every problem with `event`, then apply it to the items' state."""
        if event.unit not in self.units:
            self._fault(origin, "unit", _unknown("unit", event.unit, self.units, "the roster"))
            return  # the item checks would only repeat that the unit is wrong
        if isinstance(event, ItemAssigned):
            self._assign(event, origin)
        elif isinstance(event, _Lifecycle) and event.item not in self.suspect:
            state = self._state_for(event, origin)
            if state is not None:
                self._apply(event, origin, state)
        elif isinstance(event, Commendation) and event.item is not None:
            self._check_commended_item(event, origin)
        elif isinstance(event, Adjustment) and event.rule not in self.adjustment_rules:
            known = self.adjustment_rules or ["(the scheme has no adjustment rule)"]
            self._fault(
                origin, "rule", _unknown("adjustment rule", event.rule, known, "the scheme")
            )

    def _fault(self, origin: Origin, path: str, message: str) -> None:
        self.problems.append(_problem(origin, path, message))

    def _assign(self, event: ItemAssigned, origin: Origin) -> None:
        if event.category not in self.categories:
            hint = _unknown("category", event.category, self.categories, "the scheme")
            self._fault(origin, "category", hint)
        self._check_cohandlers(event, origin)
        if self.assigned[event.item][0] is event:
            self.states[event.item] = _ItemState(event.due, origin)

    def _check_cohandlers(self, event: ItemAssigned, origin: Origin) -> None:
        seen: set[str] = set()
        for unit in event.cohandlers or ():
            if unit not in self.units:
                self._fault(origin, "cohandlers", _unknown("unit", unit, self.units, "the roster"))
            elif unit == event.unit:
                message = f"'{unit}' leads the item: it cannot also co-handle it"
                self._fault(origin, "cohandlers", message)
            elif unit in seen:
                self._fault(origin, "cohandlers", f"'{unit}' is listed twice")
            seen.add(unit)

    def _state_for(self, event: _Lifecycle, origin: Origin) -> _ItemState | None:
        """The item's state, or None after reporting why the event cannot apply to it."""
        if not self._assigned_to_unit(event.item, event.unit, origin):
            return None
        state = self.states.get(event.item)
        if state is None:
            assignment, where = self.assigned[event.item]
            self._fault(origin, *_before_assignment(event, assignment, where.named_from(origin)))
        return state

    def _assigned_to_unit(self, item: str, unit: str, origin: Origin) -> bool:
        found = self.assigned.get(item)
        if found is None:
            mine = [i for i, (a, _) in self.assigned.items() if a.unit == unit]
            hint = did_you_mean(item, mine or self.assigned)
            self._fault(origin, "item", f"item '{item}' was never assigned{hint}")
            return False
        assignment, where = found
        if assignment.unit != unit:
            message = (
                f"item '{item}' is assigned to '{assignment.unit}' "
                f"({where.named_from(origin)}), not to '{unit}'"
            )
            self._fault(origin, "item", message)
            return False
        return True

    def _apply(self, event: _Lifecycle, origin: Origin, state: _ItemState) -> None:
        if isinstance(event, ItemAssessed):
            return  # an evaluation may follow the closure: it overrides the ledger
        if state.closed is not None:
            what = "extended" if isinstance(event, ItemExtended) else "closed again"
            message = (
                f"item '{event.item}' cannot be {what}: it was closed on {state.closed_on} "
                f"({state.closed.named_from(origin)})"
            )
            self._fault(origin, "item", message)
        elif isinstance(event, ItemClosed):
            state.closed, state.closed_on = origin, event.date
        elif event.due <= state.due:
            message = (
                f"{event.due} is not later than the due date in force, {state.due} "
                f"({state.due_origin.named_from(origin)})"
            )
            self._fault(origin, "due", message)
        else:
            state.due, state.due_origin = event.due, origin

    def _check_commended_item(self, event: Commendation, origin: Origin) -> None:
        assert event.item is not None
        if event.item not in self.suspect:
            self._assigned_to_unit(event.item, event.unit, origin)


def _before_assignment(event: Event, assignment: ItemAssigned, where: str) -> tuple[str, str]:
    """The path and message for an event dated before its item's assignment.

    Within a day, `event_sort_key` puts assignments first, so only an earlier
    date can bring an event here.
    """
    message = (
        f"{event.date} is before item '{assignment.item}' was assigned, "
        f"on {assignment.date} ({where})"
    )
    return "date", message


def _unknown(what: str, value: str, known: Iterable[str], where: str) -> str:
    choices = sorted(set(known))
    hint = did_you_mean(value, choices)
    if hint:
        return f"unknown {what} '{value}'{hint}"
    if len(choices) <= 12:
        return f"unknown {what} '{value}': {where} has {', '.join(choices)}"
    return f"unknown {what} '{value}': {where} has no such {what}"
