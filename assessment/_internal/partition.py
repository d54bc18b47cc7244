"""`assessment score --jobs N` on JSON Lines: the whole work split by unit across processes.

Each process reads every line but validates, checks, folds and scores only the
lines of its own units, which it picks by a look at each line's bytes (the
`"unit"` value). Units that share a co-handled item are kept in one process,
found beforehand in the lines that name co-handlers. The parent then merges
what the processes return: their digests and counts, their units' results
(which it ranks) and the keys of the ids they took.

The look at the bytes is a guess, so it is checked, and so is everything a
process cannot see beyond its own units. Scoring in processes gives up (returns
None) whenever its report could differ from scoring in one process: a problem
in any line, an id taken in two processes, an event filed under a unit of
another process (a unit written with a JSON escape, say, or a co-handler the
first look missed). The caller then scores in one process, which words the
problems as always; valid streams, the usual case, stay in processes.
"""

from __future__ import annotations

import json
import multiprocessing
import re
from array import array
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from assessment._internal.engine import report_of, roster_digest
from assessment._internal.plan import compiled
from assessment._internal.readers import MAX_LINE_BYTES, Route
from assessment._internal.scorer import Scorer, _bulk, _can_fork
from assessment._internal.state import digest_hex
from assessment.errors import EventsError
from assessment.results import Report, UnitResult
from assessment.roster import Roster
from assessment.scheme import Scheme

__all__ = ["owners", "score_in_partitions"]

_JSON_LINES = (".jsonl", ".ndjson", ".json")
# The unit of a JSON line as written plainly; a line it misses goes to the first process.
_UNIT = re.compile(rb'"unit"\s*:\s*"([^"\\]*)"')
_COHANDLERS = b'"cohandlers"'


def owners(roster: Roster, files: Sequence[str], parts: int) -> dict[str, int]:
    """The process (0 to `parts` - 1) of each unit: units sharing a co-handled item together,
    groups spread so that each process has about as many units."""
    leader = {unit.id: unit.id for unit in roster.units}

    def root(unit: str) -> str:
        while leader[unit] != unit:
            leader[unit] = leader[leader[unit]]
            unit = leader[unit]
        return unit

    for file in files:
        with Path(file).open("rb") as stream:
            while raw := stream.readline(MAX_LINE_BYTES + 1):
                if len(raw) > MAX_LINE_BYTES:  # refused by the readers: not read further
                    while raw and not raw.endswith(b"\n"):
                        raw = stream.readline(MAX_LINE_BYTES + 1)
                    continue
                if _COHANDLERS not in raw:
                    continue
                try:
                    record = json.loads(raw)
                except (ValueError, RecursionError):
                    continue  # the process that takes the line reports it
                if not isinstance(record, dict):
                    continue
                lead, others = record.get("unit"), record.get("cohandlers")
                if not isinstance(lead, str) or lead not in leader or not isinstance(others, list):
                    continue
                for other in others:
                    if isinstance(other, str) and other in leader:
                        leader[root(other)] = root(lead)
    groups: dict[str, list[str]] = {}
    for unit in leader:
        groups.setdefault(root(unit), []).append(unit)
    sizes = [0] * parts
    owner: dict[str, int] = {}
    for group in sorted(groups.values(), key=lambda units: (-len(units), units[0])):
        part = sizes.index(min(sizes))
        sizes[part] += len(group)
        owner.update(dict.fromkeys(group, part))
    return owner


@dataclass(frozen=True)
class _Job:
    scheme: Scheme
    roster: Roster
    files: tuple[str, ...]
    owner: dict[str, int]
    parts: int
    day: date
    trail: bool


@dataclass(frozen=True)
class _Part:
    digest: int
    count: int
    ids: bytes  # the id index's keys, for an id taken in two processes
    items: bytes  # the hashes of the item ids seen, for an item in two processes
    results: list[UnitResult]


_JOB: list[_Job] = []  # in a worker process only: the job it inherited


def _start(job: _Job) -> None:
    _JOB[:] = [job]


def _picker(owner: dict[str, int], part: int, parts: int) -> Route:
    search, get = _UNIT.search, owner.get

    def mine(raw: bytes) -> bool:
        found = search(raw)
        if found is None:
            return part == 0
        try:
            unit = found.group(1).decode("utf-8")
        except UnicodeDecodeError:
            return part == 0
        return get(unit, 0) == part

    return Route(mine, overlong=part == 0, parts=parts)


def _part(part: int) -> _Part | None:
    """One process's share: its units' events read, checked and scored; None to give up."""
    job = _JOB[0]
    scorer = Scorer(job.scheme, job.roster)
    try:
        scorer._take(lambda intake: intake.files(job.files), _picker(job.owner, part, job.parts))
    except EventsError:
        return None  # scoring in one process words the problems
    state = scorer._state
    for unit, held in state.units.items():
        if (held.kept or held.items) and job.owner[unit] != part:
            return None  # an event or an item of another process's unit came here
    ids = state.ids.keys.tobytes()
    items = array("q", [hash(item) for item in state.items]).tobytes()
    scorer.seal()
    mine = [unit.id for unit in job.roster.units if job.owner[unit.id] == part]
    with _bulk():
        results = [scorer.unit_result(unit, job.day, trail=job.trail) for unit in mine]
    return _Part(state.digest, state.count, ids, items, results)


def _apart(parts: list[bytes]) -> bool:
    """Whether no key (a 64-bit hash, in bytes) is in two of `parts`."""
    taken: set[int] = set()
    for data in parts:
        keys = array("q")
        keys.frombytes(data)
        if not taken.isdisjoint(keys):
            return False
        taken.update(keys)
    return True


def score_in_partitions(
    scheme: Scheme,
    roster: Roster,
    files: Sequence[str],
    parts: int,
    as_of: date | None = None,
    *,
    trail: bool = True,
) -> Report | None:
    """The report of `files` scored in `parts` processes, or None where that cannot be done
    or could differ from scoring in one process (then score in one)."""
    parts = min(parts, len(roster.units))  # every process reads every line: no idle ones
    if parts < 2 or not _can_fork():
        return None
    if any(Path(file).suffix.lower() not in _JSON_LINES for file in files):
        return None
    try:
        owner = owners(roster, files, parts)
    except OSError:
        return None  # scoring in one process reports the file
    day = as_of if as_of is not None else scheme.period.end
    job = _Job(scheme, roster, tuple(files), owner, parts, day, trail)
    context = multiprocessing.get_context("fork")
    try:
        # An executor, not a Pool: a worker that dies (out of memory, say) fails the map
        # instead of hanging it.
        with ProcessPoolExecutor(
            parts, mp_context=context, initializer=_start, initargs=(job,)
        ) as pool:
            done = list(pool.map(_part, range(parts)))
    except (BrokenProcessPool, OSError):
        return None  # one process may still manage: it needs less memory
    if any(part is None for part in done):
        return None
    # Ids and item ids name events and items across units: one in two processes (a
    # re-delivery, a reuse, an item assigned twice) is for one process to judge. Equal
    # hashes of different names only make it give up.
    for names in ("ids", "items"):
        if not _apart([getattr(part, names) for part in done if part is not None]):
            return None
    by_unit = {result.unit: result for part in done if part for result in part.results}
    return report_of(
        compiled(scheme),
        roster=roster,
        results=[by_unit[unit.id] for unit in roster.units],
        day=day,
        digest=digest_hex(sum(part.digest for part in done if part)),
        events=sum(part.count for part in done if part),
        roster_sha=roster_digest(roster),
    )
