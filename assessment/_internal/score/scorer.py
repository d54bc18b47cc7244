"""`Scorer`: scoring state that grows with the ledger, and the readers built on it."""

from __future__ import annotations

import contextlib
import decimal
import gc
import os
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from assessment._internal.base.exported import exported
from assessment._internal.ledger.bands import bands_of
from assessment._internal.ledger.eventlog import EventLog
from assessment._internal.ledger.facts import facts_of
from assessment._internal.ledger.holdings import LedgerDays, PeriodFields, State, UnitState
from assessment._internal.ledger.state import Batch, forget_ids
from assessment._internal.load.eventtypes import EventTypes, event_types
from assessment._internal.load.periods import Span, span_before, spans_by_key
from assessment._internal.load.records import compact_of_model, fast_types, model_of_compact
from assessment._internal.load.streams import Intake, Route
from assessment._internal.rules.plan import Plan, compiled
from assessment._internal.score.cores import Jobs, process_count
from assessment._internal.score.engine import report_of, roster_digest, score_unit
from assessment._internal.score.parallel import can_fork, score_units
from assessment.errors import ArgumentError, UnknownIdError
from assessment.events import Event
from assessment.results import Report, UnitResult
from assessment.roster import Roster
from assessment.scheme import AdjustmentRule, PeriodicRule, Scheme

__all__ = [
    "Holding",
    "PathsLike",
    "Scorer",
    "bulk",
    "files_of",
    "parse_events",
    "read_events",
    "score_log",
    "scorer_of_log",
    "scoring_day",
]

PathsLike = str | os.PathLike[str] | Sequence[str | os.PathLike[str]]


@dataclass(frozen=True)
class Holding:
    """What a scorer holds after reading its share of a ledger split by unit, for the
    shares to be checked apart and added up."""

    units: frozenset[str]  # the units that hold an event or an item
    ids: bytes  # the id index's keys (64-bit hashes), for an id taken in two shares
    items: bytes  # the 64-bit hashes of the item ids, for an item in two shares
    digest: int  # the running digest, a sum: the shares' digests add up
    count: int


@exported
class Scorer:
    """Scores a roster over events that arrive over time, as of any date.

    Add events with `read` (files) or `add` (in-memory records) as often as
    needed, then ask for a `report`. Every call to `read` or `add` checks its
    events against the whole contract together with those added before, as if
    the stream had been read at once, and is all or nothing: on any problem it
    raises `EventsError` and the scorer is left as it was.

    The scorer keeps what the rules need per unit and per item, not the
    events; adding a month of events costs time in proportion to that month,
    and a report re-scores only the units the new events touched.
    """

    def __init__(self, scheme: Scheme, roster: Roster) -> None:
        self.scheme = scheme
        self.roster = roster
        self.plan: Plan = compiled(scheme)
        self.types: EventTypes = event_types(scheme)
        self._state = _empty_state(scheme, roster, self.plan)
        self._units = roster.by_id()
        self._cache: dict[str, tuple[date, bool, UnitResult]] = {}
        self._roster_digest = roster_digest(roster)
        self._sealed = False

    # ------------------------------------------------------------ adding events

    def read(self, paths: PathsLike, *, allow_empty: bool = True) -> int:
        """Read event streams (JSON Lines or CSV) into the scorer; return the events added.

        An identical re-delivery of an event already added is dropped and not counted.
        A file that holds no events (empty, blank lines only, a CSV header alone) adds
        none: a night without new ledger entries is no error here. With
        `allow_empty=False` such a file is a problem, as in `read_events`, `score_files`
        and the command line: a year's ledger with no event is most likely the wrong file.
        """
        files = files_of(paths)
        return self._take(lambda intake: intake.files(files, empty_ok=allow_empty))

    def add(self, records: Iterable[Mapping[str, object]], source: str = "<events>") -> int:
        """Add in-memory event records (`line` in problems = 1-based index); return how many."""
        return self._take(lambda intake: intake.records(records, source))

    def read_share(self, files: Sequence[str], route: Route) -> Holding:
        """Read `files` keeping only the lines `route` picks (one process's share of a
        ledger split by unit), and tell what the scorer then holds.

        All or nothing, as `read`: on any problem it raises `EventsError`. For the
        split by unit (partition.py), which checks the shares against each other.
        """
        self._take(lambda intake: intake.files(files), route)
        state = self._state
        return Holding(
            units=frozenset(unit for unit, held in state.units.items() if held.kept or held.items),
            ids=state.ids.keys.tobytes(),
            items=array("q", [hash(item) for item in state.items]).tobytes(),
            digest=state.digest,
            count=state.count,
        )

    def adopt(self, log: EventLog) -> None:
        """Take an event log built by `read_events` or `parse_events` for this scheme and
        roster, without checking its contract again; only into a scorer holding no events.
        """
        if self._sealed or self._state.count:
            raise RuntimeError("only a Scorer that holds no events yet adopts an event log")
        batch = self._batch(checked=False)
        fast, add = fast_types(self.types), batch.adder()
        for event in log.events:
            add(*compact_of_model(fast, event), 0)
        self._commit(batch)

    def _batch(self, *, checked: bool = True) -> Batch:
        """A new batch on this scorer's state (not committed by itself)."""
        return Batch(self._state, checked=checked)

    def _take(self, fill: Callable[[Intake], None], route: Route | None = None) -> int:
        if self._sealed:
            raise RuntimeError("this Scorer was sealed: it takes no more events")
        with bulk():
            batch = self._batch()
            fill(Intake(batch, self.types, route))
            batch.check()
            return self._commit(batch)

    def _commit(self, batch: Batch) -> int:
        for unit in batch.commit():
            self._cache.pop(unit, None)
        return batch.count

    @property
    def events(self) -> int:
        """How many distinct events the scorer has taken."""
        return self._state.count

    @property
    def digest(self) -> str:
        """A digest of the distinct events taken, whatever their order or batches."""
        return self._state.digest_hex()

    # ------------------------------------------------------------ scoring

    def unit_result(
        self, unit: str, as_of: date | None = None, *, trail: bool = True
    ) -> UnitResult:
        """One unit's result (unranked), without scoring the others."""
        if unit not in self._units:
            raise UnknownIdError(unit)
        day = scoring_day(self.scheme, as_of)
        cached = self._cached(unit, day, trail)
        if cached is not None:
            return cached
        with decimal.localcontext(_DECIMALS):
            facts = facts_of(self._state, unit, self.plan.fold_spec, day)
            result = score_unit(self.plan, self._units[unit], facts, day, trail=trail)
        self._cache[unit] = (day, trail, result)
        return result

    def report(self, as_of: date | None = None, *, jobs: Jobs = 1, trail: bool = True) -> Report:
        """Every unit's result as of `as_of` (default: the end of the scheme's period), ranked.

        `jobs` > 1 scores the units in that many processes (where the platform
        can fork), `jobs="auto"` in one per usable core; the report is the same
        whatever `jobs` is. `trail=False` leaves out the explanation trail (each
        unit's `lines`), for rankings and tables of large rosters: the scores are
        the same, the report a fraction of the size.
        """
        jobs = process_count(jobs)
        day = scoring_day(self.scheme, as_of)
        with bulk():
            stale = [u.id for u in self.roster.units if self._cached(u.id, day, trail) is None]
            if jobs > 1 and len(stale) > 1 and can_fork():
                for result in score_units(self, stale, day, jobs, trail):
                    self._cache[result.unit] = (day, trail, result)
            results = [self.unit_result(unit.id, day, trail=trail) for unit in self.roster.units]
        return report_of(
            self.plan,
            roster=self.roster,
            results=results,
            day=day,
            digest=self.digest,
            events=self.events,
            roster_sha=self._roster_digest,
        )

    def seal(self) -> None:
        """Take no more events, and free the index of event ids (about 47 bytes an event).

        Reports still work. For one-off scoring of a large stream, as the
        command line does; `read` and `add` raise afterwards.
        """
        forget_ids(self._state)
        self._sealed = True

    def _cached(self, unit: str, day: date, trail: bool) -> UnitResult | None:
        cached = self._cache.get(unit)
        return cached[2] if cached is not None and cached[:2] == (day, trail) else None


def scoring_day(scheme: Scheme, as_of: object) -> date:
    """The day to score as of: `as_of`, or the period's last day; refused, with what to do,
    when it is not a date or lies outside the days the scheme scores."""
    if as_of is None:
        return scheme.period.end
    if isinstance(as_of, datetime):
        raise TypeError(f"as_of must be a date, not a datetime ({as_of!r}): pass as_of.date()")
    if not isinstance(as_of, date):
        raise TypeError(
            f"as_of must be a datetime.date, such as date(2024, 6, 30) (got "
            f"{type(as_of).__name__} {as_of!r}); for text, use date.fromisoformat(text)"
        )
    period = scheme.period
    if not period.start <= as_of <= period.last_event_day:
        raise ArgumentError(
            f"as of {as_of} is outside the days scheme {scheme.id} scores ({period.start} to "
            f"{period.last_event_day}): nothing of its ledger would count as it should; "
            "check the year"
        )
    return as_of


def _empty_state(scheme: Scheme, roster: Roster, plan: Plan) -> State:
    """The ledger state of `scheme` and `roster` before any event."""
    rules = tuple(r.id for _, r in scheme.rules() if isinstance(r, AdjustmentRule))
    return State(
        units={unit.id: UnitState() for unit in roster.units},
        categories=frozenset(c.id for c in scheme.categories),
        adjustment_rules=rules,
        keep=plan.keeps,
        days=_ledger_days(scheme),
        period_fields=_period_fields(scheme),
        item_kinds=event_types(scheme).item_kinds,
        bands=bands_of(scheme),
    )


def _ledger_days(scheme: Scheme) -> LedgerDays:
    """The days the scheme's ledger takes, and what it takes after its period ends."""
    period = scheme.period
    reports = {r.event for _, r in scheme.rules() if isinstance(r, PeriodicRule)}
    completing = frozenset({"item_closed", "item_assessed", "adjustment", *reports})
    return LedgerDays(period.start, period.end, period.last_event_day, completing)


def _period_fields(scheme: Scheme) -> PeriodFields:
    """The fields that name the period an event reports on (the periodic rules' period
    fields), with the scheme's periods they may name and the period before them."""
    found: dict[str, list[tuple[str, str, Mapping[str, Span], Span]]] = {}
    pairs = {
        (r.event, r.period_field, r.every) for _, r in scheme.rules() if isinstance(r, PeriodicRule)
    }
    for kind, name, every in sorted(pairs):
        spans = spans_by_key(scheme.period, every)
        found.setdefault(kind, []).append((name, every, spans, span_before(scheme.period, every)))
    return {kind: tuple(fields) for kind, fields in found.items()}


@contextlib.contextmanager
def bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of small objects are made.

    The state holds no reference cycles, and a full collection walks every live
    object: left on, it runs again and again as the state grows and takes more
    time than the scoring. Scores are computed in a fixed decimal context, so
    a caller's own context (its precision, its rounding) never changes them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        with decimal.localcontext(_DECIMALS):
            yield
    finally:
        if enabled:
            gc.enable()


_DECIMALS = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_EVEN, Emax=999_999, Emin=-999_999)


# ---------------------------------------------------------------- event logs


def files_of(paths: PathsLike) -> list[str]:
    """One path or several, as a list of file names; at least one."""
    files = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    if not files:
        raise ArgumentError("reading events needs at least one event stream")
    return [os.fspath(path) for path in files]


def _log(scheme: Scheme, roster: Roster, fill: Callable[[Intake], None]) -> EventLog:
    """The events `fill` gives, checked against the whole contract, as an event log."""
    types = event_types(scheme)
    batch = Batch(_empty_state(scheme, roster, compiled(scheme)), retain=True)
    fill(Intake(batch, types))
    batch.check()
    assert batch.accepted is not None
    models = [model_of_compact(types, event) for event in batch.accepted]
    return EventLog.of(cast("list[Event]", models))


@exported
def read_events(paths: PathsLike, scheme: Scheme, roster: Roster) -> EventLog:
    """Read event streams (JSON Lines or CSV) and check the whole event contract.

    Raise `EventsError` listing every problem in every file at once (a file that
    holds no events, as an empty one, is a problem: most likely the wrong file). The log
    holds every event; to score a large stream without holding its events,
    use `Scorer.read`.
    """
    files = files_of(paths)
    return _log(scheme, roster, lambda intake: intake.files(files))


@exported
def parse_events(
    records: Iterable[Mapping[str, object]],
    scheme: Scheme,
    roster: Roster,
    source: str = "<events>",
) -> EventLog:
    """Check in-memory event records (line = 1-based index); raise `EventsError` on any fault."""
    return _log(scheme, roster, lambda intake: intake.records(records, source))


def scorer_of_log(scheme: Scheme, roster: Roster, log: EventLog) -> Scorer:
    """A scorer holding an event log (checked when the log was built, not again)."""
    scorer = Scorer(scheme, roster)
    scorer.adopt(log)
    return scorer


def score_log(scheme: Scheme, roster: Roster, log: EventLog, as_of: date | None = None) -> Report:
    """Score a checked event log (the one-call API)."""
    return scorer_of_log(scheme, roster, log).report(as_of)
