"""Random valid schemes: the machinery of `schemes`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from assessment.scheme import Scheme
from assessment.testing._events import FINDINGS, Record

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
    "item_event",  # a per_event rule on a type declared with `item: true` (`_item_event`)
]

# Random rules give points of either sign, in sections of either start, to try the engine on
# every combination: as a scheme must, they say so (a deduction in a section that gains, too).
_EITHER_SIGN = {"sign": "any", "note": "随机方案: 分值正负皆可,以检验引擎"}


def _points(low: int, high: int) -> st.SearchStrategy[Decimal]:
    """Points in halves, so that exact arithmetic meets fractions of all kinds."""
    return st.integers(low * 2, high * 2).map(lambda n: Decimal(n) / 2)


@st.composite
def random_schemes(draw: st.DrawFn) -> Scheme:
    """A scheme of 1 to 3 sections over 1 to 4 categories, with rules of every kind."""
    categories = [f"cat{n}" for n in range(draw(st.integers(1, 4)))]
    shared = categories[: draw(st.integers(1, len(categories)))]  # the rest: item by item
    rules = _rules(draw, shared) + _item_by_item(draw, categories, shared)
    sections = _limited(draw, _sections(draw, rules))
    weights = draw(st.lists(st.integers(1, 10), min_size=len(categories), max_size=len(categories)))
    scale = Decimal(sections[0]["points"]) / sum(weights)
    data: Record = {
        "format": 1,
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
    named, added = _shared(sections), _eligibility(draw, data)
    merged = data | _rollups(draw, data) | named | added
    claims = [_CLAIM] if any(r.get("event") == _CLAIM["id"] for r in _rules_in(sections)) else []
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


def _rollups(draw: st.DrawFn, outcomes: Record) -> Record:
    """Maybe portfolios (one or two, mean or sum, ranked or not); maybe persons, their
    grades mapped when the scheme grades."""
    rollups: Record = {}
    if draw(st.booleans()):
        count = draw(st.integers(1, 2))
        rollups["portfolios"] = {
            "name": "条线",
            "score": draw(st.sampled_from(["mean", "sum"])),
            "rank": draw(st.booleans()),
            "entries": [{"id": f"line{n}", "name": f"条线{n}"} for n in range(count)],
        }
    if draw(st.booleans()):
        persons: Record = {"roles": [{"id": "principal", "name": "主要负责人"}]}
        if "grades" in outcomes and draw(st.booleans()):
            persons["grades"] = {g["id"]: f"{g['name']}对应" for g in outcomes["grades"]}
        rollups["persons"] = persons
    return rollups


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
        rule = draw(_rule(f"r{n}", kind, counted)) | _evidence(draw, kind)
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


_EVIDENCE = ["以区委督查室通报为准", "以区政府督查室督查台账销号记录为准"]


def _evidence(draw: st.DrawFn, kind: str) -> Record:
    """Whose records decide, on some rules: any kind but a threshold, which counts another
    rule's lines."""
    if kind == "threshold" or not draw(st.booleans()):
        return {}
    return {"evidence": draw(st.sampled_from(_EVIDENCE))}


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


# ---------------------------------------------------------------- limits (format 2)


def _limited(draw: st.DrawFn, sections: list[Record]) -> list[Record]:
    """The sections after the first with format 2's limits: no cap, no floor, deductions
    only (cap 0), one group's own section, a section nested in another with its own cap."""
    return [sections[0]] + [_nested(draw, _limits_of(draw, s)) for s in sections[1:]]


def _limits_of(draw: st.DrawFn, section: Record) -> Record:
    section = dict(section)
    choice = draw(st.sampled_from(["as_is", "no_cap", "no_floor", "deductions_only"]))
    if choice == "no_cap":
        if section["start"] == "zero":
            del section["points"]
        section["cap"] = "none"
    elif choice == "no_floor":
        section["floor"] = "none"
    elif choice == "deductions_only":
        del section["points"]
        section |= {"start": "zero", "cap": Decimal(0)}
        section["floor"] = draw(st.sampled_from(["none", Decimal(-5)]))
    if section["start"] == "zero" and draw(st.booleans()):  # starts at 0: the base holds
        section["groups"] = [draw(st.sampled_from(["group-a", "group-b"]))]
    return section


def _nested(draw: st.DrawFn, section: Record) -> Record:
    """Maybe the section as the one sub-section of a parent with its own cap."""
    if not draw(st.booleans()):
        return section
    parent: Record = {
        "id": f"{section['id']}-all",
        "name": f"{section['name']}合计",
        "clause": "一",
        "start": section["start"],
        "sections": [section],
    }
    if section["start"] == "full":
        parent["points"] = section["points"]
        parent["cap"] = draw(st.sampled_from(["none", section["points"]]))
    else:
        parent["cap"] = draw(st.sampled_from(["none", Decimal(draw(st.integers(1, 25)))]))
        parent["floor"] = draw(st.sampled_from(["none", Decimal(0), Decimal(-3)]))
    return parent


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
        return base | {"min": draw(_points(-5, 0)), "max": draw(_points(0, 5))}
    if kind == "per_event":
        return base | _EITHER_SIGN | draw(_per_event())
    if kind == "item_event":
        return base | {"kind": "per_event"} | _EITHER_SIGN | draw(_item_event())
    spec = _threshold(draw, counted) if kind == "threshold" else _SPECS[kind](draw)
    return base | _EITHER_SIGN | spec


def _finding(draw: st.DrawFn) -> Record:
    return {
        "event": "inspection",
        "field": draw(st.sampled_from(FINDINGS)),
        "equals": draw(st.booleans()),
        "points": draw(_points(-5, 5)),
    }


@st.composite
def _per_event(draw: st.DrawFn) -> Record:
    """Commendations (by level, circulated or not), or extensions, whose co-handlers count too."""
    own = draw(st.booleans())
    spec: Record = {"event": "commendation" if own else "item_extended"}
    choice = draw(st.sampled_from(["points", "table", "steps"] if own else ["points", "steps"]))
    if choice == "points":
        spec["points"] = draw(_points(-5, 5))
    elif choice == "table":
        spec["points"] = {
            "by": "level",
            "table": {"city": draw(_points(-5, 5)), "district": draw(_points(-5, 5))},
        }
    else:
        spec["steps"] = draw(st.lists(_points(-5, 5), min_size=1, max_size=3))
    if own and draw(st.booleans()):
        spec["where"] = {"circulated": draw(st.booleans())}
    if draw(st.booleans()):
        spec["cap"] = draw(_points(1, 10))
    if not own and draw(st.booleans()):
        spec["roles"] = ["lead", "cohandler"]
        spec["multiply"] = [{"of": "role", "table": {"cohandler": Decimal("0.5")}}]
    if draw(st.booleans()):
        spec = _banded(draw, spec)
    return spec | _counting_scope(draw, spec, ["unit", "month", "quarter", *(["item"] * (not own))])


# ---------------------------------------------------------------- counting scope and bands

_CLAIM: Record = {
    "id": "bonus_claim",
    "name": "酌情加减分",
    "fields": [{"id": "value", "name": "分值", "type": "decimal"}],
}
"""A declared event type whose `value` a banded rule takes its points from."""


def _banded(draw: st.DrawFn, spec: Record) -> Record:
    """The rule on claims instead, its points taken from their value within a band."""
    low = draw(_points(-3, 2))
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
        "missed": draw(_points(-2, 0)),
        "late": draw(_points(-2, 0)),
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
        return spec | {"points": draw(_points(-3, 3))}
    steps = draw(st.lists(_points(-3, 3), min_size=1, max_size=3))
    return spec | {"steps": steps, "max_count": draw(st.integers(1, 3))}


def _per_item(draw: st.DrawFn) -> Record:
    status = draw(st.sampled_from(["complete", "incomplete", "closed_late", "closed_early"]))
    spec: Record = {"status": status, "points": draw(_points(-3, 3))}
    if status == "closed_early":
        spec["days_early"] = draw(st.integers(1, 30))
    if draw(st.booleans()):
        del spec["points"]
        spec["steps"] = draw(st.lists(_points(-3, 3), min_size=1, max_size=3))
        spec["max_count"] = draw(st.integers(1, 4))
    return spec | _counting_scope(draw, spec, ["unit", "month", "quarter", "year"])


def _all_items(draw: st.DrawFn) -> Record:
    """Once when every counted item is done: paid or not to a unit with none, counted when due
    or from assignment, for the lead or both roles, maybe by unit kind."""
    status = draw(st.sampled_from(["complete", "closed_early"]))
    spec: Record = {"status": status, "points": draw(_points(-3, 3))}
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
    return {"per_day": draw(_points(-1, 0)), "cap_per_item": draw(_points(1, 5))}


def _rate(draw: st.DrawFn) -> Record:
    return {
        "of": draw(st.sampled_from(["closed_on_time", "completion"])),
        "full_at": Decimal(draw(st.integers(1, 10))) / 10,
        "per_point_below": draw(_points(-1, 0)),
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


# ---------------------------------------------------------------- eligibility (mechanisms 7, 8)

_ITEM_STATES = ["assigned", "counted", "complete", "incomplete", "overdue"]


def _eligibility(draw: st.DrawFn, data: Record) -> Record:
    """Maybe a flag raised by the units' items, barring what it may; maybe a `province` level
    added to commendations (and to the tables looked up by level); maybe a declared event
    type with an enum of numbers, scored by a table of its values."""
    added: Record = {}
    if draw(st.booleans()):
        added["flags"] = [_item_flag(draw, bool(data.get("grades")))]
    if draw(st.booleans()):
        added["extends"] = [{"event": "commendation", "field": "level", "add_values": ["province"]}]
        for section in _leaves(data["sections"]):
            for existing in section["rules"]:
                points = existing.get("points")
                if isinstance(points, dict) and points.get("by") == "level":
                    points["table"]["province"] = draw(_points(-5, 5))
    if draw(st.booleans()):
        values = [Decimal("0.5"), Decimal(1), Decimal("1.5")]
        added["event_types"] = [
            {
                "id": "rating",
                "name": "评定",
                "fields": [{"id": "value", "name": "分值", "type": "enum", "values": values}],
            }
        ]
        rule: Record = {"id": "rated", "kind": "per_event", "name": "评定", "clause": "一"}
        rule |= {"text": "按评定分值计分", "event": "rating", **_EITHER_SIGN}
        rule["points"] = {"by": "value", "table": {str(v): draw(_points(-2, 2)) for v in values}}
        _leaves(data["sections"])[-1]["rules"].append(rule)
    return added


def _item_flag(draw: st.DrawFn, graded: bool) -> Record:
    condition: Record = {"items": draw(st.sampled_from(_ITEM_STATES))}
    if condition["items"] == "overdue" and draw(st.booleans()):
        condition["more_than_days"] = draw(st.integers(0, 120))
    if draw(st.booleans()):
        condition["at_most"] = draw(st.integers(0, 2))
    else:
        condition["at_least"] = draw(st.integers(1, 3))
    if draw(st.booleans()):
        condition["roles"] = ["lead", "cohandler"]
    bars = ["commendation", "ranking", *(["quota"] if graded else [])]
    flag: Record = {"id": "random_flag", "name": "随机标记", "raised_when": [condition]}
    flag["bars"] = draw(st.lists(st.sampled_from(bars), unique=True, max_size=3))
    if graded and draw(st.booleans()):
        flag["best_grade"] = "other"
    return flag


# ---------------------------------------------------------------- events about an item

# A type declared with `item: true`, the shared table and the selection its rules may name.
_NOTICE = {
    "id": "notice",
    "name": "督查通报",
    "item": True,
    "fields": [{"id": "kind", "name": "类别", "type": "enum", "values": ["praise", "criticism"]}],
}
_ROLE_SHARE = {"id": "role_share", "name": "牵头协办系数", "table": {"lead": 1, "cohandler": 0.5}}
_FIRST_CATEGORY = {"id": "first_category", "name": "首类事项", "where": {"item.category": "cat0"}}


@st.composite
def _item_event(draw: st.DrawFn) -> Record:
    """Notices about an item, selected by their own field, the item or the unit (or a
    selection by name), scored for the lead or for both roles (factors by a shared table)."""
    spec: Record = {"event": "notice"}
    spec["where"] = draw(
        st.sampled_from(
            [
                {},
                {"kind": "praise"},
                {"item.category": "cat0"},
                {"unit.kind": "kind-a"},
                {"unit.group": {"in": ["group-a", "group-b"]}},
                "first_category",
                ["first_category", {"kind": "criticism"}],
            ]
        )
    )
    if draw(st.booleans()):
        spec["points"] = draw(_points(-3, 3))
    else:
        spec["points"] = {
            "by": "kind",
            "table": {"praise": draw(_points(0, 3)), "criticism": draw(_points(-3, 0))},
        }
    if draw(st.booleans()):
        spec["roles"] = ["lead", "cohandler"]
        spec["multiply"] = [
            {
                "of": "role",
                "table": draw(st.sampled_from(["role_share", {"cohandler": Decimal("0.5")}])),
            }
        ]
    return spec


def _shared(sections: list[Record]) -> Record:
    """The notice type when a rule reads it, and the table and selection the rules name."""
    rules = [rule for section in _leaves(sections) for rule in section["rules"]]
    if not any(rule.get("event") == "notice" for rule in rules):
        return {}
    wheres = [rule.get("where") for rule in rules]
    factors = [m.get("table") for rule in rules for m in rule.get("multiply", ())]
    shared: Record = {"event_types": [_NOTICE]}
    if "role_share" in factors:
        shared["tables"] = [_ROLE_SHARE]
    if any(
        w == "first_category" or (isinstance(w, list) and "first_category" in w) for w in wheres
    ):
        shared["selections"] = [_FIRST_CATEGORY]
    return shared


def _rules_in(sections: list[Record]) -> list[Record]:
    return [rule for section in _leaves(sections) for rule in section["rules"]]


def _leaves(sections: list[Record]) -> list[Record]:
    """The sections that hold rules, sub-sections in place of the sections they are in."""
    return [
        leaf
        for section in sections
        for leaf in (_leaves(section["sections"]) if "sections" in section else [section])
    ]
