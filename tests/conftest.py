"""Shared test helpers: the 2023 scheme, and small in-memory ledgers scored as of a date."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from assessment import Report, Roster, Scheme, Unit, load_scheme, parse_events, score

ROOT = Path(__file__).resolve().parent.parent
SCHEME_2023 = ROOT / "schemes" / "2023.yaml"

# Property tests are sized for a quick default run; `--hypothesis-profile=thorough`
# runs them twenty times longer (and without a deadline, as here).
settings.register_profile(
    "default", max_examples=25, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.register_profile(
    "thorough", max_examples=500, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile("default")


def month_end(month: int, year: int = 2023) -> str:
    """The last day of a month, written YYYY-MM-DD."""
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


class Ledger:
    """An event stream built in memory (ids given automatically) and the roster it is scored on.

    Every event is a plain dict, exactly as a JSON Lines reader would hand it to
    `parse_events`, so the whole contract check runs before anything is scored.
    """

    def __init__(self, scheme: Scheme) -> None:
        self.scheme = scheme
        self.records: list[dict[str, object]] = []
        self.units: dict[str, str] = {}

    # ------------------------------------------------------------ roster

    def unit(self, unit_id: str, kind: str = "town") -> str:
        """Add a unit to the roster; return its id."""
        self.units[unit_id] = kind
        return unit_id

    def roster(self) -> Roster:
        return Roster(
            units=tuple(
                Unit(id=unit_id, name=f"{unit_id} 单位", kind=kind)
                for unit_id, kind in self.units.items()
            )
        )

    # ------------------------------------------------------------ events

    def add(self, type_: str, day: str, unit: str, **fields: object) -> str:
        """Append one event with the next automatic id; return the id."""
        event_id = f"e{len(self.records) + 1}"
        self.records.append({"id": event_id, "type": type_, "date": day, "unit": unit, **fields})
        return event_id

    def assign(
        self,
        unit: str,
        item: str,
        category: str,
        due: str,
        day: str = "2023-01-05",
        *,
        closed: str | None = None,
    ) -> str:
        """Assign an item; with `closed`, close it on that day too (the two events, in order)."""
        event_id = self.add("item_assigned", day, unit, item=item, category=category, due=due)
        if closed is not None:
            self.close(unit, item, closed)
        return event_id

    def extend(self, unit: str, item: str, due: str, day: str, reason: str = "情况复杂") -> str:
        return self.add("item_extended", day, unit, item=item, due=due, reason=reason)

    def close(self, unit: str, item: str, day: str) -> str:
        return self.add("item_closed", day, unit, item=item)

    def assess(self, unit: str, item: str, completion: str, day: str) -> str:
        return self.add("item_assessed", day, unit, item=item, completion=Decimal(completion))

    def inspect(self, unit: str, day: str, **findings: bool) -> str:
        return self.add("inspection", day, unit, **findings)

    def commend(self, unit: str, day: str, *, circulated: bool, level: str = "district") -> str:
        return self.add("commendation", day, unit, level=level, circulated=circulated)

    def report(self, unit: str, month: int, day: str | None = None) -> str:
        """The monthly report for 2023-`month`, dated its month's last day unless told."""
        when = day if day is not None else month_end(month)
        return self.add("report_submitted", when, unit, month=f"2023-{month:02d}")

    def reports(self, unit: str, missing: Iterable[int] = (), last: int = 12) -> None:
        """On-time reports for months 1..`last` of 2023, except the `missing` ones."""
        skipped = set(missing)
        for month in range(1, last + 1):
            if month not in skipped:
                self.report(unit, month)

    # ------------------------------------------------------------ scoring

    def score(self, as_of: str | None = None) -> Report:
        """Check the stream against the roster and score it (default: the period's last day)."""
        roster = self.roster()
        log = parse_events(self.records, self.scheme, roster, source="<test ledger>")
        day = date.fromisoformat(as_of) if as_of is not None else None
        return score(self.scheme, roster, log, as_of=day)


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root, so that files are named as the stored diagnostics name them."""
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="session")
def scheme_2023() -> Scheme:
    """The 2023 scheme file, loaded once."""
    return load_scheme(SCHEME_2023)


@pytest.fixture
def ledger(scheme_2023: Scheme) -> Ledger:
    """A fresh, empty ledger on the 2023 scheme."""
    return Ledger(scheme_2023)
