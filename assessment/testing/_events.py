"""Random valid event records for a scheme and roster: the machinery of `event_streams`."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from assessment._internal.load.periods import periods
from assessment.roster import Roster
from assessment.scheme import (
    AdjustmentRule,
    EventTypeSpec,
    FieldSpec,
    PerEventRule,
    PeriodicRule,
    PointsFromField,
    Scheme,
)

__all__ = ["FINDINGS", "Record", "streams"]

Record = dict[str, Any]

FINDINGS = ("has_office", "has_staff", "has_work_plan", "ledger_complete")
"""The findings an inspection records."""


def _day(period_start: date, period_end: date) -> st.SearchStrategy[date]:
    return st.dates(min_value=period_start, max_value=period_end)


@st.composite
def _item(draw: st.DrawFn, scheme: Scheme, unit: str, name: str, others: list[str]) -> list[Record]:
    """One item's lifecycle: assigned; maybe extended, closed early, on time or late; assessed."""
    start, end = scheme.period.start, scheme.period.end
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
    extensions = _extensions(draw, end, unit, name, last=assigned, due=due)
    last, due = (extensions[-1]["date"], extensions[-1]["due"]) if extensions else (assigned, due)
    return [record, *extensions, *_ending(draw, scheme, unit, name, last=last, due=due)]


def _extensions(
    draw: st.DrawFn, end: date, unit: str, name: str, *, last: date, due: date
) -> list[Record]:
    """Up to two extensions, each later than the last event and pushing the deadline on."""
    records: list[Record] = []
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
    return records


def _ending(
    draw: st.DrawFn, scheme: Scheme, unit: str, name: str, *, last: date, due: date
) -> list[Record]:
    """The item closed early, on time, late or not at all; sometimes assessed."""
    records: list[Record] = []
    fate = draw(st.sampled_from(["early", "on_time", "late", "open"]))
    if fate != "open":
        offset = {
            "early": -draw(st.integers(1, 40)),
            "on_time": 0,
            "late": draw(st.integers(1, 90)),
        }
        closed = max(last, due + timedelta(days=offset[fate]))
        if closed <= scheme.period.last_event_day:  # closed later than the ledger runs: open
            records.append({"type": "item_closed", "date": closed, "unit": unit, "item": name})
    if draw(st.integers(0, 4)) == 0:
        completion = Decimal(draw(st.integers(0, 10))) / 10
        records.append(
            {
                "type": "item_assessed",
                "date": max(last, scheme.period.end),
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
    if field.type in ("month", "quarter", "year"):
        return st.sampled_from([key for key, _, _ in periods(scheme.period, field.type)])
    return st.sampled_from(["甲", "乙", "丙"])


def _band(scheme: Scheme, event: str, field: str) -> PointsFromField | None:
    """The band a rule takes its points from this field within, if one does."""
    for _, rule in scheme.rules():
        if not isinstance(rule, PerEventRule) or rule.event != event:
            continue
        if isinstance(rule.points, PointsFromField) and rule.points.from_ == field:
            return rule.points
    return None


def _in_band(band: PointsFromField) -> st.SearchStrategy[Decimal]:
    """Values within a band and on its step (a band with no step: in hundredths)."""
    step = band.step if band.step is not None else Decimal("0.01")
    return st.integers(0, int((band.max - band.min) / step)).map(lambda n: band.min + n * step)


@st.composite
def _custom_fields(draw: st.DrawFn, scheme: Scheme, spec: EventTypeSpec, skip: set[str]) -> Record:
    values: Record = {}
    for field in spec.fields:
        band = _band(scheme, spec.id, field.id)
        if field.id in skip or (band is None and not field.required and draw(st.booleans())):
            continue
        values[field.id] = draw(_field_values(scheme, field) if band is None else _in_band(band))
    return values


@st.composite
def _unit_stream(draw: st.DrawFn, scheme: Scheme, unit: str, others: list[str]) -> list[Record]:
    start, end = scheme.period.start, scheme.period.end
    records: list[Record] = []
    if scheme.categories:
        for n in range(draw(st.integers(0, 6))):
            records += draw(_item(scheme, unit, f"{unit}-item{n}", others))
    if any(spec.item for spec in scheme.event_types):
        records += draw(_item_scoped(scheme, [r for r in records if r["type"] == "item_assigned"]))
    declared = {spec.id: spec for spec in scheme.event_types}
    periodic = [r for _, r in scheme.rules() if isinstance(r, PeriodicRule)]
    for rule in periodic:
        records += draw(_reports(scheme, rule, unit, declared.get(rule.event)))
    records += _visits(draw, start, end, unit, _levels(scheme))
    reported = {r.event for r in periodic}
    for spec in scheme.event_types:
        if spec.id in reported or spec.item:
            continue
        for _ in range(draw(st.integers(0, 3))):
            record = {"type": spec.id, "date": draw(_day(start, end)), "unit": unit}
            records.append({**record, **draw(_custom_fields(scheme, spec, skip=set()))})
    records += draw(_adjustments(scheme, unit))
    return records


@st.composite
def _item_scoped(draw: st.DrawFn, scheme: Scheme, assigned: list[Record]) -> list[Record]:
    """Events of the scheme's item-scoped types: each names an item, and is the lead's (about
    the item as a whole) or a co-handler's (about its part), dated after the assignment."""
    records: list[Record] = []
    for spec in (s for s in scheme.event_types if s.item):
        for item in assigned:
            for _ in range(draw(st.integers(0, 2))):
                unit = draw(st.sampled_from([item["unit"], *item.get("cohandlers", ())]))
                when = draw(_day(item["date"], scheme.period.end))
                record = {"type": spec.id, "date": when, "unit": unit, "item": item["item"]}
                records.append({**record, **draw(_custom_fields(scheme, spec, skip=set()))})
    return records


def _levels(scheme: Scheme) -> list[str]:
    """A commendation's levels: the built-in ones and those the scheme adds (`extends:`)."""
    added = [
        str(value)
        for extension in scheme.extends
        if extension.event == "commendation" and extension.field == "level"
        for value in extension.add_values
    ]
    return ["city", "district", *added]


def _visits(draw: st.DrawFn, start: date, end: date, unit: str, levels: list[str]) -> list[Record]:
    """Inspections with some of their findings, and commendations."""
    records: list[Record] = []
    for _ in range(draw(st.integers(0, 2))):
        findings = draw(
            st.fixed_dictionaries({}, optional={name: st.booleans() for name in FINDINGS}).filter(
                bool
            )
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
                "level": draw(st.sampled_from(levels)),
                "circulated": draw(st.booleans()),
            }
        )
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
def streams(draw: st.DrawFn, scheme: Scheme, roster: Roster, redeliver: bool) -> list[Record]:
    """Every unit's events, numbered, some delivered twice with `redeliver`, shuffled."""
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
