"""Write a deterministic, province-sized year of ledger events for the 2023 scheme.

    python benchmarks/province.py OUT_DIR [--units 20000] [--items 20] [--extra-per-item 0]

writes OUT_DIR/roster.csv and OUT_DIR/events.jsonl. With the defaults: 20,000
units with 20 items each and every event type (about 1.1 million events),
shuffled. `--extra-per-item N` adds N leaders' affirmations (领导肯定, a
commendation naming the item, not circulated) per item: more events about the
same items, which the 2023 scheme checks but does not reward, to see whether
memory follows the items or the events. Everything follows from the seed.
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import date, timedelta
from pathlib import Path

from assessment import load_scheme

# The 2023 scheme's categories, in its order (the seed's draws depend on it).
SCHEME_2023 = Path(__file__).resolve().parent.parent / "schemes" / "2023.yaml"
CATEGORIES = [category.id for category in load_scheme(SCHEME_2023).categories]
KINDS = ["town", "subdistrict", "zone", "department"]
START = date(2023, 1, 1)


def _unit_events(rng: random.Random, unit: str, items: int, extra: int) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for n in range(items):
        item = f"{unit}-{n:03d}"
        assigned = START + timedelta(days=rng.randrange(0, 240))
        due = assigned + timedelta(days=rng.randrange(20, 120))
        out.append(
            {
                "type": "item_assigned",
                "date": assigned,
                "unit": unit,
                "item": item,
                "category": rng.choice(CATEGORIES),
                "due": due,
            }
        )
        for _ in range(extra):
            out.append(
                {
                    "type": "commendation",
                    "date": assigned + timedelta(days=rng.randrange(0, 120)),
                    "unit": unit,
                    "level": rng.choice(["city", "district"]),
                    "circulated": False,
                    "item": item,
                }
            )
        last = assigned
        for _ in range(1 if rng.random() < 0.2 else 0):
            last = last + timedelta(days=rng.randrange(0, 5))
            due = max(due, last) + timedelta(days=rng.randrange(1, 10))
            out.append(
                {
                    "type": "item_extended",
                    "date": last,
                    "unit": unit,
                    "item": item,
                    "due": due,
                    "reason": "情况复杂",
                }
            )
        fate = rng.random()
        if fate < 0.85:
            closed = max(last, due - timedelta(days=rng.randrange(0, 15)))
            out.append({"type": "item_closed", "date": closed, "unit": unit, "item": item})
        elif fate < 0.92:
            out.append(
                {
                    "type": "item_closed",
                    "date": due + timedelta(days=rng.randrange(1, 30)),
                    "unit": unit,
                    "item": item,
                }
            )
        if rng.random() < 0.05:
            out.append(
                {
                    "type": "item_assessed",
                    "date": date(2023, 12, 20),
                    "unit": unit,
                    "item": item,
                    "completion": rng.choice(["0.5", "0.8", "1"]),
                }
            )
    for month in range(1, 13):
        if rng.random() < 0.93:
            day = date(2023, month, 20) + timedelta(days=rng.randrange(0, 12))
            out.append(
                {
                    "type": "report_submitted",
                    "date": day,
                    "unit": unit,
                    "month": f"2023-{month:02d}",
                }
            )
    out.append(
        {
            "type": "inspection",
            "date": date(2023, 3, 15),
            "unit": unit,
            "has_office": rng.random() < 0.95,
            "has_staff": rng.random() < 0.9,
        }
    )
    for _ in range(rng.choice([0, 0, 1, 2])):
        out.append(
            {
                "type": "commendation",
                "date": START + timedelta(days=rng.randrange(60, 360)),
                "unit": unit,
                "level": rng.choice(["city", "district"]),
                "circulated": rng.random() < 0.6,
            }
        )
    return out


def generate(out: Path, units: int, items: int, extra: int, seed: int = 2023) -> int:
    """Write roster.csv and events.jsonl; return the number of events."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    ids = [f"u{n:06d}" for n in range(units)]
    with (out / "roster.csv").open("w", encoding="utf-8") as roster:
        roster.write("id,name,kind\n")
        for n, unit in enumerate(ids):
            roster.write(f"{unit},单位{n},{KINDS[n % len(KINDS)]}\n")
    lines: list[str] = []
    for unit in ids:
        for raw in _unit_events(rng, unit, items, extra):
            event = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in raw.items()}
            lines.append(json.dumps({"id": f"e{len(lines):08d}", **event}, ensure_ascii=False))
    rng.shuffle(lines)
    with (out / "events.jsonl").open("w", encoding="utf-8") as events:
        for line in lines:
            events.write(line + "\n")
    return len(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--units", type=int, default=20_000)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--extra-per-item", type=int, default=0)
    args = parser.parse_args()
    count = generate(args.out, args.units, args.items, args.extra_per_item)
    print(f"{count} events for {args.units} units in {args.out}")


if __name__ == "__main__":
    main()
