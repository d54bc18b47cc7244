"""Compiling a scheme into a plan: plain functions, built once, run per unit."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from assessment._internal.base.arith import Q, fraction
from assessment._internal.base.memo import by_identity
from assessment._internal.ledger.facts import FoldSpec, fold_spec
from assessment._internal.load.conditions import compile_where
from assessment._internal.load.eventtypes import event_types
from assessment._internal.load.records import CompactEvent
from assessment._internal.model.sections import Placed
from assessment._internal.rules.adjustment import compile_adjustment
from assessment._internal.rules.all_items import compile_all_items
from assessment._internal.rules.completion import compile_completion
from assessment._internal.rules.counting import Scope, scope_of
from assessment._internal.rules.finding import compile_finding
from assessment._internal.rules.hits import Evaluator
from assessment._internal.rules.overdue import compile_overdue
from assessment._internal.rules.per_event import compile_per_event
from assessment._internal.rules.per_item import compile_per_item
from assessment._internal.rules.periodic import compile_periodic
from assessment._internal.rules.rate import compile_rate
from assessment._internal.rules.threshold import compile_threshold
from assessment.scheme import (
    AdjustmentRule,
    ExclusiveGroup,
    FindingRule,
    PerEventRule,
    PeriodicRule,
    Rule,
    Scheme,
    Section,
    ThresholdRule,
)

__all__ = [
    "CompiledRule",
    "CompiledSection",
    "Plan",
    "compile_scheme",
    "compiled",
    "scheme_digest",
]


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    order: int
    evaluate: Evaluator
    groups: frozenset[str] | None
    after_others: bool  # thresholds read the hits of other rules
    exclusive: ExclusiveGroup | None = None  # the group its `exclusive:` names, if any
    cap: Q | None = None  # the most points the rule moves in all, once exclusivity is settled
    bounds: tuple[Q, Q] | None = None  # the range its running sum stays in (an adjustment's)
    cap_scope: Scope | None = None  # with `per`: the cap holds per item or period, not in all


@dataclass(frozen=True)
class CompiledSection:
    section: Section
    low: Q | None  # None: no floor
    high: Q | None  # None: no cap
    start: Q
    rules: tuple[CompiledRule, ...]
    starts_full: bool = True
    parent: str | None = None  # the id of the section it is a sub-section of
    children: tuple[str, ...] = ()  # its sub-sections' ids: its score is theirs added
    groups: frozenset[str] | None = None  # the ranking groups that have it (None: every one)


@dataclass(frozen=True)
class Plan:
    """A scheme compiled for scoring."""

    scheme: Scheme
    digest: str
    sections: tuple[CompiledSection, ...]
    fold_spec: FoldSpec
    group_of_kind: dict[str, str]
    evaluation_order: tuple[tuple[CompiledSection, CompiledRule], ...]
    # Per event type: whether some rule may read an event of that type.
    wanted: dict[str, Callable[[CompactEvent], bool]] = field(default_factory=dict)
    # Rules whose hits thresholds count, rules flags watch; whether any rule is exclusive.
    counted: frozenset[str] = frozenset()
    watched: frozenset[str] = frozenset()
    any_exclusive: bool = False
    nested: bool = False  # whether a section has sub-sections

    def keeps(self, event: CompactEvent) -> bool:
        """Whether a rule may read `event` (the state keeps item events by item anyway)."""
        test = self.wanted.get(event.type)
        return test is not None and test(event)


def scheme_digest(scheme: Scheme) -> str:
    """sha256 of the scheme's canonical JSON: the same scheme always gives the same digest."""
    # Defaults are left out, so a format that gains an optional key keeps old digests.
    data = scheme.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    # Keys sorted: a table written in another order is the same scheme.
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _compiler(scheme: Scheme) -> dict[str, Callable[[Any], Evaluator]]:
    """Each rule kind's compiler, by the `kind:` a scheme writes (one module per kind)."""
    categories = list(scheme.categories)
    item_kinds = event_types(scheme).item_kinds
    return {
        "finding": compile_finding,
        "per_event": lambda rule: compile_per_event(rule, item_kinds),
        "periodic": compile_periodic,
        "threshold": compile_threshold,
        "completion": lambda rule: compile_completion(rule, categories),
        "per_item": compile_per_item,
        "all_items": compile_all_items,
        "overdue": compile_overdue,
        "rate": compile_rate,
        "adjustment": compile_adjustment,
    }


@by_identity()
def compiled(scheme: Scheme) -> Plan:
    """The plan of `scheme`, compiled once for the few schemes a process uses."""
    return compile_scheme(scheme)


@dataclass
class _Reads:
    """What the rules read of the events, gathered rule by rule."""

    keep: set[str] = field(default_factory=set)
    findings: set[tuple[str, str]] = field(default_factory=set)
    wanted: dict[str, list[Callable[[CompactEvent], bool]]] = field(default_factory=dict)

    def add(self, rule: Rule) -> None:
        if isinstance(rule, PerEventRule):
            self.keep.add(rule.event)
            self.wanted.setdefault(rule.event, []).append(compile_where(rule.where))
        elif isinstance(rule, PeriodicRule):
            self.keep.add(rule.event)
            self.wanted.setdefault(rule.event, []).append(_always)
        elif isinstance(rule, AdjustmentRule):
            self.keep.add("adjustment")
            self.wanted.setdefault("adjustment", []).append(_always)
        elif isinstance(rule, FindingRule):
            self.findings.add((rule.event, rule.field))
            self.wanted.setdefault(rule.event, []).append(_has(rule.field))


def _compile_rule(
    rule: Rule,
    order: int,
    evaluate: Evaluator,
    exclusive: dict[str, ExclusiveGroup],
    within: frozenset[str] | None = None,
) -> CompiledRule:
    cap = getattr(rule, "cap", None)
    bounds = None
    if isinstance(rule, AdjustmentRule):
        bounds = (fraction(rule.min), fraction(rule.max))
    groups = frozenset(rule.groups) if rule.groups is not None else None
    if within is not None:  # a section for some groups only: its rules apply to no other
        groups = within if groups is None else groups & within
    return CompiledRule(
        rule,
        order,
        evaluate,
        groups,
        isinstance(rule, ThresholdRule),
        exclusive[rule.exclusive] if rule.exclusive is not None else None,
        fraction(cap) if cap is not None else None,
        bounds,
        scope_of(getattr(rule, "per", "unit")) if cap is not None else None,
    )


def _limit(value: Decimal | None) -> Q | None:
    return None if value is None else fraction(value)


def _compile_section(placed: Placed, rules: tuple[CompiledRule, ...]) -> CompiledSection:
    section = placed.section
    children = tuple(s.id for s in section.sections)
    return CompiledSection(
        section,
        _limit(section.bottom),
        _limit(section.top),
        fraction(section.start_value),
        rules,
        section.start == "full",
        placed.parent,
        children,
        placed.groups,
    )


def compile_scheme(scheme: Scheme) -> Plan:
    """Compile every rule of a validated scheme once."""
    compilers = _compiler(scheme)
    sections = []
    reads = _Reads()
    order = 0
    exclusive = {group.id: group for group in scheme.exclusive_groups}
    for placed in scheme.placed():
        rules = []
        for rule in placed.section.rules:
            evaluate = compilers[rule.kind](rule)
            rules.append(_compile_rule(rule, order, evaluate, exclusive, placed.groups))
            reads.add(rule)
            order += 1
        sections.append(_compile_section(placed, tuple(rules)))
    pairs = [(s, r) for s in sections for r in s.rules]
    # Thresholds last, so that the rules they count have run.
    evaluation = sorted(pairs, key=lambda pair: (pair[1].after_others, pair[1].order))
    return Plan(
        scheme,
        scheme_digest(scheme),
        tuple(sections),
        fold_spec(frozenset(reads.keep), frozenset(reads.findings)),
        {kind: group.id for group in scheme.groups for kind in group.kinds},
        tuple(evaluation),
        {kind: _any(tests) for kind, tests in reads.wanted.items()},
        frozenset(r.counts for _, r in scheme.rules() if isinstance(r, ThresholdRule)),
        frozenset(t.rule for flag in scheme.flags for t in flag.raised_by),
        any(c.exclusive is not None for s in sections for c in s.rules),
        any(s.children for s in sections),
    )


def _any(tests: list[Callable[[CompactEvent], bool]]) -> Callable[[CompactEvent], bool]:
    if _always in tests:
        return _always
    if len(tests) == 1:
        return tests[0]
    return lambda event: any(test(event) for test in tests)


def _always(event: CompactEvent) -> bool:
    return True


def _has(name: str) -> Callable[[CompactEvent], bool]:
    return lambda event: getattr(event, name, None) is not None
