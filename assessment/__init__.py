"""assessment: score government supervision work (政务督查工作考核) from a yearly scheme file.

The whole flow, for an integrator::

    import assessment

    scheme = assessment.load_scheme("schemes/2023.yaml")
    roster = assessment.read_roster("examples/2023/roster.csv", scheme)
    events = assessment.read_events("examples/2023/events.jsonl", scheme, roster)
    report = assessment.score(scheme, roster, events)
    print(report.unit("town-qingshi").total)
    print(report.model_dump_json(indent=2))

For large or growing ledgers, `Scorer` reads streams without holding their
events and re-scores only what new events touch::

    scorer = assessment.Scorer(scheme, roster)
    scorer.read("examples/2023/events.jsonl")
    report = scorer.report()

Every input error is an `InputError` listing every problem at once.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from assessment._version import __version__

if TYPE_CHECKING:
    from assessment._internal.ledger.eventlog import EventLog
    from assessment._internal.load.roster import read_roster
    from assessment._internal.load.scheme import load_scheme, parse_scheme
    from assessment._internal.score.api import score, score_files
    from assessment._internal.score.scorer import Scorer, parse_events, read_events
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
    "Scorer",
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
    "score_files",
]

# Names are imported on first use, so `assessment --version` starts without pydantic.
_HOMES = {
    "score": "assessment._internal.score.api",
    "score_files": "assessment._internal.score.api",
    "EventLog": "assessment._internal.ledger.eventlog",
    "parse_events": "assessment._internal.score.scorer",
    "read_events": "assessment._internal.score.scorer",
    "Scorer": "assessment._internal.score.scorer",
    "read_roster": "assessment._internal.load.roster",
    "load_scheme": "assessment._internal.load.scheme",
    "parse_scheme": "assessment._internal.load.scheme",
    "Event": "assessment.events",
    "Line": "assessment.results",
    "Report": "assessment.results",
    "SectionScore": "assessment.results",
    "UnitResult": "assessment.results",
    "Roster": "assessment.roster",
    "Unit": "assessment.roster",
    "Scheme": "assessment.scheme",
    **dict.fromkeys(
        ["AssessmentError", "EventsError", "InputError", "Problem", "RosterError", "SchemeError"],
        "assessment.errors",
    ),
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'assessment' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
