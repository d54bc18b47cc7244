"""The parts of random schemes that format 2 added, each drawn on its own: limits of
sections, eligibility, roll-ups, evidence, events about an item and shared names; and the
small draws the others use."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from assessment.testing._events import Record

__all__ = [
    "EITHER_SIGN",
    "eligibility",
    "evidence",
    "item_event",
    "leaves",
    "limited",
    "points_between",
    "rollups",
    "rules_in",
    "shared_names",
]


EITHER_SIGN = {"sign": "any", "note": "随机方案: 分值正负皆可,以检验引擎"}


def points_between(low: int, high: int) -> st.SearchStrategy[Decimal]:
    """Points in halves, so that exact arithmetic meets fractions of all kinds."""
    return st.integers(low * 2, high * 2).map(lambda n: Decimal(n) / 2)


def rollups(draw: st.DrawFn, outcomes: Record) -> Record:
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


_EVIDENCE = ["以区委督查室通报为准", "以区政府督查室督查台账销号记录为准"]


def evidence(draw: st.DrawFn, kind: str) -> Record:
    """Whose records decide, on some rules: any kind but a threshold, which counts another
    rule's lines."""
    if kind == "threshold" or not draw(st.booleans()):
        return {}
    return {"evidence": draw(st.sampled_from(_EVIDENCE))}


# ---------------------------------------------------------------- limits (format 2)


def limited(draw: st.DrawFn, sections: list[Record]) -> list[Record]:
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


# ---------------------------------------------------------------- eligibility (mechanisms 7, 8)

_ITEM_STATES = ["assigned", "counted", "complete", "incomplete", "overdue"]


def eligibility(draw: st.DrawFn, data: Record) -> Record:
    """Maybe a flag raised by the units' items, barring what it may; maybe a `province` level
    added to commendations (and to the tables looked up by level); maybe a declared event
    type with an enum of numbers, scored by a table of its values."""
    added: Record = {}
    if draw(st.booleans()):
        added["flags"] = [_item_flag(draw, bool(data.get("grades")))]
    if draw(st.booleans()):
        added["extends"] = [{"event": "commendation", "field": "level", "add_values": ["province"]}]
        for section in leaves(data["sections"]):
            for existing in section["rules"]:
                points = existing.get("points")
                if isinstance(points, dict) and points.get("by") == "level":
                    points["table"]["province"] = draw(points_between(-5, 5))
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
        rule |= {"text": "按评定分值计分", "event": "rating", **EITHER_SIGN}
        rule["points"] = {
            "by": "value",
            "table": {str(v): draw(points_between(-2, 2)) for v in values},
        }
        leaves(data["sections"])[-1]["rules"].append(rule)
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
def item_event(draw: st.DrawFn) -> Record:
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
        spec["points"] = draw(points_between(-3, 3))
    else:
        spec["points"] = {
            "by": "kind",
            "table": {
                "praise": draw(points_between(0, 3)),
                "criticism": draw(points_between(-3, 0)),
            },
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


def shared_names(sections: list[Record]) -> Record:
    """The notice type when a rule reads it, and the table and selection the rules name."""
    rules = [rule for section in leaves(sections) for rule in section["rules"]]
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


def rules_in(sections: list[Record]) -> list[Record]:
    return [rule for section in leaves(sections) for rule in section["rules"]]


def leaves(sections: list[Record]) -> list[Record]:
    """The sections that hold rules, sub-sections in place of the sections they are in."""
    return [
        leaf
        for section in sections
        for leaf in (leaves(section["sections"]) if "sections" in section else [section])
    ]
