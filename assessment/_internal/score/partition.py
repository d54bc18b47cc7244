"""`assessment score --jobs N` on JSON Lines: the whole work split by unit across processes.

Each process reads every line but validates, checks, folds and scores only the
lines of its own units, which it picks by a look at each line's bytes (the
`"unit"` value). Units that share a co-handled item are kept in one process,
found beforehand in the lines that name co-handlers. The parent then merges
what the processes return: their digests and counts, their units' results
(which it ranks), and the hashes of the event ids and item ids they saw.

The look at the bytes is a guess, so it is checked, and so is everything a
process cannot see beyond its own units. Scoring in processes gives up (returns
None) whenever its report could differ from scoring in one process: a problem
in any line, an event id or item id in two processes, an event filed under a
unit of another process (a unit written with a JSON escape, say, or a
co-handler the first look missed), a worker that dies. The caller then scores in one process, which words the
problems as always; valid streams, the usual case, stay in processes.
"""

from __future__ import annotations

import json
import re
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from assessment._internal.ledger.holdings import digest_hex
from assessment._internal.load.streams import Route
from assessment._internal.rules.plan import compiled
from assessment._internal.score.engine import report_of, roster_digest
from assessment._internal.score.parallel import can_fork, fork_map, inherited
from assessment._internal.score.scorer import Holding, Scorer, bulk, scoring_day
from assessment._internal.text.lines import lines_holding
from assessment.errors import EventsError
from assessment.results import Report, UnitResult
from assessment.roster import Roster
from assessment.scheme import Scheme

__all__ = ["owners", "score_in_partitions"]

_JSON_LINES = (".jsonl", ".ndjson", ".json")
# The unit of a JSON line as written plainly; a line it misses goes to the first process.
_UNIT = re.compile(rb'"unit"\s*:\s*"([^"\\]*)"')
_COHANDLERS = b'"cohandlers"'


def _lines_naming_cohandlers(file: str) -> Iterator[bytes]:
    """The lines of `file` that hold `"cohandlers"` and are within the readers' line limit."""
    return lines_holding(file, _COHANDLERS)


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
        for raw in _lines_naming_cohandlers(file):
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
    held: Holding
    results: list[UnitResult]


def _picker(owner: dict[str, int], part: int, parts: int) -> Route:
    search = _UNIT.search
    get = {unit.encode("utf-8"): at for unit, at in owner.items()}.get

    def mine(raw: bytes) -> bool:
        found = search(raw)
        return get(found.group(1), 0) == part if found is not None else part == 0

    return Route(mine, overlong=part == 0, parts=parts)


def _part(part: int) -> _Part | None:
    """One process's share: its units' events read, checked and scored; None to give up."""
    job = inherited()
    assert isinstance(job, _Job)
    scorer = Scorer(job.scheme, job.roster)
    try:
        held = scorer.read_share(job.files, _picker(job.owner, part, job.parts))
    except EventsError:
        return None  # scoring in one process words the problems
    if any(job.owner[unit] != part for unit in held.units):
        return None  # an event or an item of another process's unit came here
    scorer.seal()
    mine = [unit.id for unit in job.roster.units if job.owner[unit.id] == part]
    with bulk():
        results = [scorer.unit_result(unit, job.day, trail=job.trail) for unit in mine]
    return _Part(held, results)


def _apart(parts: list[bytes]) -> bool:
    """Whether no key (a 64-bit hash, in bytes) is in two of `parts`. A key twice in one
    part (two ids of a process sharing a hash, about never) says no too: giving up is
    never wrong."""
    every = array("q")
    for data in parts:
        every.frombytes(data)
    return len(set(every)) == len(every)  # one pass over a million keys, not two


def _splittable(files: Sequence[str]) -> bool:
    """Whether every file is a JSON Lines file on disk: every process reads every file,
    where a pipe reads once and a device never ends."""
    return all(Path(file).suffix.lower() in _JSON_LINES and Path(file).is_file() for file in files)


def score_in_partitions(
    scheme: Scheme,
    roster: Roster,
    files: Sequence[str],
    parts: int,
    as_of: date | None = None,
    *,
    trail: bool = True,
    map_parts: Callable[
        [Callable[[int], _Part | None], Sequence[int], object], list[_Part | None] | None
    ] = fork_map,
) -> Report | None:
    """The report of `files` scored in `parts` processes, or None where that cannot be done
    or could differ from scoring in one process (then score in one).

    `map_parts` runs the parts (as `fork_map` does, all at once); the benchmark passes
    one that runs them one after another, to time each.
    """
    parts = min(parts, len(roster.units))  # every process reads every line: no idle ones
    if parts < 2 or not can_fork() or not _splittable(files):
        return None
    try:
        owner = owners(roster, files, parts)
    except OSError:
        return None  # scoring in one process reports the file
    day = scoring_day(scheme, as_of)
    job = _Job(scheme, roster, tuple(files), owner, parts, day, trail)
    with bulk():  # results arrive as many small objects: the collector waits
        done = map_parts(_part, range(parts), job)
    if done is None or None in done:
        return None  # a process died (then one may still manage, with less memory) or gave up
    taken = [part for part in done if part is not None]
    held = [part.held for part in taken]
    # Ids and item ids name events and items across units: one in two processes (a
    # re-delivery, a reuse, an item assigned twice) is for one process to judge. Equal
    # hashes of different names only make it give up.
    if not (_apart([one.ids for one in held]) and _apart([one.items for one in held])):
        return None
    by_unit = {result.unit: result for part in taken for result in part.results}
    return report_of(
        compiled(scheme),
        roster=roster,
        results=[by_unit[unit.id] for unit in roster.units],
        day=day,
        digest=digest_hex(sum(one.digest for one in held)),
        events=sum(one.count for one in held),
        roster_sha=roster_digest(roster),
    )
