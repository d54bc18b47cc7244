"""assessment: score government supervision work (政务督查工作考核) from a yearly scheme file.

The whole flow, for an integrator::

    import assessment

    scheme = assessment.load_scheme("schemes/2023.yaml")
    roster = assessment.read_roster("examples/2023/roster.csv", scheme)
    events = assessment.read_events("examples/2023/events.jsonl", scheme, roster)
    report = assessment.score(scheme, roster, events)
    print(report.unit("town-qingshi").total)
    print(report.model_dump_json(indent=2))

Every input error is an `InputError` listing every problem at once.
"""

from __future__ import annotations

from datetime import date

from assessment._internal.engine import score_log
from assessment._internal.eventlog import EventLog
from assessment._internal.plan import compile_scheme
from assessment._internal.readers import parse_events, read_events, read_roster
from assessment._internal.schemeload import load_scheme, parse_scheme
from assessment._version import __version__
from assessment.errors import (
    AssessmentError,
    EventsError,
    InputError,
    Problem,
    RosterError,
    SchemeError,
)
from assessment.events import Event
from assessment.results import Line, Report, SectionScore, UnitResult
from assessment.roster import Roster, Unit
from assessment.scheme import Scheme

__all__ = [
    "AssessmentError",
    "Event",
    "EventLog",
    "EventsError",
    "InputError",
    "Line",
    "Problem",
    "Report",
    "Roster",
    "RosterError",
    "Scheme",
    "SchemeError",
    "SectionScore",
    "Unit",
    "UnitResult",
    "__version__",
    "load_scheme",
    "parse_events",
    "parse_scheme",
    "read_events",
    "read_roster",
    "score",
]


def score(scheme: Scheme, roster: Roster, events: EventLog, as_of: date | None = None) -> Report:
    """Score every unit of `roster` over `events`, counting only events on or before `as_of`.

    `as_of` defaults to the last day of the scheme's period. The result is the
    same whatever order the events were read in.
    """
    return score_log(compile_scheme(scheme), roster, events, as_of)
