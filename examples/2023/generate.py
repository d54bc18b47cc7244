"""Make the example district of 2023: `roster.csv` and `events.jsonl` beside this file.

The district is fictional: 36 units of the four kinds of clause 一 (8 towns,
6 sub-district offices, the three zone committees and 19 departments and units
directly under the district government), with a whole year of supervision
ledger (督查台账) events of every type of the event contract:

- supervised items (督查事项) of the six categories, assigned with a deadline;
  most closed on time, some extended once or twice first (延期, each a re-issued
  supervision notice), some closed late and some never closed; a few judged at
  the year-end evaluation (年终考评, `item_assessed`) in December;
- monthly progress reports for 2023-01 to 2023-12: mostly on time, some late
  (December's late ones arrive in January 2024), some never;
- a spring inspection of every unit and an autumn follow-up for some, whose
  failed findings are partly fixed;
- commendations by city or district leaders, some circulated (通报表扬);
- a few lines delivered twice, identically (idempotent re-delivery), and the
  whole file shuffled, since order in the stream carries no meaning.

What the data shows under the 2023 scheme, by design:

- reweighting: most units lack some categories; `dept-audit` undertakes exactly
  one (`instructions`), `town-qingshi` all six, and `dept-archives` none at all
  (its completion section keeps the full 80);
- `ten_things` items (all or nothing) only for the handful of units in `TEN_THINGS`;
- `sub-xiguan`, `zone-eco` and `dept-kjj` are made to miss three or more monthly
  reports (a late report counts as missed), so the extra −2 applies;
- `town-longtan` has six circulated commendations: 30 points, capped at 20.

As it happens, with this seed `dept-swj` also undertakes a single category,
`dept-jyj` all six, `dept-zjj` and `dept-yjj` also miss three reports, and the
inspections leave `town-dongpo`, `dept-audit` and `dept-zjj` short in 三(一).

Everything follows from `random.Random(2023)` and the phrases in `wording.json`;
nothing depends on the time or the machine. Regenerate (byte-identical output) with:

    python examples/2023/generate.py
"""

from __future__ import annotations

import calendar
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeAlias

HERE = Path(__file__).resolve().parent
YEAR = 2023
SEED = 2023
YEAR_END = date(YEAR, 12, 31)
DAY = timedelta(days=1)
# The example's wording (task titles, places, reasons, notes) is data, kept in wording.json
# beside this file: this file says only how the year is made.
WORDING: dict[str, dict[str, Any]] = json.loads((HERE / "wording.json").read_text(encoding="utf-8"))
# The lists keep the file's order: the draws depend on it.
PHRASES: dict[str, tuple[str, ...]] = {
    key: tuple(listed) for key, listed in WORDING["phrases"].items()
}
BY_UNIT: dict[str, dict[str, tuple[str, ...]]] = {
    key: {unit: tuple(listed) for unit, listed in table.items()}
    for key, table in WORDING["by_unit"].items()
}

Value: TypeAlias = str | bool | float
Fields: TypeAlias = list[tuple[str, Value]]

TOWNS = (
    ("qingshi", "青石"),
    ("baishui", "白水"),
    ("hexi", "河西"),
    ("shanqian", "山前"),
    ("longtan", "龙潭"),
    ("xinfeng", "新丰"),
    ("dongpo", "东坡"),
    ("yuanjia", "袁家"),
)
SUBDISTRICTS = (
    ("dongcheng", "东城"),
    ("xiguan", "西关"),
    ("nanyuan", "南苑"),
    ("beihu", "北湖"),
    ("jinqiao", "金桥"),
    ("wenhua", "文化"),
)
ZONES = (
    ("zone-dev", "开发区管委会"),
    ("zone-industry", "产业园管委会"),
    ("zone-eco", "东部生态文明旅游区管委会"),
)
DEPARTMENTS = (
    ("fgj", "发展和改革局"),
    ("jyj", "教育局"),
    ("kjj", "科学技术局"),
    ("gxj", "工业和信息化局"),
    ("mzj", "民政局"),
    ("czj", "财政局"),
    ("rsj", "人力资源和社会保障局"),
    ("zrj", "自然资源局"),
    ("hbj", "生态环境局"),
    ("zjj", "住房和城乡建设局"),
    ("jtj", "交通运输局"),
    ("slj", "水利局"),
    ("nyj", "农业农村局"),
    ("swj", "商务局"),
    ("wlj", "文化和旅游局"),
    ("wjj", "卫生健康局"),
    ("yjj", "应急管理局"),
    ("audit", "审计局"),
    ("archives", "档案馆"),
)

CATEGORIES = (
    "work_report",
    "ten_things",
    "key_works",
    "meeting_decisions",
    "proposals",
    "instructions",
)
PREFIX = {
    "work_report": "GZBG",
    "ten_things": "SS",
    "key_works": "ZDGZ",
    "meeting_decisions": "YDSX",
    "proposals": "JYTA",
    "instructions": "PSJ",
}
# The chance that a unit of a kind undertakes a category (ten_things is handed out below).
ODDS = {
    "town": {
        "work_report": 0.95,
        "key_works": 0.85,
        "meeting_decisions": 0.75,
        "proposals": 0.5,
        "instructions": 0.8,
    },
    "subdistrict": {
        "work_report": 0.95,
        "key_works": 0.8,
        "meeting_decisions": 0.75,
        "proposals": 0.45,
        "instructions": 0.85,
    },
    "zone": {
        "work_report": 0.95,
        "key_works": 0.9,
        "meeting_decisions": 0.7,
        "proposals": 0.3,
        "instructions": 0.7,
    },
    "department": {
        "work_report": 0.8,
        "key_works": 0.7,
        "meeting_decisions": 0.7,
        "proposals": 0.85,
        "instructions": 0.8,
    },
}
ITEM_COUNTS = (1, 2, 3, 3, 4, 4, 5, 5, 6, 6)
# The handful of units that carry the ten practical things (10件实事), with what each does.
TEN_THINGS = BY_UNIT["ten_things"]
FIXED_PLANS = {
    "town-qingshi": {
        "work_report": 5,
        "ten_things": 2,
        "key_works": 4,
        "meeting_decisions": 3,
        "proposals": 2,
        "instructions": 4,
    },
    "town-longtan": {"work_report": 6, "key_works": 5, "meeting_decisions": 4, "instructions": 4},
    "dept-audit": {"instructions": 3},
    "dept-archives": {},
}
# Months whose report is missing ("absent") or arrives after the month's last day ("late").
FIXED_REPORTS = {
    "sub-xiguan": {3: "absent", 7: "absent", 8: "late", 11: "absent"},
    "zone-eco": {5: "absent", 6: "absent", 9: "late"},
    "dept-kjj": {2: "absent", 10: "late", 12: "absent"},
}
CIRCULATED_COUNT = {"town-longtan": 6}
# The inspection findings, and the chance that the spring inspection finds each one lacking.
FINDINGS = ("has_office", "has_staff", "has_work_plan", "ledger_complete")
FINDING_ODDS = {
    "has_office": 0.08,
    "has_staff": 0.14,
    "has_work_plan": 0.12,
    "ledger_complete": 0.15,
}


@dataclass(frozen=True)
class Unit:
    """A unit of the roster (考核对象)."""

    id: str
    name: str
    kind: str


@dataclass
class Item:
    """A supervised item as the generator walks its lifecycle."""

    code: str
    unit: str
    category: str
    assigned: date
    due: date
    last: date  # the date of its latest lifecycle event so far
    closed: date | None = None
    on_time: bool = False


@dataclass(frozen=True)
class Draft:
    """An event before it gets its id: ids follow the ledger's date order."""

    type: str
    date: date
    unit: str
    fields: tuple[tuple[str, Value], ...]


@dataclass
class Ledger:
    """Collects the year's events and the counters that name items."""

    drafts: list[Draft] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, day: date, unit: str, fields: Fields) -> None:
        self.drafts.append(Draft(kind, day, unit, tuple(fields)))

    def next(self, counter: str) -> int:
        self.counters[counter] = self.counters.get(counter, 0) + 1
        return self.counters[counter]

    def lines(self, codes: dict[str, str]) -> list[str]:
        """JSON lines in ledger order (date, then the order they were made), ids in sequence.

        `codes` gives each item its final code in place of its provisional one.
        """
        order = sorted(range(len(self.drafts)), key=lambda i: (self.drafts[i].date, i))
        lines = []
        for number, index in enumerate(order, start=1):
            draft = self.drafts[index]
            event: dict[str, Value] = {
                "id": f"E{number:06d}",
                "type": draft.type,
                "date": draft.date.isoformat(),
                "unit": draft.unit,
            }
            event.update((k, codes[str(v)] if k == "item" else v) for k, v in draft.fields)
            lines.append(json.dumps(event, ensure_ascii=False))
        return lines


def make_roster() -> list[Unit]:
    units = [Unit(f"town-{key}", f"{name}镇人民政府", "town") for key, name in TOWNS]
    units += [Unit(f"sub-{key}", f"{name}街道办事处", "subdistrict") for key, name in SUBDISTRICTS]
    units += [Unit(key, name, "zone") for key, name in ZONES]
    units += [Unit(f"dept-{key}", f"区{name}", "department") for key, name in DEPARTMENTS]
    return units


def pick_day(rng: random.Random, start: date, end: date) -> date:
    """A day in [start, end], a working day (Monday to Friday) when the range has one."""
    days = [start + DAY * n for n in range((end - start).days + 1)]
    workdays = [d for d in days if d.weekday() < 5]
    return rng.choice(workdays or days)


def month_end(month: int) -> date:
    return date(YEAR, month, calendar.monthrange(YEAR, month)[1])


def plan_items(rng: random.Random, unit: Unit) -> dict[str, int]:
    """How many items of each category the unit undertakes (absent: none)."""
    if unit.id in FIXED_PLANS:
        return dict(FIXED_PLANS[unit.id])
    counts: dict[str, int] = {}
    for category in CATEGORIES:
        if category == "ten_things":
            if unit.id in TEN_THINGS:
                counts[category] = rng.randint(1, 2)
        elif rng.random() < ODDS[unit.kind][category]:
            counts[category] = rng.choice(ITEM_COUNTS)
    if not counts:
        counts["work_report"] = rng.randint(2, 4)
    return counts


def title_for(rng: random.Random, ledger: Ledger, unit: Unit, category: str, assigned: date) -> str:
    """A title for the item, in the words of the ledger."""
    n = str(rng.randint(2, 9))
    place = rng.choice(PHRASES["places"])
    if category == "work_report":
        # A department's tasks follow its remit; towns, sub-districts and zones share the
        # district's government work report.
        tasks = BY_UNIT["duties"].get(unit.id, PHRASES["topics_work_report"])
        return rng.choice(tasks).format(n=n, place=place)
    if category == "ten_things":
        return "为民办实事：" + rng.choice(TEN_THINGS[unit.id]).format(n=n)
    if category == "key_works":
        return "区政府重点工作：" + rng.choice(PHRASES["topics_key_works"]).format(n=n)
    if category == "meeting_decisions":
        # Standing meetings are numbered through the year, about two a month.
        meeting = rng.choice(PHRASES["meetings"]).format(n=2 * assigned.month - rng.randint(0, 1))
        return f"{meeting}议定事项：{rng.choice(PHRASES['topics_meetings'])}"
    if category == "proposals":
        kind, counter = rng.choice((("人大代表建议", "suggestion"), ("政协委员提案", "motion")))
        noun = "建议" if counter == "suggestion" else "提案"
        topic = rng.choice(PHRASES["topics_proposals"])
        return f"办理区{kind}第{ledger.next(counter)}号：关于{topic}的{noun}"
    return f"落实{rng.choice(PHRASES['leaders'])}关于{rng.choice(PHRASES['topics_instructions'])}的批示"


def schedule(rng: random.Random, category: str) -> tuple[date, date]:
    """When an item of the category is assigned (立项交办) and its first deadline."""
    if category == "work_report":  # after the district people's congress in February
        assigned = pick_day(rng, date(YEAR, 2, 6), date(YEAR, 3, 10))
        due = rng.choice((date(YEAR, 6, 30), date(YEAR, 9, 30), date(YEAR, 10, 31)))
        return assigned, rng.choice((due, date(YEAR, 11, 30), date(YEAR, 12, 15)))
    if category == "ten_things":
        assigned = pick_day(rng, date(YEAR, 2, 13), date(YEAR, 2, 28))
        return assigned, rng.choice((date(YEAR, 10, 31), date(YEAR, 11, 30)))
    if category == "key_works":
        assigned = pick_day(rng, date(YEAR, 1, 9), date(YEAR, 6, 30))
        span = rng.randint(60, 180)
    elif category == "meeting_decisions":
        assigned = pick_day(rng, date(YEAR, 1, 16), date(YEAR, 11, 17))
        span = rng.randint(15, 60)
    elif category == "proposals":  # after the two sessions; answered within three months
        assigned = pick_day(rng, date(YEAR, 3, 13), date(YEAR, 5, 31))
        span = rng.randint(60, 90)
    else:
        assigned = pick_day(rng, date(YEAR, 1, 5), date(YEAR, 12, 1))
        span = rng.randint(7, 30)
    return assigned, min(assigned + DAY * span, date(YEAR, 12, 29))


def make_item(
    rng: random.Random, ledger: Ledger, unit: Unit, category: str, diligence: float
) -> Item:
    code = f"{category}:{ledger.next(category)}"  # provisional: see `number_items`
    assigned, due = schedule(rng, category)
    title = title_for(rng, ledger, unit, category, assigned)
    fields: Fields = [("item", code), ("category", category), ("due", due.isoformat())]
    ledger.add("item_assigned", assigned, unit.id, [*fields, ("title", title)])
    item = Item(code, unit.id, category, assigned, due, assigned)
    extend(rng, ledger, item)
    close(rng, ledger, item, diligence)
    assess(rng, ledger, item)
    return item


def extend(rng: random.Random, ledger: Ledger, item: Item) -> None:
    """Once or twice for some items: asked for before the deadline in force, never in December."""
    reasons = rng.sample(PHRASES["reasons"], 2)
    for reason in reasons[: rng.choices((0, 1, 2), weights=(76, 19, 5))[0]]:
        if item.due >= date(YEAR, 12, 1):
            return
        when = pick_day(rng, max(item.last + DAY, item.due - DAY * 20), item.due)
        item.due = min(item.due + DAY * rng.randint(15, 60), YEAR_END)
        fields: Fields = [("item", item.code), ("due", item.due.isoformat()), ("reason", reason)]
        ledger.add("item_extended", when, item.unit, fields)
        item.last = when


def close(rng: random.Random, ledger: Ledger, item: Item, diligence: float) -> None:
    """On time (most), late (some), or never in 2023 (the rest)."""
    fate = rng.random()
    if fate < diligence:
        start = max(item.last + DAY, item.due - DAY * rng.randint(3, 45))
        item.closed = pick_day(rng, start, item.due)
        item.on_time = True
    elif fate < diligence + (1 - diligence) * 0.55 and item.due + DAY * 3 < date(YEAR, 12, 29):
        late_until = min(item.due + DAY * rng.randint(5, 45), date(YEAR, 12, 29))
        item.closed = pick_day(rng, item.due + DAY * 3, late_until)
    if item.closed is not None:
        ledger.add("item_closed", item.closed, item.unit, [("item", item.code)])
        item.last = item.closed


def assess(rng: random.Random, ledger: Ledger, item: Item) -> None:
    """The year-end evaluation (年终考评) judges a few items, mostly unfinished ones."""
    if item.on_time:
        if rng.random() >= 0.02:
            return
        completion = rng.choice((0.9, 1.0))
    else:
        if rng.random() >= 0.25:
            return
        completion = rng.choice((0.3, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9))
    start = max(item.last + DAY, date(YEAR, 12, 18))
    if start <= date(YEAR, 12, 28):
        fields: Fields = [("item", item.code), ("completion", completion)]
        ledger.add("item_assessed", pick_day(rng, start, date(YEAR, 12, 28)), item.unit, fields)


def reports(rng: random.Random, ledger: Ledger, unit: Unit, slack: float) -> None:
    """One report per month, due by the month's last day (每月月底前)."""
    fixed = FIXED_REPORTS.get(unit.id, {})
    for month in range(1, 13):
        last = month_end(month)
        roll = rng.random()
        fate = fixed.get(month, "on_time" if roll >= slack else rng.choice(("late", "absent")))
        if fate == "absent":
            continue
        if fate == "late":
            day = pick_day(rng, last + DAY, last + DAY * rng.randint(3, 12))
        else:
            day = pick_day(rng, last - DAY * rng.randint(3, 8), last)
        ledger.add("report_submitted", day, unit.id, [("month", f"{YEAR}-{month:02d}")])


def inspections(rng: random.Random, ledger: Ledger, unit: Unit) -> None:
    """A spring inspection of everything; an autumn follow-up on what failed, or spot checks."""
    spring = {name: rng.random() >= FINDING_ODDS[name] for name in FINDINGS}
    day = pick_day(rng, date(YEAR, 3, 13), date(YEAR, 4, 14))
    ledger.add("inspection", day, unit.id, list(spring.items()))
    failed = [name for name in FINDINGS if not spring[name]]
    if failed:
        autumn: Fields = [(name, rng.random() < 0.6) for name in failed]
    elif rng.random() < 0.3:
        autumn = [("ledger_complete", rng.random() < 0.85)]
    else:
        return
    ledger.add("inspection", pick_day(rng, date(YEAR, 9, 11), date(YEAR, 10, 20)), unit.id, autumn)


def commendations(
    rng: random.Random, ledger: Ledger, unit: Unit, items: list[Item], circulated: int
) -> None:
    """Leaders' affirmation (领导肯定) of items closed on time; circulated (通报表扬) for some."""
    plain = rng.choices((0, 1, 2), weights=(55, 35, 10))[0]
    done = [
        i for i in items if i.on_time and i.closed is not None and i.closed < date(YEAR, 12, 20)
    ]
    for number in range(circulated + plain):
        level = rng.choice(("city", "district"))
        fields: Fields = [("level", level), ("circulated", number < circulated)]
        if done and rng.random() < 0.85:
            item = rng.choice(done)
            assert item.closed is not None
            end = min(item.closed + DAY * 40, date(YEAR, 12, 29))
            day = pick_day(rng, item.closed + DAY * 3, end)
            fields.append(("item", item.code))
        else:
            day = pick_day(rng, date(YEAR, 4, 3), date(YEAR, 12, 22))
        if rng.random() < 0.8:
            fields.append(
                (
                    "note",
                    rng.choice(
                        PHRASES["city_notes"] if level == "city" else PHRASES["district_notes"]
                    ),
                )
            )
        ledger.add("commendation", day, unit.id, fields)


def number_items(items: list[Item]) -> dict[str, str]:
    """Final item codes, numbered per category in the order the items were assigned."""
    ordered = sorted(items, key=lambda i: (CATEGORIES.index(i.category), i.assigned))
    numbers: dict[str, int] = {}
    codes = {}
    for item in ordered:
        numbers[item.category] = numbers.get(item.category, 0) + 1
        codes[item.code] = f"{PREFIX[item.category]}-{YEAR}-{numbers[item.category]:03d}"
    return codes


def main(out: Path = HERE) -> None:
    rng = random.Random(SEED)
    units = make_roster()
    others = [u.id for u in units if u.id not in FIXED_PLANS and u.id not in FIXED_REPORTS]
    circulated = dict(CIRCULATED_COUNT)
    for unit_id in rng.sample(others, 4):  # a few well-run units circulated two or three times
        circulated[unit_id] = rng.randint(2, 3)
    ledger = Ledger()
    every_item: list[Item] = []
    for unit in units:
        diligence = rng.uniform(0.72, 0.95)
        slack = rng.choice((0.0, 0.0, 0.05, 0.08, 0.12))
        items = [
            make_item(rng, ledger, unit, category, diligence)
            for category, count in plan_items(rng, unit).items()
            for _ in range(count)
        ]
        every_item += items
        reports(rng, ledger, unit, slack)
        inspections(rng, ledger, unit)
        commendations(rng, ledger, unit, items, circulated.get(unit.id, 0))
    lines = ledger.lines(number_items(every_item))
    lines += rng.sample(lines, 6)  # re-delivered identically: the reader ignores the copies
    rng.shuffle(lines)
    (out / "events.jsonl").write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    rows = ["id,name,kind", *(f"{unit.id},{unit.name},{unit.kind}" for unit in units)]
    (out / "roster.csv").write_bytes(("\n".join(rows) + "\n").encode("utf-8"))


if __name__ == "__main__":
    main()
