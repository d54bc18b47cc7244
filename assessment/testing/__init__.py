"""Hypothesis strategies for testing schemes and the systems that feed them.

Needs the `testing` extra (`pip install '.[testing]'` in the checkout); nothing on the
scoring path imports this module. In Hypothesis house style, strategies are
plural nouns, take plain values (not strategies) and check them at once::

    from hypothesis import given
    import assessment
    from assessment.testing import event_streams, rosters

    scheme = assessment.load_scheme("schemes/2023.yaml")

    @given(rosters(scheme).flatmap(lambda r: event_streams(scheme, r).map(lambda e: (r, e))))
    def test_totals_stay_in_range(case):
        roster, records = case
        report = assessment.score(scheme, roster, assessment.parse_events(records, scheme, roster))
        assert all(0 <= u.total <= 120 for u in report.units)

`event_streams` draws *valid* streams: every record passes the event contract
for the scheme and roster, so `parse_events` never rejects one.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from assessment._internal.load.eventtypes import event_types
from assessment._internal.load.periods import periods
from assessment.roster import Roster, Unit
from assessment.scheme import AdjustmentRule, EventTypeSpec, FieldSpec, PeriodicRule, Scheme

__all__ = ["event_streams", "rosters", "schemes"]

Record = dict[str, Any]


def rosters(scheme: Scheme, *, min_units: int = 1, max_units: int = 8) -> st.SearchStrategy[Roster]:
    """Rosters of units of the scheme's unit kinds, with unique ids."""
    if not isinstance(scheme, Scheme):
        raise TypeError(f"scheme must be a Scheme (got {type(scheme).__name__})")
    if not 1 <= min_units <= max_units:
        raise ValueError(f"need 1 <= min_units <= max_units (got {min_units}, {max_units})")
    kinds = [kind.id for kind in scheme.unit_kinds]
    return st.lists(st.sampled_from(kinds), min_size=min_units, max_size=max_units).map(
        lambda chosen: Roster(
            units=tuple(
                Unit(id=f"u{n}-{kind}", name=f"单位{n}", kind=kind) for n, kind in enumerate(chosen)
            )
        )
    )


def _day(period_start: date, period_end: date) -> st.SearchStrategy[date]:
    return st.dates(min_value=period_start, max_value=period_end)


@st.composite
def _item(draw: st.DrawFn, scheme: Scheme, unit: str, name: str, others: list[str]) -> list[Record]:
    """One item's lifecycle: assigned; maybe extended, closed early, on time or late; assessed."""
    start, end = scheme.period.start, scheme.period.end
    until = scheme.period.last_event_day  # no event of the ledger is dated later
    assigned = draw(_day(start, end - timedelta(days=1)))
    due = assigned + timedelta(days=draw(st.integers(1, 120)))
    record: Record = {
        "type": "item_assigned",
        "date": assigned,
        "unit": unit,
        "item": name,
        "category": draw(st.sampled_from([c.id for c in scheme.categories])),
        "due": due,
    }
    helpers = draw(st.lists(st.sampled_from(others), unique=True, max_size=2)) if others else []
    if helpers:
        record["cohandlers"] = helpers
    if draw(st.booleans()):
        record["assigned_by"] = draw(st.sampled_from(["province", "city", "district"]))
    records = [record]
    last = assigned
    for _ in range(draw(st.integers(0, 2))):
        when = last + timedelta(days=draw(st.integers(0, 30)))
        if when > end:  # after the period, the ledger takes closures and assessments only
            break
        last = when
        due = max(due, last) + timedelta(days=draw(st.integers(1, 60)))
        records.append(
            {
                "type": "item_extended",
                "date": last,
                "unit": unit,
                "item": name,
                "due": due,
                "reason": "情况复杂,需延期办结",
            }
        )
    fate = draw(st.sampled_from(["early", "on_time", "late", "open"]))
    if fate != "open":
        offset = {
            "early": -draw(st.integers(1, 40)),
            "on_time": 0,
            "late": draw(st.integers(1, 90)),
        }
        closed = max(last, due + timedelta(days=offset[fate]))
        if closed <= until:  # closed later than the ledger runs: still open in it
            records.append({"type": "item_closed", "date": closed, "unit": unit, "item": name})
    if draw(st.integers(0, 4)) == 0:
        completion = Decimal(draw(st.integers(0, 10))) / 10
        records.append(
            {
                "type": "item_assessed",
                "date": max(last, end),
                "unit": unit,
                "item": name,
                "completion": completion,
            }
        )
    return records


@st.composite
def _reports(
    draw: st.DrawFn, scheme: Scheme, rule: PeriodicRule, unit: str, spec: EventTypeSpec | None
) -> list[Record]:
    """For each period: a report on time, late, or none."""
    records = []
    for key, _, last in periods(scheme.period, rule.every):
        fate = draw(st.sampled_from(["on_time", "on_time", "late", "missing"]))
        if fate == "missing":
            continue
        deadline = last + timedelta(days=rule.deadline.days_after_end)
        when = (
            deadline - timedelta(days=draw(st.integers(0, 5)))
            if fate == "on_time"
            else (deadline + timedelta(days=draw(st.integers(1, 25))))
        )
        if when > scheme.period.last_event_day:
            continue  # after the ledger's last day: missing from it
        when = max(when, scheme.period.start)
        record: Record = {"type": rule.event, "date": when, "unit": unit, rule.period_field: key}
        if spec is not None:
            record.update(draw(_custom_fields(scheme, spec, skip={rule.period_field})))
        records.append(record)
    return records


def _field_values(scheme: Scheme, field: FieldSpec) -> st.SearchStrategy[Any]:
    if field.type == "enum":
        return st.sampled_from(list(field.values or ()))
    if field.type == "integer":
        return st.integers(0, 30)
    if field.type == "decimal":
        return st.integers(0, 1000).map(lambda n: Decimal(n) / 100)
    if field.type == "date":
        return _day(scheme.period.start, scheme.period.end)
    if field.type == "boolean":
        return st.booleans()
    return st.sampled_from(["甲", "乙", "丙"])


@st.composite
def _custom_fields(draw: st.DrawFn, scheme: Scheme, spec: EventTypeSpec, skip: set[str]) -> Record:
    values: Record = {}
    for field in spec.fields:
        if field.id in skip or (not field.required and draw(st.booleans())):
            continue
        values[field.id] = draw(_field_values(scheme, field))
    return values


@st.composite
def _unit_stream(draw: st.DrawFn, scheme: Scheme, unit: str, others: list[str]) -> list[Record]:
    start, end = scheme.period.start, scheme.period.end
    records: list[Record] = []
    if scheme.categories:
        for n in range(draw(st.integers(0, 6))):
            records += draw(_item(scheme, unit, f"{unit}-item{n}", others))
    declared = {spec.id: spec for spec in scheme.event_types}
    periodic = [r for _, r in scheme.rules() if isinstance(r, PeriodicRule)]
    for rule in periodic:
        records += draw(_reports(scheme, rule, unit, declared.get(rule.event)))
    for _ in range(draw(st.integers(0, 2))):
        findings = draw(
            st.fixed_dictionaries(
                {},
                optional={
                    name: st.booleans()
                    for name in ("has_office", "has_staff", "has_work_plan", "ledger_complete")
                },
            ).filter(bool)
        )
        records.append(
            {"type": "inspection", "date": draw(_day(start, end)), "unit": unit, **findings}
        )
    for _ in range(draw(st.integers(0, 4))):
        records.append(
            {
                "type": "commendation",
                "date": draw(_day(start, end)),
                "unit": unit,
                "level": draw(st.sampled_from(["city", "district"])),
                "circulated": draw(st.booleans()),
            }
        )
    reported = {r.event for r in periodic}
    for spec in scheme.event_types:
        if spec.id in reported:
            continue
        for _ in range(draw(st.integers(0, 3))):
            record = {"type": spec.id, "date": draw(_day(start, end)), "unit": unit}
            records.append({**record, **draw(_custom_fields(scheme, spec, skip=set()))})
    records += draw(_adjustments(scheme, unit))
    return records


@st.composite
def _adjustments(draw: st.DrawFn, scheme: Scheme, unit: str) -> list[Record]:
    """Adjustments under each adjustment rule, within and beyond its bounds."""
    records: list[Record] = []
    start, end = scheme.period.start, scheme.period.end
    bounded = [r for _, r in scheme.rules() if isinstance(r, AdjustmentRule)]
    for rule in bounded:
        halves = st.integers(int(rule.min * 2) - 2, int(rule.max * 2) + 2)
        for _ in range(draw(st.integers(0, 2))):
            records.append(
                {
                    "type": "adjustment",
                    "date": draw(_day(start, end)),
                    "unit": unit,
                    "rule": rule.id,
                    "points": Decimal(draw(halves)) / 2,
                    "reason": "年终综合评分",
                }
            )
    return records


@st.composite
def _streams(draw: st.DrawFn, scheme: Scheme, roster: Roster, redeliver: bool) -> list[Record]:
    ids = [unit.id for unit in roster.units]
    records: list[Record] = []
    for unit in ids:
        records += draw(_unit_stream(scheme, unit, [u for u in ids if u != unit]))
    numbered = [{"id": f"ev{n:05d}", **_jsonable(r)} for n, r in enumerate(records)]
    if redeliver and numbered:
        numbered += draw(st.lists(st.sampled_from(numbered), max_size=5))
    return draw(st.permutations(numbered))


def _jsonable(record: Record) -> Record:
    """Dates as the contract writes them; exact decimals as strings."""
    out: Record = {}
    for key, value in record.items():
        if isinstance(value, date):
            out[key] = value.isoformat()
        elif isinstance(value, Decimal):
            out[key] = str(value)
        else:
            out[key] = value
    return out


def event_streams(
    scheme: Scheme, roster: Roster, *, redeliver: bool = True
) -> st.SearchStrategy[list[Record]]:
    """Valid event records for `scheme` and `roster`, in random order.

    Every event type the scheme can use appears: item lifecycles (extensions,
    closures early, on time and late, open items, assessments, co-handlers),
    reports on time, late and missing for each periodic rule, inspections,
    commendations, the scheme's own event types and adjustments within and beyond
    their bounds. With `redeliver`, some records are delivered twice, identically.
    """
    if not isinstance(scheme, Scheme):
        raise TypeError(f"scheme must be a Scheme (got {type(scheme).__name__})")
    if not isinstance(roster, Roster):
        raise TypeError(f"roster must be a Roster (got {type(roster).__name__})")
    event_types(scheme)  # fail now, not inside a test, if the scheme's types cannot be built
    return _streams(scheme, roster, redeliver)


_FINDINGS = ("has_office", "has_staff", "has_work_plan", "ledger_complete")


def _points(low: int, high: int) -> st.SearchStrategy[Decimal]:
    """Points in halves, so that exact arithmetic meets fractions of all kinds."""
    return st.integers(low * 2, high * 2).map(lambda n: Decimal(n) / 2)


# Random rules give points of either sign, in sections of either start, to try the engine on
# every combination: as a scheme must, they say so (a deduction in a section that gains, too).
_EITHER_SIGN = {"sign": "any", "note": "随机方案: 分值正负皆可,以检验引擎"}


@st.composite
def _rule(
    draw: st.DrawFn, ident: str, kind: str, categories: list[str], counted: dict[str, int]
) -> Record:
    base: Record = {
        "id": ident,
        "kind": kind,
        "name": f"规则{ident}",
        "clause": "一",
        "text": "随机规则",
    }
    if kind == "finding":
        return (
            base
            | _EITHER_SIGN
            | {
                "event": "inspection",
                "field": draw(st.sampled_from(_FINDINGS)),
                "equals": draw(st.booleans()),
                "points": draw(_points(-5, 5)),
            }
        )
    if kind == "per_event":
        return base | _EITHER_SIGN | draw(_per_event())
    if kind == "periodic":
        return (
            base
            | _EITHER_SIGN
            | {
                "event": "report_submitted",
                "period_field": "month",
                "deadline": {"days_after_end": draw(st.integers(0, 10))},
                "missed": draw(_points(-2, 0)),
                "late": draw(_points(-2, 0)),
            }
        )
    if kind == "threshold":
        counts = draw(st.sampled_from(sorted(counted)))
        return (
            base
            | _EITHER_SIGN
            | {
                "counts": counts,
                "at": draw(st.integers(1, counted[counts])),  # no more than the rule can reach
                "repeat": draw(st.booleans()),
                "points": draw(_points(-3, 3)),
            }
        )
    if kind == "per_item":
        status = draw(st.sampled_from(["complete", "incomplete", "closed_late", "closed_early"]))
        spec: Record = {"status": status, "points": draw(_points(-3, 3))}
        if status == "closed_early":
            spec["days_early"] = draw(st.integers(1, 30))
        return base | _EITHER_SIGN | spec
    if kind == "overdue":
        return (
            base
            | _EITHER_SIGN
            | {"per_day": draw(_points(-1, 0)), "cap_per_item": draw(_points(1, 5))}
        )
    if kind == "rate":
        return (
            base
            | _EITHER_SIGN
            | {
                "of": draw(st.sampled_from(["closed_on_time", "completion"])),
                "full_at": Decimal(draw(st.integers(1, 10))) / 10,
                "per_point_below": draw(_points(-1, 0)),
            }
        )
    return base | {"min": draw(_points(-5, 0)), "max": draw(_points(0, 5))}


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
    return spec


def _reach(rule: Record) -> int:
    """How many occurrences a threshold may ask of a rule: 0 if it gives no points."""
    values = [rule.get(key) for key in ("points", "missed", "late")] + rule.get("steps", [])
    if isinstance(rule.get("points"), dict):
        values += rule["points"]["table"].values()
    if not any(isinstance(v, Decimal) and v != 0 for v in values):
        return 0
    return 1 if rule["kind"] == "finding" else 4


@st.composite
def _schemes(draw: st.DrawFn) -> Scheme:
    categories = [f"cat{n}" for n in range(draw(st.integers(1, 4)))]
    kinds = ["finding", "per_event", "periodic", "per_item", "overdue", "rate", "adjustment"]
    sections: list[Record] = []
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
    counted: dict[str, int] = {}  # rules a threshold may count, and how far
    for n in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from([*kinds, "threshold"] if counted else kinds))
        rule = draw(_rule(f"r{n}", kind, categories, counted))
        rules.append(rule)
        if kind in ("periodic", "per_event", "finding") and _reach(rule):
            counted[rule["id"]] = _reach(rule)
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
            for c, w in zip(categories, weights, strict=True)
        ],
        "sections": sections,
    }
    if draw(st.booleans()):
        data["total"] = {"cap": data["base"]}
    if draw(st.booleans()):
        data["grades"] = [
            {"id": "good", "name": "好", "min": data["base"] / 2, "quota": Decimal("0.5")},
            {"id": "other", "name": "其他"},
        ]
    return Scheme.model_validate(data)


def _split(rules: list[Record], parts: int) -> list[list[Record]]:
    """The completion rule in the first part; the others spread over the rest."""
    chunks: list[list[Record]] = [[rules[0]]] + [[] for _ in range(parts - 1)]
    for n, rule in enumerate(rules[1:]):
        chunks[n % parts].append(rule)
    return [chunk for chunk in chunks if chunk]


def schemes() -> st.SearchStrategy[Scheme]:
    """Random valid schemes: sections with floors and starts, rules of every kind over the
    built-in event types, categories with every policy, caps on the total, grades."""
    return _schemes()
