"""Make the example district of 2023: `roster.csv` and `events.jsonl` beside this file.

A fictional district of 36 units (the unit kinds of clause 一: towns, sub-district
offices, three zone committees and the district's departments) and a year of
ledger events of every type: items assigned, extended, closed on time, late or
never, assessed at year end; monthly reports on time, late and missing;
inspections whose findings are later fixed; commendations, some circulated.

What the data shows, by design:
- `dept-audit` undertakes one category only, `town-qingshi` all six, and
  `dept-archives` none at all (reweighting keeps its 80);
- `sub-xiguan` misses at least three monthly reports (the extra −2);
- `town-longtan` has five circulated commendations (the bonus stops at 20);
- a few lines are delivered twice, identically (idempotent re-delivery).

The output depends only on the seed: run `python examples/2023/generate.py`
to regenerate the same bytes.
"""

from __future__ import annotations

import calendar
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
YEAR = 2023
END = date(YEAR, 12, 31)

TOWNS = [
    "qingshi:青石",
    "baishui:白水",
    "hexi:河西",
    "shanqian:山前",
    "longtan:龙潭",
    "xinfeng:新丰",
    "dongpo:东坡",
    "yuanjia:袁家",
]
SUBDISTRICTS = [
    "dongcheng:东城",
    "xiguan:西关",
    "nanyuan:南苑",
    "beihu:北湖",
    "jinqiao:金桥",
    "wenhua:文化",
]
ZONES = [
    ("zone-dev", "经济技术开发区管委会"),
    ("zone-industry", "产业园管委会"),
    ("zone-eco", "东部生态文明旅游区管委会"),
]
DEPARTMENTS = [
    "fgj:发展和改革局",
    "jyj:教育局",
    "kjj:科学技术局",
    "gxj:工业和信息化局",
    "mzj:民政局",
    "czj:财政局",
    "rsj:人力资源和社会保障局",
    "zrj:自然资源局",
    "hbj:生态环境局",
    "zjj:住房和城乡建设局",
    "jtj:交通运输局",
    "slj:水利局",
    "nyj:农业农村局",
    "swj:商务局",
    "wlj:文化和旅游局",
    "wjj:卫生健康局",
    "yjj:应急管理局",
    "audit:审计局",
    "archives:档案馆",
]

CATEGORIES = [
    "work_report",
    "ten_things",
    "key_works",
    "meeting_decisions",
    "proposals",
    "instructions",
]
PREFIX = {
    "work_report": "GZBG",
    "ten_things": "SS",
    "key_works": "ZDGZ",
    "meeting_decisions": "YDSX",
    "proposals": "JYTA",
    "instructions": "PSJ",
}
TITLES = {
    "work_report": [
        "改造老旧小区",
        "新建城市公园",
        "推进高标准农田建设",
        "完成河道综合整治",
        "新增城镇就业岗位",
    ],
    "ten_things": ["新建社区养老服务站", "改造农村公路", "新增公办幼儿园学位"],
    "key_works": ["优化营商环境专项行动", "重点项目建设攻坚", "安全生产专项整治", "招商引资任务"],
    "meeting_decisions": ["常务会议议定事项落实", "专题会议研究事项办理", "区长办公会议定事项"],
    "proposals": ["办理人大代表建议", "办理政协委员提案"],
    "instructions": ["落实市领导批示", "落实区领导批示"],
}
REASONS = ["施工许可审批延迟", "涉及多部门协调,情况复杂", "资金拨付未到位", "雨季影响施工"]


@dataclass
class Unit:
    id: str
    name: str
    kind: str
    diligence: float
    categories: list[str] = field(default_factory=list)


def roster(rng: random.Random) -> list[Unit]:
    units = [Unit(f"town-{k}", f"{n}镇人民政府", "town", 0.0) for k, n in _pairs(TOWNS)]
    units += [
        Unit(f"sub-{k}", f"{n}街道办事处", "subdistrict", 0.0) for k, n in _pairs(SUBDISTRICTS)
    ]
    units += [Unit(k, n, "zone", 0.0) for k, n in ZONES]
    units += [Unit(f"dept-{k}", f"区{n}", "department", 0.0) for k, n in _pairs(DEPARTMENTS)]
    for unit in units:
        unit.diligence = rng.uniform(0.7, 0.98)
        pool = [c for c in CATEGORIES if c != "ten_things" or unit.kind != "department"]
        unit.categories = sorted(rng.sample(pool, rng.randint(2, 4)), key=CATEGORIES.index)
    special = {u.id: u for u in units}
    special["town-qingshi"].categories = list(CATEGORIES)
    special["dept-audit"].categories = ["instructions"]
    special["dept-archives"].categories = []
    special["sub-xiguan"].diligence = 0.55
    return units


def _pairs(entries: list[str]) -> list[tuple[str, str]]:
    return [(e.split(":")[0], e.split(":")[1]) for e in entries]


class Ledger:
    """Collects events with sequential ids in a fixed key order."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.items = 0

    def add(self, kind: str, day: date, unit: str, **fields: Any) -> None:
        event: dict[str, Any] = {
            "id": f"E{len(self.events) + 1:06d}",
            "type": kind,
            "date": day.isoformat(),
            "unit": unit,
        }
        event.update(fields)
        self.events.append(event)

    def item_id(self, category: str) -> str:
        self.items += 1
        return f"{PREFIX[category]}-{YEAR}-{self.items:03d}"


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def items(rng: random.Random, ledger: Ledger, unit: Unit) -> list[str]:
    """Every item of a unit with its lifecycle; returns the item ids."""
    made = []
    for category in unit.categories:
        for _ in range(rng.randint(1, 4)):
            made.append(item(rng, ledger, unit, category))
    return made


def item(rng: random.Random, ledger: Ledger, unit: Unit, category: str) -> str:
    code = ledger.item_id(category)
    assigned = _day(rng, date(YEAR, 1, 5), date(YEAR, 8, 31))
    due = min(END, assigned + timedelta(days=rng.randint(30, 150)))
    title = rng.choice(TITLES[category])
    ledger.add(
        "item_assigned",
        assigned,
        unit.id,
        item=code,
        category=category,
        due=due.isoformat(),
        title=title,
    )
    last = assigned
    for _ in range(rng.choices([0, 1, 2], weights=[75, 20, 5])[0]):
        if due >= END - timedelta(days=5):
            break
        when = _day(rng, last, due)
        due = min(END, due + timedelta(days=rng.randint(20, 60)))
        ledger.add(
            "item_extended",
            when,
            unit.id,
            item=code,
            due=due.isoformat(),
            reason=rng.choice(REASONS),
        )
        last = when
    fate = rng.random()
    if fate < unit.diligence:
        ledger.add("item_closed", _day(rng, last, due), unit.id, item=code)
    elif fate < unit.diligence + 0.1 and due + timedelta(days=5) < END:
        late = _day(rng, due + timedelta(days=5), min(END, due + timedelta(days=40)))
        ledger.add("item_closed", late, unit.id, item=code)
    if rng.random() < 0.08:
        completion = rng.choice(["0.5", "0.6", "0.8", "0.9", "1"])
        ledger.add(
            "item_assessed",
            _day(rng, date(YEAR, 12, 15), END),
            unit.id,
            item=code,
            completion=json.loads(completion),
        )
    return code


def reports(rng: random.Random, ledger: Ledger, unit: Unit) -> None:
    for month in range(1, 13):
        last = date(YEAR, month, calendar.monthrange(YEAR, month)[1])
        roll = rng.random()
        if roll < unit.diligence:
            ledger.add(
                "report_submitted",
                _day(rng, last - timedelta(days=8), last),
                unit.id,
                month=f"{YEAR}-{month:02d}",
            )
        elif roll < unit.diligence + (1 - unit.diligence) / 2:
            late = last + timedelta(days=rng.randint(1, 10))
            ledger.add("report_submitted", late, unit.id, month=f"{YEAR}-{month:02d}")


def inspections(rng: random.Random, ledger: Ledger, unit: Unit) -> None:
    findings = {
        name: rng.random() < unit.diligence + 0.1
        for name in ("has_office", "has_staff", "has_work_plan", "ledger_complete")
    }
    ledger.add("inspection", _day(rng, date(YEAR, 3, 1), date(YEAR, 3, 31)), unit.id, **findings)
    failed = [name for name, ok in findings.items() if not ok]
    fixed = {name: True for name in failed if rng.random() < 0.6}
    if fixed:
        ledger.add("inspection", _day(rng, date(YEAR, 9, 1), date(YEAR, 9, 30)), unit.id, **fixed)


def commendations(rng: random.Random, ledger: Ledger, unit: Unit, codes: list[str]) -> None:
    count = 5 if unit.id == "town-longtan" else rng.choices([0, 1, 2], weights=[60, 30, 10])[0]
    for _ in range(count):
        circulated = unit.id == "town-longtan" or rng.random() < 0.6
        fields: dict[str, Any] = {
            "level": rng.choice(["city", "district"]),
            "circulated": circulated,
        }
        if codes:
            fields["item"] = rng.choice(codes)
        fields["note"] = "落实迅速,措施得力" if circulated else "领导肯定"
        ledger.add(
            "commendation", _day(rng, date(YEAR, 4, 1), date(YEAR, 12, 20)), unit.id, **fields
        )


def main(out: Path = HERE) -> None:
    rng = random.Random(YEAR)
    units = roster(rng)
    ledger = Ledger()
    for unit in units:
        codes = items(rng, ledger, unit)
        reports(rng, ledger, unit)
        inspections(rng, ledger, unit)
        commendations(rng, ledger, unit, codes)
    lines = [json.dumps(e, ensure_ascii=False) for e in ledger.events]
    lines += rng.sample(lines, 5)  # re-delivered identically: ignored by the reader
    rng.shuffle(lines)
    (out / "events.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = ["id,name,kind", *(f"{u.id},{u.name},{u.kind}" for u in units)]
    (out / "roster.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
