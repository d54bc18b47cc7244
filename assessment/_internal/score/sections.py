"""Every limit on points, in one place: a rule's cap and bounds, exclusivity between rules,
and a section's floor and points (the running sum clamped, each line showing what it moved).
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from datetime import date
from typing import Any

from assessment._internal.base.arith import Q, exact
from assessment._internal.rules.counting import Scope
from assessment._internal.rules.hits import Hit
from assessment._internal.rules.plan import CompiledRule, CompiledSection
from assessment._internal.score.trail import facts_text, worded
from assessment.scheme import ExclusiveGroup

__all__ = [
    "Collected",
    "limited",
    "limited_by_rule",
    "settle",
    "within",
    "without_double_counting",
]

Collected = list[tuple[str, CompiledRule, Hit]]
"""Hits with their section's id and rule, as the rules gave them."""


def _capped(hits: list[Hit], cap: Q, scope: Scope | None = None) -> list[Hit]:
    """A rule's cap on the points it moves (either sign), in date order: in all, or with a
    `scope` (the rule's `per`), in each item or period apart.

    Applied after another rule of an `exclusive` group took a line's place: such a line
    (already at 0) uses none of the room.
    """
    out: list[Hit] = []
    used: dict[str | None, Q] = {}
    for hit in sorted(hits, key=lambda h: (h.date, h.events)):
        if hit.excluded:
            out.append(hit)
            continue
        key = None if scope is None else scope(hit.item, hit.date)
        room = max(0, cap - used.get(key, 0))
        allowed = max(-room, min(room, hit.points))
        used[key] = used.get(key, 0) + (allowed if allowed >= 0 else -allowed)
        out.append(replace(hit, allowed=allowed))
    return out


def _bounded(hits: list[Hit], low: Q, high: Q) -> list[Hit]:
    """A rule's bounds on the running sum of its points, in the order it gave them."""
    out: list[Hit] = []
    running: Q = 0
    for hit in hits:
        allowed = max(low, min(high, running + hit.points)) - running
        running += allowed
        out.append(replace(hit, allowed=allowed))
    return out


def limited(compiled: CompiledRule, hits: list[Hit]) -> list[Hit]:
    """The rule's hits within its own limits: its cap, or its bounds."""
    if compiled.cap is not None:
        return _capped(hits, compiled.cap, compiled.cap_scope)
    if compiled.bounds is not None:
        return _bounded(hits, *compiled.bounds)
    return hits


def _size(value: Q) -> Q:
    return value if value >= 0 else -value


def _matter(group: ExclusiveGroup, hit: Hit) -> object:
    """The matter a line is about, as its group's scope counts matters."""
    if group.scope == "unit":
        return ()
    if group.scope == "item" and hit.item is not None:
        return hit.item
    return hit.events  # an event, or (scope item) a line about no item: a matter of its own


Losers = list[tuple[int, tuple[object, ...] | None]]
"""The lines that do not count, by index, each with what counted instead (for its words)."""


def _highest_line(collected: Collected, indexes: list[int]) -> Losers:
    """Format 1's choice: the single largest line counts, even among one rule's lines."""
    best = indexes[0]
    for index in indexes[1:]:
        if _size(collected[index][2].capped) > _size(collected[best][2].capped):
            best = index
    return [(index, None) for index in indexes if index != best]


def _chosen_rule(group: ExclusiveGroup, collected: Collected, indexes: list[int]) -> Losers:
    """The rule the group chooses counts with every line it gave on the matter; the others'
    lines do not, and say which rule counted instead. Rules that gave nothing there (their
    points were 0) are never chosen."""
    sums: dict[int, Q] = {}
    first: dict[int, date] = {}
    for index in indexes:
        compiled, hit = collected[index][1], collected[index][2]
        if hit.capped == 0:
            continue
        order = compiled.order
        sums[order] = sums.get(order, 0) + hit.capped
        first[order] = min(first.get(order, hit.date), hit.date)
    if not sums:
        return []
    if group.choice == "first":  # the earliest line; on the same day, the rule written first
        winner = min(first, key=lambda order: (first[order], order))
    else:  # highest: the largest in size; on a tie, the rule written first
        winner = min(sums, key=lambda order: (-_size(sums[order]), order))
    name = next(collected[i][1].rule.name for i in indexes if collected[i][1].order == winner)
    instead = (group.scope, group.choice, name, sums[winner])
    return [(i, instead) for i in indexes if collected[i][1].order != winner]


def without_double_counting(collected: Collected) -> Collected:
    """On each matter of an `exclusive` group, only what the group chooses counts.

    The others stay in the trail with nothing applied, so an auditor sees them.
    """
    matters: dict[tuple[str, object], list[int]] = {}
    for index, (_, compiled, hit) in enumerate(collected):
        group = compiled.exclusive
        if group is not None:
            matters.setdefault((group.id, _matter(group, hit)), []).append(index)
    out = list(collected)
    for indexes in matters.values():
        group = collected[indexes[0]][1].exclusive
        assert group is not None
        if group.choice == "highest_line":
            losers = _highest_line(collected, indexes)
        else:
            losers = _chosen_rule(group, collected, indexes)
        for index, instead in losers:
            section_id, compiled, hit = collected[index]
            hit = replace(hit, allowed=0, excluded=True, instead=instead)
            out[index] = (section_id, compiled, hit)
    return out


def limited_by_rule(collected: Collected) -> Collected:
    """Each rule's limits applied to its lines once exclusivity has settled which count: a
    line another rule of its group counted instead uses none of its rule's room. (The order
    of the lines changes; a section settles them in its own order.)"""
    out: Collected = []
    groups: dict[int, tuple[str, CompiledRule, list[Hit]]] = {}
    for section_id, compiled, hit in collected:
        if compiled.cap is None and compiled.bounds is None:
            out.append((section_id, compiled, hit))
        else:
            groups.setdefault(compiled.order, (section_id, compiled, []))[2].append(hit)
    for section_id, compiled, hits in groups.values():
        out += [(section_id, compiled, hit) for hit in limited(compiled, hits)]
    return out


def within(value: Q, low: Q | None, high: Q | None) -> Q:
    """`value` kept within a section's floor and cap, either of which may be absent."""
    if low is not None and value < low:
        return low
    return high if high is not None and value > high else value


def _over(value: Q, high: Q | None) -> Q:
    return 0 if high is None else max(0, value - high)


def _under(value: Q, low: Q | None) -> Q:
    return 0 if low is None else max(0, low - value)


def _beyond(given: Q, start: Q, raw: Q, low: Q | None, high: Q | None) -> tuple[Q, Q]:
    """The points a line holds past a limit, and those earlier lines held past the other
    limit that it may offset (points past the top, and what was held under the floor)."""
    if given > 0:
        return _over(raw, high) - _over(start, high), _under(start, low)
    if given < 0:
        return _under(raw, low) - _under(start, low), _over(start, high)
    return 0, 0


def _offset(held: deque[list[Any]], amount: Q) -> Q:
    """Take `amount` from the points held beyond a limit, oldest first; record on each line
    how many of its held points later offset another line. Returns what was taken."""
    taken: Q = 0
    while amount > 0 and held:
        entry = held[0]
        part = min(entry[1] - entry[2], amount)
        entry[2] += part
        entry[0]["later_offset"] = exact(entry[2])
        taken += part
        amount -= part
        if entry[2] == entry[1]:
            held.popleft()
    return taken


def _line(section: str, compiled: CompiledRule, hit: Hit, detail: str) -> dict[str, Any]:
    rule = compiled.rule
    given = hit.capped
    return {
        "section": section,
        "rule": rule.id,
        "rule_name": rule.name,
        "clause": rule.clause,
        "date": hit.date,
        "points": exact(hit.points),
        "applied": None,
        "limited_by": None if given == hit.points else "exclusive" if hit.excluded else "rule_cap",
        "allowed": exact(given) if given != hit.points else None,
        "offset": None,
        "later_offset": None,
        "events": hit.events,
        "detail": detail,
        "facts": facts_text(hit),
        "purpose": "info" if hit.info else hit.purpose,
    }


def settle(
    cs: CompiledSection, hits: list[tuple[CompiledRule, Hit]], *, trail: bool = True
) -> tuple[Q, list[dict[str, Any]]]:
    """Apply hits in order, clamped to [floor, cap] (either may be absent); each line shows
    what it moved.

    Clamping the running sum (not each line) keeps the section order-free
    within a date while every line still says how much of it counted: points
    past a limit are held beyond it, and a later line the other way is offset
    by them (it moves nothing) before it moves the score. Returns the section's
    exact score and, with `trail`, its lines' fields.
    """
    low, high = cs.low, cs.high
    if not trail:
        return within(cs.start + sum(hit.capped for _, hit in hits), low, high), []
    worded_hits = [(compiled, hit, worded(hit)) for compiled, hit in hits]
    worded_hits.sort(key=lambda each: (each[1].date, each[0].order, each[1].events, each[2]))
    raw = cs.start
    before = within(raw, low, high)
    lines: list[dict[str, Any]] = []
    # Points held beyond a limit, oldest first: [line, points held, points since offset].
    held: deque[list[Any]] = deque()
    for compiled, hit, detail in worded_hits:
        given = hit.capped
        start, raw = raw, raw + given
        after = within(raw, low, high)
        line = _line(cs.section.id, compiled, hit, detail)
        line["applied"] = exact(after - before)
        before = after
        beyond, held_before = _beyond(given, start, raw, low, high)
        offset = _offset(held, min(_size(given), held_before))
        if beyond:  # the main reason; the explanation words each
            line["limited_by"] = "section_floor" if low is not None and raw < low else "section_cap"
            held.append([line, beyond, 0])
        elif offset:
            line["limited_by"] = "offset"
        line["offset"] = exact(offset) if offset else None
        lines.append(line)
    return before, lines
