"""Random valid schemes: the machinery of `schemes`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from assessment.scheme import Scheme
from assessment.testing._events import FINDINGS, Record
from assessment.testing._scheme_parts import (
    EITHER_SIGN,
    eligibility,
    evidence,
    item_event,
    limited,
    points_between,
    rollups,
    rules_in,
    shared_names,
)

__all__ = ["random_schemes"]

_KINDS = [
    "finding",
    "per_event",
    "periodic",
    "per_item",
    "overdue",
    "rate",
    "adjustment",
    "all_items",
    "item_event",  # a per_event rule on a type declared with `item: true` (`item_event`)
]


# Random rules give points of either sign, in sections of either start, to try the engine on
# every combination: as a scheme must, they say so (a deduction in a section that gains, too).
@st.composite
def random_schemes(draw: st.DrawFn) -> Scheme:
    """A scheme of 1 to 3 sections over 1 to 4 categories, with rules of every kind."""
    categories = [f"cat{n}" for n in range(draw(st.integers(1, 4)))]
    shared = categories[: draw(st.integers(1, len(categories)))]  # the rest: item by item
    rules = _rules(draw, shared) + _item_by_item(draw, categories, shared)
    sections = limited(draw, _sections(draw, rules))
    weights = draw(st.lists(st.integers(1, 10), min_size=len(categories), max_size=len(categories)))
    scale = Decimal(sections[0]["points"]) / sum(weights)
    data: Record = {
        "format": 2,
        "id": "random",
        "title": "随机方案",
        "version": "1",
        "source": {"document": "随机"},
        # Reports due after the year (up to 10 days) fall due within the ledger's days.
        "period": {
            "start": date(2024, 1, 1),
            "end": date(2024, 12, 31),
            "events_until": date(2025, 1, 31),
        },
        "base": sum(Decimal(s["points"]) for s in sections if s["start"] == "full"),
        "unit_kinds": [{"id": "kind-a", "name": "甲类单位"}, {"id": "kind-b", "name": "乙类单位"}],
        "groups": [
            {"id": "group-a", "name": "甲组", "kinds": ["kind-a"]},
            {"id": "group-b", "name": "乙组", "kinds": ["kind-b"]},
        ],
        "categories": [
            {
                "id": c,
                "name": c,
                "clause": "一",
                "points": (w * scale).quantize(Decimal("0.01"), "ROUND_DOWN") or Decimal("0.01"),
                "method": draw(st.sampled_from(["proportional", "all_or_nothing"])),
            }
            if c in shared
            else {"id": c, "name": c, "clause": "一"}
            for c, w in zip(categories, weights, strict=True)
        ],
        "sections": sections,
    }
    data |= _outcomes(draw, data["base"])
    exclusive = _exclusive(draw, sections)  # before eligibility adds a rule on rating events
    named, added = shared_names(sections), eligibility(draw, data)
    merged = data | rollups(draw, data) | named | added | exclusive
    claims = _claims(sections)
    types = [*named.get("event_types", []), *added.get("event_types", []), *claims]
    if types:
        merged["event_types"] = types
    return Scheme.model_validate(merged)


def _outcomes(draw: st.DrawFn, base: Decimal) -> Record:
    """Maybe a cap on the total at the base; maybe two grades, the better with a quota."""
    outcomes: Record = {}
    if draw(st.booleans()):
        outcomes["total"] = {"cap": base}
    if draw(st.booleans()):
        outcomes["grades"] = [
            {
                "id": "good",
                "name": "好",
                "min": base / 2,
                "quota": Decimal("0.5"),
                "ties": draw(st.sampled_from(["none_of_them", "all_of_them"])),
            },
            {"id": "other", "name": "其他"},
        ]
    return outcomes


def _rules(draw: st.DrawFn, categories: list[str]) -> list[Record]:
    """A completion rule over the categories with a share, then up to six rules of any kind."""
    rules: list[Record] = [
        {
            "id": "completion",
            "kind": "completion",
            "name": "完成",
            "clause": "一",
            "text": "完成情况",
            "categories": categories,
            "unassigned": draw(st.sampled_from(["reweight", "full_marks", "not_assessed"])),
        }
    ]
    if rules[0]["unassigned"] == "not_assessed":
        rules[0]["lacking"] = draw(st.sampled_from(["any", "all"]))
    counted: dict[str, int] = {}  # rules a threshold may count, and how far
    for n in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from([*_KINDS, "threshold"] if counted else _KINDS))
        rule = draw(_rule(f"r{n}", kind, counted)) | evidence(draw, kind)
        rules.append(rule)
        if kind in ("periodic", "per_event", "finding") and _reach(rule):
            counted[rule["id"]] = _reach(rule)
    return rules


def _item_by_item(draw: st.DrawFn, categories: list[str], shared: list[str]) -> list[Record]:
    """Categories with no share (no completion rule lists them) are scored item by item: a
    per_item or all_items rule on them, so that some rule always does."""
    rest = [c for c in categories if c not in shared]
    if not rest:
        return []
    kind = draw(st.sampled_from(["per_item", "all_items"]))
    rule = draw(_rule("items", kind, {}))
    return [rule | {"categories": rest}]


def _sections(draw: st.DrawFn, rules: list[Record]) -> list[Record]:
    """The rules in 1 to 3 sections, the first full, the others of either start."""
    sections: list[Record] = []
    for n, chunk in enumerate(_split(rules, draw(st.integers(1, 3)))):
        start = "zero" if n and draw(st.booleans()) else "full"
        points = draw(st.integers(10, 60)) * 2 if n == 0 else draw(st.integers(5, 30))
        floor = 0 if draw(st.booleans()) else -draw(st.integers(0, 5))
        sections.append(
            {
                "id": f"s{n}",
                "name": f"部分{n}",
                "clause": "一",
                "points": points,
                "start": start,
                "floor": floor,
                "rules": chunk,
            }
        )
    return sections


def _split(rules: list[Record], parts: int) -> list[list[Record]]:
    """The completion rule in the first part; the others spread over the rest."""
    chunks: list[list[Record]] = [[rules[0]]] + [[] for _ in range(parts - 1)]
    for n, rule in enumerate(rules[1:]):
        chunks[n % parts].append(rule)
    return [chunk for chunk in chunks if chunk]


def _reach(rule: Record) -> int:
    """How many occurrences a threshold may ask of a rule: 0 if it gives no points."""
    values = [rule.get(key) for key in ("points", "missed", "late")] + rule.get("steps", [])
    if isinstance(rule.get("points"), dict):
        points = rule["points"]
        values += points["table"].values() if "table" in points else [points["min"], points["max"]]
    if not any(isinstance(v, Decimal) and v != 0 for v in values):
        return 0
    return 1 if rule["kind"] == "finding" else 4


@st.composite
def _rule(draw: st.DrawFn, ident: str, kind: str, counted: dict[str, int]) -> Record:
    base: Record = {
        "id": ident,
        "kind": kind,
        "name": f"规则{ident}",
        "clause": "一",
        "text": "随机规则",
    }
    if kind == "adjustment":
        return base | {"min": draw(points_between(-5, 0)), "max": draw(points_between(0, 5))}
    if kind == "per_event":
        return base | EITHER_SIGN | draw(_per_event())
    if kind == "item_event":
        return base | {"kind": "per_event"} | EITHER_SIGN | draw(item_event())
    spec = _threshold(draw, counted) if kind == "threshold" else _SPECS[kind](draw)
    return base | EITHER_SIGN | spec


def _finding(draw: st.DrawFn) -> Record:
    return {
        "event": "inspection",
        "field": draw(st.sampled_from(FINDINGS)),
        "equals": draw(st.booleans()),
        "points": draw(points_between(-5, 5)),
    }


@st.composite
def _per_event(draw: st.DrawFn) -> Record:
    """Commendations (by level, circulated or not), or extensions, whose co-handlers count too."""
    own = draw(st.booleans())
    spec: Record = {"event": "commendation" if own else "item_extended"}
    choice = draw(st.sampled_from(["points", "table", "steps"] if own else ["points", "steps"]))
    if choice == "points":
        spec["points"] = draw(points_between(-5, 5))
    elif choice == "table":
        spec["points"] = {
            "by": "level",
            "table": {"city": draw(points_between(-5, 5)), "district": draw(points_between(-5, 5))},
        }
    else:
        spec["steps"] = draw(st.lists(points_between(-5, 5), min_size=1, max_size=3))
    if own and draw(st.booleans()):
        spec["where"] = {"circulated": draw(st.booleans())}
    if draw(st.booleans()):
        spec["cap"] = draw(points_between(1, 10))
    if not own and draw(st.booleans()):
        spec["roles"] = ["lead", "cohandler"]
        spec["multiply"] = [{"of": "role", "table": {"cohandler": Decimal("0.5")}}]
    banded = draw(st.booleans())
    if banded:  # claims name no item: counted per unit or per period
        spec = _banded(draw, spec)
    per_item = not own and not banded
    return spec | _counting_scope(draw, spec, ["unit", "month", "quarter", *(["item"] * per_item)])


# ---------------------------------------------------------------- counting scope and bands

_CLAIM: Record = {
    "id": "bonus_claim",
    "name": "酌情加减分",
    "fields": [{"id": "value", "name": "分值", "type": "decimal"}],
}
"""A declared event type whose `value` a banded rule takes its points from."""


def _claims(sections: list[Record]) -> list[Record]:
    """The claim type when a rule reads it; its rules share one band, since a claim's value
    is checked against each band that reads it."""
    on_claims = [r for r in rules_in(sections) if r.get("event") == _CLAIM["id"]]
    for rule in on_claims[1:]:
        rule["points"] = dict(on_claims[0]["points"])
    return [_CLAIM] if on_claims else []


def _banded(draw: st.DrawFn, spec: Record) -> Record:
    """The rule on claims instead, its points taken from their value within a band."""
    low = draw(points_between(-3, 2))
    step = draw(st.sampled_from([Decimal("0.5"), Decimal(1)]))
    band = {"from": "value", "min": low, "max": low + step * draw(st.integers(0, 3)), "step": step}
    kept = {k: v for k, v in spec.items() if k in ("cap",)}
    return kept | {"event": _CLAIM["id"], "points": band}


def _counting_scope(draw: st.DrawFn, spec: Record, scopes: list[str]) -> Record:
    """Maybe `per`, when the rule has something to count (steps, a most or a cap)."""
    if not any(key in spec for key in ("steps", "max_count", "cap")):
        return {}
    return {"per": draw(st.sampled_from(scopes))}


def _periodic(draw: st.DrawFn) -> Record:
    return {
        "event": "report_submitted",
        "period_field": "month",
        "deadline": {"days_after_end": draw(st.integers(0, 10))},
        "missed": draw(points_between(-2, 0)),
        "late": draw(points_between(-2, 0)),
    }


def _threshold(draw: st.DrawFn, counted: dict[str, int]) -> Record:
    counts = draw(st.sampled_from(sorted(counted)))
    spec: Record = {
        "counts": counts,
        "at": draw(st.integers(1, counted[counts])),  # no more than the rule can reach
        "repeat": draw(st.booleans()),
        "per": draw(st.sampled_from(["unit", "month", "quarter", "year"])),
    }
    if draw(st.booleans()):
        return spec | {"points": draw(points_between(-3, 3))}
    steps = draw(st.lists(points_between(-3, 3), min_size=1, max_size=3))
    return spec | {"steps": steps, "max_count": draw(st.integers(1, 3))}


def _per_item(draw: st.DrawFn) -> Record:
    status = draw(st.sampled_from(["complete", "incomplete", "closed_late", "closed_early"]))
    spec: Record = {"status": status, "points": draw(points_between(-3, 3))}
    if status == "closed_early":
        spec["days_early"] = draw(st.integers(1, 30))
    if draw(st.booleans()):
        del spec["points"]
        spec["steps"] = draw(st.lists(points_between(-3, 3), min_size=1, max_size=3))
        spec["max_count"] = draw(st.integers(1, 4))
    return spec | _counting_scope(draw, spec, ["unit", "month", "quarter", "year"])


def _all_items(draw: st.DrawFn) -> Record:
    """Once when every counted item is done: paid or not to a unit with none, counted when due
    or from assignment, for the lead or both roles, maybe by unit kind."""
    status = draw(st.sampled_from(["complete", "closed_early"]))
    spec: Record = {"status": status, "points": draw(points_between(-3, 3))}
    if status == "closed_early":
        spec["days_early"] = draw(st.integers(1, 30))
    spec["no_items"] = draw(st.sampled_from(["nothing", "points"]))
    spec["item_counts"] = draw(st.sampled_from(["when_due", "when_assigned"]))
    if draw(st.booleans()):
        spec["roles"] = ["lead", "cohandler"]
    if draw(st.booleans()):
        spec["multiply"] = [{"of": "unit_kind", "table": {"kind-b": Decimal("0.5")}}]
    return spec


def _overdue(draw: st.DrawFn) -> Record:
    return {"per_day": draw(points_between(-1, 0)), "cap_per_item": draw(points_between(1, 5))}


def _rate(draw: st.DrawFn) -> Record:
    return {
        "of": draw(st.sampled_from(["closed_on_time", "completion"])),
        "full_at": Decimal(draw(st.integers(1, 10))) / 10,
        "per_point_below": draw(points_between(-1, 0)),
    }


# What each rule kind adds to a random rule, drawn in place as the one function did; the
# others are per_event (a strategy of its own), threshold (which counts the others) and
# adjustment (whose points are bounds, without a sign to choose).
_SPECS = {
    "finding": _finding,
    "periodic": _periodic,
    "per_item": _per_item,
    "all_items": _all_items,
    "overdue": _overdue,
    "rate": _rate,
}


# ---------------------------------------------------------------- exclusivity groups

# The rule kinds whose lines a group of each scope can weigh against each other.
_EXCLUSIVE_KINDS = {
    "item": {"per_event", "per_item", "overdue"},
    "event": {"per_event"},
    "unit": {"per_event", "per_item", "overdue", "finding", "periodic", "threshold", "rate"},
}


def _exclusive(draw: st.DrawFn, sections: list[Record]) -> Record:
    """Maybe an exclusivity group over some of the rules its scope can weigh (they name it)."""
    if not draw(st.booleans()):
        return {}
    scope = draw(st.sampled_from(sorted(_EXCLUSIVE_KINDS)))
    rules = [r for r in rules_in(sections) if r["kind"] in _EXCLUSIVE_KINDS[scope]]
    if scope == "item":  # claims and ratings name no item: never weighed per item
        rules = [r for r in rules if r.get("event") not in (_CLAIM["id"], "rating")]
    if scope == "event":  # rules weighed on one event read the same type
        types = [r["event"] for r in rules]
        rules = [r for r in rules if types.count(r["event"]) > 1]
    choice = draw(st.sampled_from(["highest", "first", "highest_line"]))
    least = 2  # a group of one rule is refused where its lines are one per matter
    if len(rules) < least:
        return {}
    picked = draw(st.sets(st.sampled_from(range(len(rules))), min_size=least))
    chosen = [rules[i] for i in sorted(picked)]
    if scope == "event":
        chosen = [r for r in chosen if [c["event"] for c in chosen].count(r["event"]) > 1]
    if len(chosen) < least:
        return {}
    for rule in chosen:
        rule["exclusive"] = "same"
    return {
        "exclusive_groups": [{"id": "same", "name": "不重复计分", "scope": scope, "choice": choice}]
    }
