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

Every input error is an `InputError` listing every problem at once; `assessment.errors`
draws the tree of every error raised.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from assessment._version import __version__

# The one table of public names, each with its home: `__all__` and `dir()` are derived
# from it, and a test checks the imports for type checkers below against it. Names are
# imported on first use, so `assessment --version` starts without pydantic.
_HOMES = {
    "ArgumentError": "assessment.errors",
    "AssessmentError": "assessment.errors",
    "Event": "assessment.events",
    "EventLog": "assessment._internal.ledger.eventlog",
    "EventsError": "assessment.errors",
    "InputError": "assessment.errors",
    "Line": "assessment.results",
    "Problem": "assessment.errors",
    "Report": "assessment.results",
    "Roster": "assessment.roster",
    "RosterError": "assessment.errors",
    "Scheme": "assessment.scheme",
    "SchemeError": "assessment.errors",
    "Scorer": "assessment._internal.score.scorer",
    "SectionScore": "assessment.results",
    "Unit": "assessment.roster",
    "UnitResult": "assessment.results",
    "UnknownIdError": "assessment.errors",
    "load_scheme": "assessment._internal.load.scheme",
    "parse_events": "assessment._internal.score.scorer",
    "parse_scheme": "assessment._internal.load.scheme",
    "read_events": "assessment._internal.score.scorer",
    "read_roster": "assessment._internal.load.roster",
    "score": "assessment._internal.score.api",
    "score_files": "assessment._internal.score.api",
}

__all__: list[str] = ["__version__"]
__all__.extend(_HOMES)

if TYPE_CHECKING:  # what mypy sees of the table (`X as X`: re-exported)
    from assessment._internal.ledger.eventlog import EventLog as EventLog
    from assessment._internal.load.roster import read_roster as read_roster
    from assessment._internal.load.scheme import load_scheme as load_scheme
    from assessment._internal.load.scheme import parse_scheme as parse_scheme
    from assessment._internal.score.api import score as score
    from assessment._internal.score.api import score_files as score_files
    from assessment._internal.score.scorer import Scorer as Scorer
    from assessment._internal.score.scorer import parse_events as parse_events
    from assessment._internal.score.scorer import read_events as read_events
    from assessment.errors import ArgumentError as ArgumentError
    from assessment.errors import AssessmentError as AssessmentError
    from assessment.errors import EventsError as EventsError
    from assessment.errors import InputError as InputError
    from assessment.errors import Problem as Problem
    from assessment.errors import RosterError as RosterError
    from assessment.errors import SchemeError as SchemeError
    from assessment.errors import UnknownIdError as UnknownIdError
    from assessment.events import Event as Event
    from assessment.results import Line as Line
    from assessment.results import Report as Report
    from assessment.results import SectionScore as SectionScore
    from assessment.results import UnitResult as UnitResult
    from assessment.roster import Roster as Roster
    from assessment.roster import Unit as Unit
    from assessment.scheme import Scheme as Scheme


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'assessment' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
