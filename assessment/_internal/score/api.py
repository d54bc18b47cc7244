"""The one-call scoring functions of the public API."""

from __future__ import annotations

from datetime import date

from assessment._internal.base.exported import exported
from assessment._internal.ledger.eventlog import EventLog
from assessment._internal.score.cores import Jobs, process_count
from assessment._internal.score.partition import score_in_partitions
from assessment._internal.score.scorer import PathsLike, Scorer, files_of, score_log, scoring_day
from assessment.results import Report
from assessment.roster import Roster
from assessment.scheme import Scheme

__all__ = ["score", "score_files"]


@exported
def score(scheme: Scheme, roster: Roster, events: EventLog, as_of: date | None = None) -> Report:
    """Score every unit of `roster` over `events`, counting only events on or before `as_of`.

    `as_of` (a `datetime.date`) defaults to the last day of the scheme's period; a day
    before the period or after its `events_until` raises `ValueError`. The result is the
    same whatever order the events were read in. For streams too large to hold,
    or events that keep arriving, use `Scorer`.
    """
    return score_log(scheme, roster, events, as_of)


@exported
def score_files(
    scheme: Scheme,
    roster: Roster,
    paths: PathsLike,
    as_of: date | None = None,
    *,
    jobs: Jobs = 1,
    trail: bool = True,
) -> Report:
    """Read event streams (JSON Lines or CSV) and score them, without holding their events.

    What `assessment score` does. `jobs` > 1 splits the work by unit across that
    many processes (for JSON Lines, where the platform can fork; otherwise only
    the scoring is split), `jobs="auto"` across one per usable core; the report
    is the same whatever `jobs` is.
    Standard input (named by the command line's `--events -`) is read in this process,
    whatever `jobs` is, and the scoring split.
    `trail=False` leaves out each unit's explanation lines. Raises `EventsError`
    listing every problem in every file, as one process would; a file that holds no
    events (empty, blank lines only, a CSV header alone) is one.
    """
    jobs = process_count(jobs)
    files = files_of(paths)
    scoring_day(scheme, as_of)  # a wrong day is refused before any file is read
    if jobs > 1:  # never for standard input, which has no suffix to be split by (partition.py)
        report = score_in_partitions(scheme, roster, files, jobs, as_of, trail=trail)
        if report is not None:
            return report
    scorer = Scorer(scheme, roster)
    scorer.read(files, allow_empty=False)  # an empty file is most likely the wrong one
    scorer.seal()  # one run, no more events: the id index can go
    return scorer.report(as_of, jobs=jobs, trail=trail)
