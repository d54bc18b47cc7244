"""`assessment check`: search random ledgers for scores that break a scheme's promises.

The general invariants hold for every scheme (sections within their limits,
trails that add up, order that does not matter); the scheme's own
`expectations` say more. Hypothesis searches, then shrinks what it finds to a
small ledger a person can read. Needs the `testing` extra.
"""

from __future__ import annotations

import json
import random
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, configuration, find, settings
from hypothesis.errors import NoSuchExample

from assessment._internal.base.arith import readable
from assessment._internal.ledger.eventlog import EventLog
from assessment._internal.score.api import score
from assessment._internal.score.scorer import parse_events, scorer_of_log
from assessment.results import Line, Report, UnitResult
from assessment.roster import Roster, Unit
from assessment.scheme import RangeExpectation, RemovalExpectation, Scheme
from assessment.testing import event_streams, rosters

__all__ = ["Outcome", "render_outcomes", "run_checks"]

Record = dict[str, Any]
Case = tuple[Roster, list[Record]]
Finding = tuple[str, str, tuple[str, ...]] | None
"""(unit id, what is wrong, rule ids responsible), or None when the check holds."""


@dataclass(frozen=True)
class Outcome:
    """The result of one check: `violation` is None when no counterexample was found."""

    id: str
    name: str
    violation: str | None = None
    records: tuple[Record, ...] = ()
    lines: tuple[Line, ...] = ()


def _score(scheme: Scheme, roster: Roster, records: list[Record]) -> Report:
    return score(scheme, roster, parse_events(records, scheme, roster))


def _value(unit: UnitResult, of: str) -> Fraction | None:
    """The total or a section's exact score; None for a section the unit's group has not."""
    if of == "total":
        return unit.exact_total
    found = [s.exact for s in unit.sections if s.id == of]
    return found[0] if found else None


def _limits(scheme: Scheme, case: Case) -> Finding:
    sections = {p.section.id: p.section for p in scheme.placed()}
    for unit in _score(scheme, *case).units:
        for result in unit.sections:
            section = sections[result.id]
            low, high = section.bottom, section.top
            if (low is not None and result.exact < low) or (
                high is not None and result.exact > high
            ):
                shown = f"[{'-∞' if low is None else low}, {'∞' if high is None else high}]"
                message = f"section {result.id} is {readable(result.exact)}, outside {shown}"
                return unit.unit, message, ()
    return None


def _trails(scheme: Scheme, case: Case) -> Finding:
    for unit in _score(scheme, *case).units:
        for result in unit.sections:
            parts = [s.exact for s in unit.sections if s.parent == result.id]
            lines = [line for line in unit.lines if line.section == result.id]
            if parts:  # its sub-sections added, kept within its limits (checked above)
                if result.start != sum(s.start for s in unit.sections if s.parent == result.id):
                    return unit.unit, f"section {result.id} starts apart from its parts", ()
                continue
            if result.start + sum((line.applied for line in lines), Fraction(0)) != result.exact:
                return unit.unit, f"the lines of section {result.id} do not add up to its score", ()
    return None


def _order(scheme: Scheme, case: Case) -> Finding:
    roster, records = case
    forward, backward = _score(scheme, roster, records), _score(scheme, roster, records[::-1])
    for a, b in zip(forward.units, backward.units, strict=True):
        if a != b:
            return a.unit, "the score changes when the events come in another order", ()
    return None


def _portfolios(scheme: Scheme, case: Case) -> Finding:
    """Each portfolio's score is the mean (or sum) of its assessed units' shown totals, and a
    mean lies between the least and the greatest of them."""
    report = _score(scheme, *case)
    if report.portfolios is None:
        return None
    for entry in report.portfolios.entries:
        totals = [Fraction(report.unit(u).total) for u in entry.units]
        if not totals:
            continue
        made = sum(totals, Fraction(0))
        if report.portfolios.score == "mean":
            made /= len(totals)
            if not min(totals) <= made <= max(totals):
                message = f"portfolio {entry.id}'s mean {readable(made)} is outside its units'"
                return entry.units[0], message, ()
        if entry.exact != made:
            message = f"portfolio {entry.id} scores {entry.exact}, its units make {readable(made)}"
            return entry.units[0], message, ()
    return None


def _line_words(report: Report, unit: UnitResult) -> Finding:
    given = {rule.id for rule in report.rules}
    for line in unit.lines:
        if line.rule not in given:
            return unit.unit, f"a line of rule {line.rule} has no words in the report", (line.rule,)
        if line.points == 0 and line.purpose is None:
            message = f"a line of 0 points of rule {line.rule} is shown with nothing to say"
            return unit.unit, message, (line.rule,)
    return None


def _explained(scheme: Scheme, case: Case) -> Finding:
    """Every line's rule is in the report in its author's words, a line of 0 points is
    shown only with its purpose, and the items are counted in order (件数)."""
    report = _score(scheme, *case)
    for unit in report.units:
        found = _line_words(report, unit)
        if found is not None:
            return found
        for c in unit.items:
            if not 0 <= c.on_time <= c.completed <= c.counted <= c.assigned:
                message = (
                    f"the items of {c.category} are counted out of order: on time {c.on_time}, "
                    f"completed {c.completed}, counted {c.counted}, assigned {c.assigned}"
                )
                return unit.unit, message, ()
    return None


def _range(expectation: RangeExpectation) -> Callable[[Scheme, Case], Finding]:
    def check(scheme: Scheme, case: Case) -> Finding:
        for unit in _score(scheme, *case).units:
            value = _value(unit, expectation.of)
            if value is None:  # a section for another group
                continue
            low, high = expectation.min, expectation.max
            if (low is not None and value < low) or (high is not None and value > high):
                bound = f"at least {low}" if low is not None and value < low else f"at most {high}"
                message = f"{expectation.of} is {readable(value)}, but must be {bound}"
                return unit.unit, message, tuple(sorted({line.rule for line in unit.lines}))
        return None

    return check


def _unit_score(scheme: Scheme, roster: Roster, log: EventLog, unit: Unit) -> UnitResult:
    """One unit's result, without scoring the others (the check rescores many times)."""
    return scorer_of_log(scheme, roster, log).unit_result(unit.id)


def _removal(expectation: RemovalExpectation) -> Callable[[Scheme, Case], Finding]:
    def check(scheme: Scheme, case: Case) -> Finding:
        roster, records = case
        units = roster.by_id()
        log = parse_events(records, scheme, roster)
        before: dict[str, Fraction] = {}
        for event in log.events:
            if event.type != expectation.event:
                continue
            unit = units[event.unit]
            if unit.id not in before:
                value = _value(_unit_score(scheme, roster, log, unit), expectation.of)
                if value is None:  # a section for another group
                    continue
                before[unit.id] = value
            rest = EventLog.of(e for e in log.events if e is not event)
            without = _unit_score(scheme, roster, rest, unit)
            after = _value(without, expectation.of)
            assert after is not None  # the unit's group has the section, with or without it
            changed = (
                after > before[unit.id]
                if expectation.effect == "never_raises"
                else after < before[unit.id]
            )
            if changed:
                verb = "raises" if expectation.effect == "never_raises" else "lowers"
                message = (
                    f"removing event {event.id} ({expectation.event}) {verb} "
                    f"{expectation.of} from {readable(before[unit.id])} to {readable(after)}"
                )
                return unit.id, message, tuple(sorted({line.rule for line in without.lines}))
        return None

    return check


def _matter(scope: str, line: Line) -> object:
    if scope == "unit":
        return ()
    item = line.facts.get("item") if scope == "item" else None
    return item if item is not None else line.events


def _exclusive(scheme: Scheme, case: Case) -> Finding:
    """On each matter of an exclusivity group, one rule's lines count (one line, with
    `highest_line`), and with `highest` no rule left out gave more points there."""
    groups = {g.id: g for g in scheme.exclusive_groups}
    group_of = {r.id: groups[r.exclusive] for _, r in scheme.rules() if r.exclusive in groups}
    for unit in _score(scheme, *case).units:
        matters: dict[tuple[str, object], list[Line]] = {}
        for line in unit.lines:
            group = group_of.get(line.rule)
            if group is not None and line.points != 0:
                matters.setdefault((group.id, _matter(group.scope, line)), []).append(line)
        for (ident, _), lines in matters.items():
            counted = [x for x in lines if x.limited_by != "exclusive"]
            sums: dict[str, Fraction] = {}
            for x in lines:
                sums[x.rule] = sums.get(x.rule, Fraction(0)) + x.points
            rules = tuple(sorted({x.rule for x in counted}))
            wrong = len(counted) > 1 if groups[ident].choice == "highest_line" else len(rules) > 1
            if groups[ident].choice == "highest" and rules:
                wrong = wrong or any(abs(v) > abs(sums[rules[0]]) for v in sums.values())
            if wrong:
                return unit.unit, f"exclusive group {ident} counted a matter twice", rules
    return None


def _checks(scheme: Scheme) -> list[tuple[str, str, Callable[[Scheme, Case], Finding]]]:
    checks: list[tuple[str, str, Callable[[Scheme, Case], Finding]]] = [
        ("limits", "every section stays within its floor and cap", _limits),
        ("trails", "every explanation adds up to its score", _trails),
        ("order", "the order of events does not matter", _order),
        (
            "explained",
            "every line stands on its rule's words; items are counted in order",
            _explained,
        ),
    ]
    if scheme.portfolios is not None:
        checks.append(("portfolios", "every portfolio is made of its units' totals", _portfolios))
    if scheme.exclusive_groups:
        checks.append(("exclusive", "no exclusive group counts a matter twice", _exclusive))
    for expectation in scheme.expectations:
        test = (
            _range(expectation)
            if isinstance(expectation, RangeExpectation)
            else _removal(expectation)
        )
        checks.append((expectation.id, expectation.name, test))
    return checks


def _breaks(scheme: Scheme, test: Callable[[Scheme, Case], Finding]) -> Callable[[Case], bool]:
    return lambda case: test(scheme, case) is not None


@contextmanager
def _hypothesis_home_in_a_temporary_directory() -> Iterator[None]:
    """Hypothesis writes caches under its home, `./.hypothesis` unless told, even with no
    database: a check must leave the user's directory as it found it."""
    # Hypothesis has no getter; None (also if the name changes) means "not chosen yet".
    previous = getattr(configuration, "__hypothesis_home_directory", None)
    with tempfile.TemporaryDirectory(prefix="assessment-check-") as home:
        configuration.set_hypothesis_home_dir(home)
        try:
            yield
        finally:
            configuration.set_hypothesis_home_dir(previous)


@_hypothesis_home_in_a_temporary_directory()
def run_checks(scheme: Scheme, *, examples: int = 200, seed: int = 0) -> list[Outcome]:
    """Search `examples` random ledgers per check; return each check's outcome."""
    cases = rosters(scheme, max_units=3).flatmap(
        lambda roster: event_streams(scheme, roster).map(lambda records: (roster, records))
    )
    config = settings(
        max_examples=examples, database=None, deadline=None, suppress_health_check=list(HealthCheck)
    )
    outcomes = []
    for ident, name, test in _checks(scheme):
        try:
            case = find(cases, _breaks(scheme, test), settings=config, random=random.Random(seed))
        except NoSuchExample:
            outcomes.append(Outcome(ident, name))
            continue
        found = test(scheme, case)
        assert found is not None  # find returned an example that breaks the check
        unit, message, rules = found
        report = _score(scheme, *case)
        lines = tuple(line for line in report.unit(unit).lines if not rules or line.rule in rules)
        records = tuple(r for r in case[1] if r["unit"] == unit) or tuple(case[1])
        outcomes.append(Outcome(ident, name, f"unit {unit}: {message}", records, lines))
    return outcomes


def render_outcomes(file: str, outcomes: list[Outcome], examples: int) -> str:
    """What a scheme author reads: each check, and for a failure the smallest ledger found."""
    out = [f"assessment check {file}: {examples} random ledgers per check"]
    for outcome in outcomes:
        if outcome.violation is None:
            out.append(f"  ok    {outcome.id}: {outcome.name}")
            continue
        out.append(f"  FAIL  {outcome.id}: {outcome.name}")
        out.append(f"        {outcome.violation}")
        out.append("        the events of that unit (the smallest ledger found):")
        out += [f"          {json.dumps(r, ensure_ascii=False)}" for r in outcome.records]
        if outcome.lines:
            out.append("        the lines that moved its score:")
            for line in outcome.lines:
                out.append(
                    f"          {line.date} {line.rule} [{line.clause}] {readable(line.points)}"
                    f" (applied {readable(line.applied)}): {line.detail}"
                )
    failed = sum(1 for o in outcomes if o.violation is not None)
    out.append(f"{failed} of {len(outcomes)} checks broken" if failed else "every check held")
    return "\n".join(out) + "\n"
