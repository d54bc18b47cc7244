"""A unit's items counted per category (件数): assigned, due, completed and on time."""

from __future__ import annotations

from datetime import date
from typing import Any

from assessment._internal.ledger.facts import ItemFacts, UnitFacts
from assessment.scheme import Scheme

__all__ = ["item_counts"]

# assigned (lead), counted, completed, on time, co-handled
_Tally = list[int]


def _tally(tally: _Tally, item: ItemFacts, lead: bool, as_of: date) -> None:
    if not lead:
        tally[4] += 1
        return
    tally[0] += 1
    if item.standing(as_of) is None:
        return  # not due yet, neither closed nor assessed
    tally[1] += 1
    assessed, closed = item.assessed, item.closed
    done = assessed.completion == 1 if assessed is not None else closed is not None
    if done:
        tally[2] += 1
        if closed is not None and closed.date <= item.due:
            tally[3] += 1


def item_counts(scheme: Scheme, facts: UnitFacts, as_of: date) -> list[dict[str, Any]]:
    """The unit's items of each category of the scheme, in the scheme's order: the fields
    of each `results.CategoryCount`.

    Read as every rule reads an item (`ItemFacts.standing` with its defaults): an item
    counts once its deadline in force has passed, or once it was closed or assessed. A
    year-end assessment below 1 makes a closed item not completed.
    """
    if not scheme.categories:
        return []
    tallies: dict[str, _Tally] = {c.id: [0, 0, 0, 0, 0] for c in scheme.categories}
    unit = facts.unit
    for item in facts.items.values():
        tally = tallies.get(item.category)
        if tally is not None:
            _tally(tally, item, item.role(unit) == "lead", as_of)
    return [
        {
            "category": c.id,
            "name": c.short_name or c.name,
            "assigned": tallies[c.id][0],
            "counted": tallies[c.id][1],
            "completed": tallies[c.id][2],
            "on_time": tallies[c.id][3],
            "cohandled": tallies[c.id][4],
        }
        for c in scheme.categories
    ]
