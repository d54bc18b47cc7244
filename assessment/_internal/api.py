"""The one-call scoring function of the public API."""

from __future__ import annotations

from datetime import date

from assessment._internal.eventlog import EventLog
from assessment._internal.scorer import score_log
from assessment.results import Report
from assessment.roster import Roster
from assessment.scheme import Scheme

__all__ = ["score"]


def score(scheme: Scheme, roster: Roster, events: EventLog, as_of: date | None = None) -> Report:
    """Score every unit of `roster` over `events`, counting only events on or before `as_of`.

    `as_of` defaults to the last day of the scheme's period. The result is the
    same whatever order the events were read in. For streams too large to hold,
    or events that keep arriving, use `Scorer`.
    """
    return score_log(scheme, roster, events, as_of)
